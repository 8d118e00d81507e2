import type { Logger } from "../logger.js";
import { MemorySessionStore } from "./memory-store.js";
import { RedisSessionStore } from "./redis-store.js";
import type { SessionStore } from "./store.js";

export type { SessionStore };

export function createSessionStore(redisUrl: string | undefined, logger: Logger): SessionStore {
  if (!redisUrl) {
    logger.info("session store: in memory (set REDIS_URL to share it between instances)");
    return new MemorySessionStore();
  }
  const store = RedisSessionStore.connect(redisUrl);
  store.client.on("error", (error: Error) => logger.warn({ err: error.message }, "Redis connection error"));
  logger.info("session store: Redis");
  return store;
}
