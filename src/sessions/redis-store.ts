// Redis store (ioredis). Shared by every server instance. Read-modify-write uses a
// compare-and-set Lua script rather than WATCH, because WATCH is per connection and this
// store shares one connection between concurrent callers.
import { Redis } from "ioredis";
import type { SessionStore } from "./store.js";

const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if (current == false and ARGV[1] ~= '') or (current ~= false and current ~= ARGV[1]) then
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
end
return 1`;

const INCREMENT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
return n`;

const MAX_CAS_ROUNDS = 50;

export class RedisSessionStore implements SessionStore {
  readonly kind = "redis" as const;

  constructor(
    readonly client: Redis,
    private readonly prefix = "cb:",
  ) {}

  static connect(url: string, prefix?: string): RedisSessionStore {
    const client = new Redis(url, {
      // Fail commands fast while Redis is down instead of queueing them without bound;
      // the client keeps reconnecting in the background.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 3_000,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    return new RedisSessionStore(client, prefix);
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const json = await this.client.get(this.k(key));
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    await this.client.set(this.k(key), JSON.stringify(value), "EX", ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.k(key));
  }

  async setIfAbsent<T>(key: string, value: T, ttlSeconds: number): Promise<boolean> {
    return (await this.client.set(this.k(key), JSON.stringify(value), "EX", ttlSeconds, "NX")) === "OK";
  }

  async update<T>(key: string, fn: (current: T | undefined) => T | undefined, ttlSeconds: number): Promise<T | undefined> {
    const full = this.k(key);
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const currentJson = await this.client.get(full);
      const next = fn(currentJson === null ? undefined : (JSON.parse(currentJson) as T));
      const nextJson = next === undefined ? "" : JSON.stringify(next);
      const ok = await this.client.eval(COMPARE_AND_SET, 1, full, currentJson ?? "", nextJson, String(ttlSeconds));
      if (ok === 1) return next;
    }
    throw new Error(`session update of ${key} kept conflicting after ${MAX_CAS_ROUNDS} rounds`);
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    return Number(await this.client.eval(INCREMENT, 1, this.k(key), String(ttlSeconds)));
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
