// The whole server on a free loopback port with an embedded database in a temporary folder.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { bootstrap, type Running } from "../../src/bootstrap.js";
import { loadConfig } from "../../src/config.js";
import type { Logger } from "../../src/logger.js";
import { type Backend, createPostgresDatabase } from "./db.js";
import { requireEnv } from "./env.js";
import { silentLogger } from "./logger.js";

export interface TestServer extends Running {
  /** The server's DATA_DIR (its embedded database, sessions, kept files). */
  dataDir: string;
  /** Stops the server and removes its data folder. */
  destroy(): Promise<void>;
  /**
   * Resolves once the pipeline is idle: every recorded event applied (or DEAD) and every
   * reply sent (or given up). Webhooks answer before processing, so tests wait on this.
   */
  settled(timeoutMs?: number): Promise<void>;
}

/** The pipeline of the database is idle (shared by tests that run several instances). */
export async function pipelineSettled(prisma: Running["db"]["prisma"], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // One statement, so one snapshot: two counts on two connections could see the inbox after
    // a turn committed and the outbox before it, and call the pipeline idle with a reply unsent.
    const [row] = await prisma.$queryRaw<{ events: number; replies: number }[]>`
      SELECT (SELECT count(*)::int FROM "InboundEvent" WHERE status = 'PENDING') AS events,
             (SELECT count(*)::int FROM "OutboxMessage" WHERE status IN ('PENDING', 'SENDING')) AS replies`;
    const { events, replies } = row!;
    if (events === 0 && replies === 0) return;
    if (Date.now() > deadline) throw new Error(`pipeline not idle after ${timeoutMs} ms: ${events} events, ${replies} replies`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function startServer(env: Record<string, string>, logger: Logger = silentLogger): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-server-"));
  const running = await bootstrap(loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, SIMULATOR: "off", ...env }), logger);
  return {
    ...running,
    dataDir,
    settled: (timeoutMs) => pipelineSettled(running.db.prisma, timeoutMs),
    destroy: async () => {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Settings for a server on a backend: the embedded defaults (PGlite, sessions in memory), or a
 * new database on the test PostgreSQL with the test Redis. `drop` removes the database.
 */
export async function backendEnv(backend: Backend): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (backend === "pglite") return { env: {}, drop: async () => undefined };
  const { url, drop } = await createPostgresDatabase();
  return { env: { DATABASE_URL: url, REDIS_URL: requireEnv("TEST_REDIS_URL") }, drop };
}
