// Opens the database: PGlite in DATA_DIR when no DATABASE_URL is set (zero set-up), otherwise a
// PostgreSQL server through node-postgres (pglite-database.ts, postgres-database.ts, each
// loaded only when used). Both get the same migrations, then a Prisma client on the matching
// driver adapter.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { SqlRunner } from "./migrate.js";
import type { PlainTransaction } from "./plain-sql.js";

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
  /**
   * Housekeeping the database needs now and then (the server's slow tick calls it): PGlite runs
   * PostgreSQL in single-user mode, without autovacuum, so there it vacuums and analyzes the busy
   * tables (at most every ten minutes); on PostgreSQL autovacuum does that and this does nothing.
   */
  upkeep(): Promise<void>;
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

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return (await import("./postgres-database.js")).openPostgres(options.databaseUrl, options);
  return (await import("./pglite-database.js")).openPglite(options);
}

/** The Database both drivers hand out, from their parts. */
export function database(
  prisma: PrismaClient,
  kind: Database["kind"],
  urgent: SqlRunner,
  plainTransaction: PlainTransaction,
  batches: Database["batches"],
  migrate: () => Promise<string[]>,
  closeDriver: () => Promise<void>,
  upkeep: () => Promise<void> = async () => undefined,
): Database {
  return {
    prisma,
    kind,
    urgent,
    plainTransaction,
    batches,
    migrate,
    upkeep,
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: async () => {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
