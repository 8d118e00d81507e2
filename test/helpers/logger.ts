import { createLogger } from "../../src/logger.js";

export const silentLogger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
