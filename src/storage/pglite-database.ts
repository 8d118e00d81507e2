// The embedded database: PGlite (PostgreSQL compiled to WASM, in this process) in DATA_DIR.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { PGlite } from "@electric-sql/pglite";
import { PrismaClient } from "../generated/prisma/client.js";
import { type Database, type DatabaseOptions, database } from "./database.js";
import { applyMigrations, type SqlRunner } from "./migrate.js";
import { pgliteAdapter } from "./pglite-adapter.js";
import { pgliteLanes } from "./pglite-lanes.js";
import { PgliteStatements } from "./pglite-statements.js";
import { type PlainTransaction, PRISMA_LIKE_PARSERS, plainSqlDb } from "./plain-sql.js";

/**
 * PGlite keeps its whole buffer pool in WASM memory, which never shrinks: 32 MB of shared
 * buffers instead of PostgreSQL's 128 MB default holds a ward's working set (the data files stay
 * in the OS page cache behind it) and takes ~100 MiB off the process.
 */
const PGLITE_OPTIONS = { postgresqlconf: ["shared_buffers = 32MB"] };

/**
 * V8 set for a small footprint before PGlite compiles its module (docs/pipeline.md, «On the
 * embedded database»), measured under the benchmark's load: peak RSS 340–420 → 231–259 MiB,
 * throughput within the runs' spread (126–145 against 129–145 attempt updates/s).
 * - `--liftoff-only`: WebAssembly by the baseline compiler only. TurboFan's compilations of
 *   PostgreSQL's large hot functions run on V8's background threads, and the allocator keeps
 *   what they used in per-thread arenas for the server's life (60–80 MiB); the baseline code was
 *   as fast here. Read at compile time, so it covers PGlite and, compiled after it, Prisma's
 *   query compiler.
 * - `--optimize-for-size`: V8's heap grows less eagerly (the JS heap under load was ~145 MiB).
 * Node allows flags at run time (`v8.setFlagsFromString`); both are heuristics read when used,
 * and only the embedded mode sets them: a server on PostgreSQL keeps V8's defaults.
 */
const SMALL_FOOTPRINT = "--liftoff-only --optimize-for-size";

/**
 * The tables that churn: rows inserted and updated on every update (the inbox, the outbox),
 * every answer, every arrival. Without autovacuum their dead rows are only pruned page by page and
 * the planner has no statistics (docs/pipeline.md, «Fewer, cheaper calls into PGlite»).
 */
const BUSY_TABLES = ["InboundEvent", "OutboxMessage", "Delivery", "Attempt", "AttemptQuestion", "PlatformAccount", "Participant"];
const UPKEEP_EVERY_MS = 10 * 60_000;

/**
 * Runs initdb on a fresh PGlite folder in a child process. The instance that ran it holds ~450
 * MiB more than one opened on an existing folder (RSS 700–850 against ~300, measured) until a
 * garbage collection happens to take it; a worker thread gave most of it back but left ~65 MiB
 * in the allocator's arenas for the life of the server (measured: 405 against 339 MiB idle);
 * a process returns all of it when it exits.
 */
async function initialiseFolder(dir: string): Promise<void> {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve("@electric-sql/pglite")).href;
  const script = `const { PGlite } = await import(process.env.PGLITE_ENTRY);
    const db = await PGlite.create(process.env.PGLITE_DIR, JSON.parse(process.env.PGLITE_OPTIONS));
    await db.close();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, PGLITE_ENTRY: entry, PGLITE_DIR: dir, PGLITE_OPTIONS: JSON.stringify(PGLITE_OPTIONS) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    errors = (errors + chunk).slice(-2000);
  });
  const failed = once(child, "error").then(([error]) => Promise.reject(error));
  const [code] = await Promise.race([once(child, "exit"), failed]);
  if (code !== 0) throw new Error(`initialising the embedded database in ${dir} failed (exit ${code}): ${errors.trim()}`);
}

export async function openPglite(options: DatabaseOptions): Promise<Database> {
  const dir = options.pgliteDir ?? path.join(options.dataDir, "pglite");
  const onDisk = !dir.startsWith("memory://");
  if (onDisk) await mkdir(dir, { recursive: true });
  const started = Date.now();
  if (onDisk && !existsSync(path.join(dir, "PG_VERSION"))) await initialiseFolder(dir);
  setFlagsFromString(SMALL_FOOTPRINT);
  const client = await PGlite.create(dir, PGLITE_OPTIONS);
  options.logger.info({ dir, ms: Date.now() - started }, "embedded database (PGlite) opened");
  // Inbox records, claims and settlements (urgent) go before turns and Prisma (storage/pglite-lanes.ts);
  // they and the turns' statements run prepared (storage/pglite-statements.ts).
  const { normal: db, urgent, exclusive } = pgliteLanes(client);
  const statements = new PgliteStatements(client);
  const normalRunner = pgliteRunner(db);
  const migrate = async () => {
    const applied = await applyMigrations(normalRunner, options.logger);
    if (applied.length > 0) await exclusive(() => statements.reset());
    return applied;
  };
  if (options.migrate !== false) await migrate();
  // PGlite has one connection: a cursor would hold it (and every turn with it) for the whole
  // export, as slow as the download. Pages by LIMIT/OFFSET let other statements run between
  // them; the embedded database holds a ward's rows, where re-running the query per page is cheap.
  const batches: Database["batches"] = async (query, size, each) => {
    const limit = Math.max(1, Math.floor(size));
    for (let offset = 0; ; offset += limit) {
      const { rows } = await db.query<never>(`${query.text} LIMIT ${limit} OFFSET ${offset}`, query.values);
      if (rows.length > 0) await each(rows);
      if (rows.length < limit) return;
    }
  };
  // In the normal lane, holding the connection for the whole transaction as Prisma's adapter does.
  const plainTransaction: PlainTransaction = (fn, opening) =>
    exclusive(() =>
      statements.transaction((opened) => {
        const run = async (text: string, values: unknown[]) => {
          const { rows, affectedRows } = await statements.query(text, values, { parsers: PRISMA_LIKE_PARSERS, inTransaction: true });
          return { rows, rowCount: affectedRows ?? rows.length };
        };
        return fn(plainSqlDb(run), opened);
      }, opening),
    );
  // Scripts (no parameters, rare) in the normal lane like the migrations'; statements go first, prepared.
  const urgentRunner: SqlRunner = {
    ...normalRunner,
    query: (sql, params = []) => urgent(async () => (await statements.query<never>(sql, params)).rows),
  };
  let upkeptAt = Number.NEGATIVE_INFINITY;
  const upkeep = async () => {
    if (Date.now() - upkeptAt < UPKEEP_EVERY_MS) return;
    upkeptAt = Date.now();
    // One table a statement: what waits in the urgent lane (acknowledgements) goes between them.
    for (const table of BUSY_TABLES) await exclusive(() => client.exec(`VACUUM (ANALYZE) "${table}"`));
  };
  return database(
    new PrismaClient({ adapter: pgliteAdapter(db) }),
    "pglite",
    urgentRunner,
    plainTransaction,
    batches,
    migrate,
    // After the work holding the connection: statements below PGlite's `query` skip its own lock.
    () => exclusive(() => client.close()),
    upkeep,
  );
}

function pgliteRunner(client: Pick<PGlite, "query" | "exec">): SqlRunner {
  return {
    query: async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) => (await client.query<T>(sql, params)).rows,
    script: async (sql: string) => {
      await client.exec(sql);
    },
  };
}
