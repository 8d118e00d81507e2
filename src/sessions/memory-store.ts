// In-process store: the default when REDIS_URL is unset. Values are kept serialised so callers
// never share object references (same semantics as Redis). Not shared between processes.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { SessionStore, Versioned } from "./store.js";

interface Entry {
  json: string;
  expiresAt: number;
  version?: number;
}

export class MemorySessionStore implements SessionStore {
  readonly kind = "memory" as const;
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  /**
   * With `persistFile`, live entries are written there on close and read back on start, so a
   * graceful restart of a single embedded-mode server keeps conversations.
   */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly persistFile?: string,
  ) {
    if (persistFile) this.restore(persistFile);
    // Expired keys are dropped on read; the sweep bounds memory for keys never read again.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write(key: string, value: unknown, ttlSeconds: number, version?: number): void {
    this.entries.set(key, { json: JSON.stringify(value), expiresAt: this.now() + ttlSeconds * 1000, version });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.live(key);
    return entry ? (JSON.parse(entry.json) as T) : undefined;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.write(key, value, ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async setIfAbsent<T>(key: string, value: T, ttlSeconds: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.write(key, value, ttlSeconds);
    return true;
  }

  async getVersioned<T>(key: string): Promise<Versioned<T>> {
    const entry = this.live(key);
    return entry ? { value: JSON.parse(entry.json) as T, version: entry.version ?? 0 } : { value: undefined, version: 0 };
  }

  async setIfVersion<T>(key: string, version: number, value: T, ttlSeconds: number): Promise<boolean> {
    if ((this.live(key)?.version ?? 0) !== version) return false;
    this.write(key, value, ttlSeconds, version + 1);
    return true;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    if (this.persistFile) {
      this.sweep();
      mkdirSync(path.dirname(this.persistFile), { recursive: true });
      writeFileSync(`${this.persistFile}.tmp`, JSON.stringify([...this.entries]));
      renameSync(`${this.persistFile}.tmp`, this.persistFile);
    }
    this.entries.clear();
  }

  private restore(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const [key, entry] of JSON.parse(text) as [string, Entry][]) this.entries.set(key, entry);
    this.sweep();
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
