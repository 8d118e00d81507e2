// Graceful shutdown: stop accepting connections, let in-flight requests finish (bounded by
// a timeout), then close resources in reverse order of opening.
import type { Server } from "node:http";
import type { Logger } from "../logger.js";

export type Closer = { name: string; close: () => Promise<void> };

export function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export async function closeAll(closers: Closer[], logger: Logger): Promise<boolean> {
  let clean = true;
  for (const { name, close } of [...closers].reverse()) {
    try {
      await close();
      logger.info({ resource: name }, "closed");
    } catch (error) {
      clean = false;
      logger.error({ err: error, resource: name }, "failed to close");
    }
  }
  return clean;
}

export function onShutdownSignal(logger: Logger, shutdown: () => Promise<boolean>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    shutdown().then(
      (clean) => process.exit(clean ? 0 : 1),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
