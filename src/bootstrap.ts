// Wires the process together: storage, sessions, features, HTTP server. Used by src/main.ts
// and by tests that need the whole server.
import type { Server } from "node:http";
import type { Router } from "express";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { createApp } from "./server/app.js";
import { closeAll, closeServer, type Closer } from "./server/lifecycle.js";
import { createSessionStore, type SessionStore } from "./sessions/index.js";
import { openDatabase, type Database } from "./storage/database.js";

export interface Running {
  server: Server;
  port: number;
  db: Database;
  sessions: SessionStore;
  /** Graceful stop; resolves true when every resource closed cleanly. */
  stop(): Promise<boolean>;
}

export async function bootstrap(config: Config, logger: Logger): Promise<Running> {
  const closers: Closer[] = [];
  try {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
    closers.push({ name: "database", close: () => db.close() });
    const sessions = createSessionStore(config.redisUrl, logger);
    closers.push({ name: "session store", close: () => sessions.close() });

    const routers: Router[] = [];
    const app = createApp({
      logger,
      checks: { database: () => db.ping(), sessions: () => sessions.ping() },
      routers,
    });
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
      s.once("error", reject);
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port, database: db.kind, sessions: sessions.kind }, `server listening on http://localhost:${port}`);
    return {
      server,
      port,
      db,
      sessions,
      stop: async () => {
        await closeServer(server, config.shutdownTimeoutMs);
        return closeAll(closers, logger);
      },
    };
  } catch (error) {
    await closeAll(closers, logger);
    throw error;
  }
}
