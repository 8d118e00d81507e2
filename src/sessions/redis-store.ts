// Redis store (ioredis). Shared by every server instance; every write sets a TTL.
import { Redis } from "ioredis";
import type { SessionStore, Versioned } from "./store.js";

// A versioned key is a hash {v, d}; the compare-and-set runs in Redis as one script.
const SET_IF_VERSION = `
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', current + 1, 'd', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;

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

  async getVersioned<T>(key: string): Promise<Versioned<T>> {
    const [version, json] = await this.client.hmget(this.k(key), "v", "d");
    return typeof json === "string" ? { value: JSON.parse(json) as T, version: Number(version ?? 0) } : { value: undefined, version: 0 };
  }

  async setIfVersion<T>(key: string, version: number, value: T, ttlSeconds: number): Promise<boolean> {
    const written = await this.client.eval(SET_IF_VERSION, 1, this.k(key), String(version), JSON.stringify(value), String(ttlSeconds));
    return written === 1;
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
