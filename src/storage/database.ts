// Opens the database: PGlite in DATA_DIR when no DATABASE_URL is set (zero set-up), otherwise a
// PostgreSQL server through node-postgres. Both get the same migrations, then a Prisma client
// on the matching driver adapter.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { applyMigrations, type SqlRunner } from "./migrate.js";
import { type PlainTransaction, PRISMA_LIKE_PARSERS, plainSqlDb } from "./plain-sql.js";

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  kind: "pglite" | "postgres";
  /**
   * Raw SQL on connections kept apart from the busy pool, for short statements outside
   * transactions (a webhook's inbox record before its acknowledgement, the workers' claims and
   * settlements): they never queue behind turn transactions, and skip Prisma's per-query cost.
   * PostgreSQL: a small pool of its own; PGlite: its only connection.
   */
  urgent: SqlRunner;
  /**
   * A transaction on a plain driver connection whose handle serves `$queryRaw`/`$executeRaw`
   * only (storage/plain-sql.ts): the conversation turn's fast path, without Prisma's per-query cost.
   */
  plainTransaction: PlainTransaction;
  /**
   * Reads a query's rows `size` at a time, handing each batch to `each` and waiting for it:
   * bounded memory for a million rows, plain driver rows (pg's types) without Prisma's per-row
   * conversions. PostgreSQL: a cursor in a read-only transaction on a connection of its own.
   * PGlite: pages by LIMIT/OFFSET, so the query must end with an ORDER BY that orders its rows
   * fully, and other statements run between pages.
   */
  batches<T>(query: { text: string; values: unknown[] }, size: number, each: (rows: T[]) => Promise<void>): Promise<void>;
  /** Applies pending migrations (done on open unless disabled); returns the names applied. */
  migrate(): Promise<string[]>;
  /** Resolves when a trivial query succeeds. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  logger: Logger;
  /** PGlite location instead of DATA_DIR/pglite, e.g. "memory://" for a throw-away database. */
  pgliteDir?: string;
  /** Apply pending migrations before opening (default true). */
  migrate?: boolean;
}

/**
 * PGlite keeps its whole buffer pool in WASM memory, which never shrinks: 32 MB of shared
 * buffers instead of PostgreSQL's 128 MB default holds a ward's working set (the data files stay
 * in the OS page cache behind it) and takes ~100 MiB off the process.
 */
const PGLITE_OPTIONS = { postgresqlconf: ["shared_buffers = 32MB"] };

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

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const dir = options.pgliteDir ?? path.join(options.dataDir, "pglite");
  const onDisk = !dir.startsWith("memory://");
  if (onDisk) await mkdir(dir, { recursive: true });
  const started = Date.now();
  if (onDisk && !existsSync(path.join(dir, "PG_VERSION"))) await initialiseFolder(dir);
  // Loaded only for the embedded database: a server on PostgreSQL does without them.
  const [{ PGlite }, { pgliteAdapter }, { pgliteLanes }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("./pglite-adapter.js"),
    import("./pglite-lanes.js"),
  ]);
  const client = await PGlite.create(dir, PGLITE_OPTIONS);
  options.logger.info({ dir, ms: Date.now() - started }, "embedded database (PGlite) opened");
  // Inbox records, claims and settlements (urgent) go before turns and Prisma (storage/pglite-lanes.ts).
  const { normal: db, urgentQuery } = pgliteLanes(client);
  const migrate = () => applyMigrations(pgliteRunner(db), options.logger);
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
  // PGlite's own transaction in the normal lane, as Prisma's adapter runs its transactions.
  const plainTransaction: PlainTransaction = (fn) =>
    db.transaction(async (tx) => {
      const result = await fn(
        plainSqlDb(async (text, values) => {
          const { rows, affectedRows } = await tx.query(text, values, { parsers: PRISMA_LIKE_PARSERS });
          return { rows, rowCount: affectedRows ?? rows.length };
        }),
      );
      return result;
    });
  return database(
    new PrismaClient({ adapter: pgliteAdapter(db) }),
    "pglite",
    pgliteRunner({ query: urgentQuery, exec: db.exec }),
    plainTransaction,
    batches,
    migrate,
    () => client.close(),
  );
}

