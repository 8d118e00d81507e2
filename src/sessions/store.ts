// Key-value store for conversation sessions and short-lived shared keys (dedupe, message
// ids). Two implementations pass one contract suite (test/sessions/contract.ts):
// Redis when REDIS_URL is set, memory otherwise. Values are JSON; every write sets a TTL.

export interface SessionStore {
  readonly kind: "memory" | "redis";
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Sets the key only if it does not exist; true when this call set it (dedupe, locks). */
  setIfAbsent<T>(key: string, value: T, ttlSeconds: number): Promise<boolean>;
  /** The value with its version (0 when absent), for a later compare-and-set. */
  getVersioned<T>(key: string): Promise<Versioned<T>>;
  /**
   * Writes the value (version + 1) only if the key is still at `version`; false when someone
   * wrote in between. Keys written here are read with getVersioned only.
   */
  setIfVersion<T>(key: string, version: number, value: T, ttlSeconds: number): Promise<boolean>;
  /** Rejects when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface Versioned<T> {
  value: T | undefined;
  version: number;
}
