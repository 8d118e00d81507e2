// A PostgreSQL server through node-postgres: a pool for Prisma and the turns, a small one for
// the urgent statements, cursors for exports.
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import { type Database, type DatabaseOptions, database } from "./database.js";
import { applyMigrations, type SqlRunner } from "./migrate.js";
import { NeedsPrismaError, type PlainTransaction, PRISMA_LIKE_PARSERS, plainSqlDb } from "./plain-sql.js";

/** FETCHes from the open cursor `batch_rows` until it is exhausted. */
async function fetchAll<T>(query: (sql: string) => Promise<T[]>, size: number, each: (rows: T[]) => Promise<void>): Promise<void> {
  for (;;) {
    const rows = await query(`FETCH ${Math.max(1, Math.floor(size))} FROM batch_rows`);
    if (rows.length > 0) await each(rows);
    if (rows.length < size) return;
  }
}

export async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
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
  const plainTransaction: PlainTransaction = async (fn, opening) => {
    const conn = await pool.connect();
    try {
      let opened: number | undefined;
      if (opening) {
        // Simple protocol, two statements: one round trip; pg returns one result per statement.
        const results = (await conn.query(`BEGIN; ${opening}`)) as unknown as pg.QueryResult[];
        opened = results[1]?.rowCount ?? 0;
      } else await conn.query("BEGIN");
      const result = await fn(
        plainSqlDb(async (text, values) => {
          const { rows, rowCount } = await conn.query({ name: preparedName(text), text, values, types } as pg.QueryConfig);
          return { rows, rowCount: rowCount ?? rows.length };
        }),
        opened,
      );
      await conn.query("COMMIT");
      conn.release();
      return result;
    } catch (error) {
      // A statement prepared before a migration changed its table ("cached plan must not change
      // result type", e.g. `RETURNING a.*` after a column was added by a newer instance): the
      // connection, with its prepared statements, is dropped and the turn runs on Prisma.
      const stale = (error as { code?: string }).code === "0A000";
      await conn.query("ROLLBACK").then(
        () => conn.release(stale ? true : undefined),
        () => conn.release(true), // a connection that cannot roll back is not reused
      );
      if (stale) throw new NeedsPrismaError("prepared statement", (error as Error).message);
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

function pgClientRunner(client: pg.ClientBase | pg.Pool): SqlRunner {
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