/** FETCHes from the open cursor `batch_rows` until it is exhausted. */
async function fetchAll<T>(query: (sql: string) => Promise<T[]>, size: number, each: (rows: T[]) => Promise<void>): Promise<void> {
  for (;;) {
    const rows = await query(`FETCH ${Math.max(1, Math.floor(size))} FROM batch_rows`);
    if (rows.length > 0) await each(rows);
    if (rows.length < size) return;
  }
}

function database(
  prisma: PrismaClient,
  kind: Database["kind"],
  urgent: SqlRunner,
  plainTransaction: PlainTransaction,
  batches: Database["batches"],
  migrate: () => Promise<string[]>,
  closeDriver: () => Promise<void>,
): Database {
  return {
    prisma,
    kind,
    urgent,
    plainTransaction,
    batches,
    migrate,
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: async () => {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}

export function pgliteRunner(client: Pick<PGlite, "query" | "exec">): SqlRunner {
  return {
    query: async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) => (await client.query<T>(sql, params)).rows,
    script: async (sql: string) => {
      await client.exec(sql);
    },
  };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 20, connectionTimeoutMillis: 5_000 });
  // Its claims depend on how much is waiting (a LIMIT, lease times): planned for their values
  // each time rather than by a generic plan of the prepared statement (a claim under 300 people
  // in flight took half the time).
  const urgent = new pg.Pool({
    connectionString: url,
    max: 6,
    connectionTimeoutMillis: 5_000,
    options: "-c plan_cache_mode=force_custom_plan",
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  for (const p of [pool, urgent]) p.on("error", (error) => options.logger.error({ err: error }, "PostgreSQL pool error"));
  const migrate = async () => {
    const conn = await pool.connect();
    try {
      return await applyMigrations(pgClientRunner(conn), options.logger);
    } finally {
      conn.release();
    }
  };
  if (options.migrate !== false) await migrate();
  options.logger.info("PostgreSQL server connected");
  const batches: Database["batches"] = async (query, size, each) => {
    const conn = await pool.connect();
    try {
      await conn.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await conn.query(`DECLARE batch_rows NO SCROLL CURSOR FOR ${query.text}`, query.values);
      await fetchAll((sql) => conn.query(sql).then((r) => r.rows), size, each);
      await conn.query("COMMIT");
      conn.release();
    } catch (error) {
      conn.release(error instanceof Error ? error : true); // a connection mid-transaction is not reused
      throw error;
    }
  };
  const types = {
    getTypeParser: (oid: number, format?: string) => PRISMA_LIKE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as "text"),
  };
  // On the turn pool, beside Prisma's transactions: one connection for the whole turn.
  const plainTransaction: PlainTransaction = async (fn) => {
    const conn = await pool.connect();
    try {
      await conn.query("BEGIN");
      const result = await fn(
        plainSqlDb(async (text, values) => {
          const { rows, rowCount } = await conn.query({ name: preparedName(text), text, values, types } as pg.QueryConfig);
          return { rows, rowCount: rowCount ?? rows.length };
        }),
      );
      await conn.query("COMMIT");
      conn.release();
      return result;
    } catch (error) {
      await conn.query("ROLLBACK").then(
        () => conn.release(),
        () => conn.release(true), // a connection that cannot roll back is not reused
      );
      throw error;
    }
  };
  return database(
    new PrismaClient({ adapter: new PrismaPg(pool) }),
    "postgres",
    pgClientRunner(urgent),
    plainTransaction,
    batches,
    migrate,
    async () => {
      await urgent.end();
      await pool.end();
    },
  );
}

// The turn's statements, the inbox's and the outbox's are a few fixed texts run thousands of
// times: prepared once per connection (by a name derived from the text), PostgreSQL parses and
// plans them once instead of on every use. Texts beyond the first PREPARED_LIMIT (a query built from a variable list) run
// unnamed, so a connection never accumulates unbounded prepared statements.
const PREPARED_LIMIT = 200;
const preparedNames = new Map<string, string>();
function preparedName(text: string): string | undefined {
  const known = preparedNames.get(text);
  if (known || preparedNames.size >= PREPARED_LIMIT) return known;
  const name = `turn_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
  preparedNames.set(text, name);
  return name;
}

export function pgClientRunner(client: pg.ClientBase | pg.Pool): SqlRunner {
  return {
    query: async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) => {
      const config: pg.QueryConfig = { name: preparedName(sql), text: sql, values: params };
      return (await (client as pg.ClientBase).query<T>(config)).rows;
    },
    script: async (sql: string) => {
      await client.query(sql);
    },
  };
}
