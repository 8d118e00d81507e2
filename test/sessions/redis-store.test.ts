import { RedisSessionStore } from "../../src/sessions/redis-store.js";
import { requireEnv } from "../helpers/env.js";
import { sessionStoreContract } from "./contract.js";

sessionStoreContract("redis", async () => RedisSessionStore.connect(requireEnv("TEST_REDIS_URL"), "test:"));
