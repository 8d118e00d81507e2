import type { Logger } from "../logger.js";
import { MemorySessionStore } from "./memory-store.js";
import { RedisSessionStore } from "./redis-store.js";
import type { SessionStore } from "./store.js";

export type { SessionStore };

/** Redis when a URL is given; otherwise memory, kept across graceful restarts in `persistFile`. */
export function createSessionStore(redisUrl: string | undefined, logger: Logger, persistFile?: string): SessionStore {
  if (!redisUrl) {
    logger.info("session store: in memory (set REDIS_URL to share it between instances)");
    return new MemorySessionStore(Date.now, persistFile);
  }
  const store = RedisSessionStore.connect(redisUrl);
  store.client.on("error", (error: Error) => logger.warn({ err: error.message }, "Redis connection error"));
  logger.info("session store: Redis");
  return store;
}
