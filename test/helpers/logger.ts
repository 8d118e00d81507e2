import { createLogger, type Logger } from "../../src/logger.js";

export const silentLogger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");

/** A debug-level logger whose lines are kept for the test to search. */
export function capturingLogger(secrets: string[] = []): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger("debug", { secrets, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}
