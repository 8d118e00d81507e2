// Key-value store for conversation sessions and short-lived shared keys (dedupe, locks,
// rate limits). Two implementations pass one contract suite (test/sessions/contract.ts):
// Redis when REDIS_URL is set, memory otherwise. Values are JSON; every write sets a TTL.

export interface SessionStore {
  readonly kind: "memory" | "redis";
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Sets the key only if it does not exist; true when this call set it (dedupe, locks). */
  setIfAbsent<T>(key: string, value: T, ttlSeconds: number): Promise<boolean>;
  /**
   * Atomic read-modify-write of one key: `fn` gets the current value and returns the next
   * (undefined deletes). Concurrent updates of a key never lose a write; `fn` may run more
   * than once, so it must be pure.
   */
  update<T>(key: string, fn: (current: T | undefined) => T | undefined, ttlSeconds: number): Promise<T | undefined>;
  /** Atomically adds 1 and returns the new count; the TTL starts at the first increment. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Rejects when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
