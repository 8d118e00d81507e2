// Fresh databases for tests: an embedded PGlite in a temporary folder, or a new database on
// the test PostgreSQL server. Both run the real migrations.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "../../src/storage/database.js";
import { requireEnv } from "./env.js";
import { silentLogger } from "./logger.js";

export type Backend = "pglite" | "postgres";
export const BACKENDS: Backend[] = ["pglite", "postgres"];

export interface TestDatabase extends Database {
  /** Closes and removes the database. */
  destroy(): Promise<void>;
  /** Connection URL (postgres only) for opening a second client on the same database. */
  url?: string;
}

export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = requireEnv("TEST_DATABASE_URL");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function freshDatabase(backend: Backend, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (backend === "pglite") {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-pglite-"));
    const db = await openDatabase({ dataDir, logger: silentLogger, migrate: options.migrate });
    return {
      ...db,
      destroy: async () => {
        await db.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const { url, drop } = await createPostgresDatabase();
  const db = await openDatabase({ databaseUrl: url, dataDir: os.tmpdir(), logger: silentLogger, migrate: options.migrate });
  return {
    ...db,
    url,
    destroy: async () => {
      await db.close();
      await drop();
    },
  };
}
