// A transaction handle for the hot path that bypasses Prisma's client: `$queryRaw` and
// `$executeRaw` (and their Unsafe forms) sent straight to the driver on a connection of the
// turn's own. Prisma's interactive transaction costs about a fifth of the server's CPU on an
// answer tap (its request pipeline and query compiler run for every `$queryRaw`, measured in
// docs/pipeline.md); the services on the answer path are plain SQL already, so the same code
// runs on either handle. Anything else a service touches (a model query such as
// `db.question.findMany`) throws `NeedsPrismaError`: the caller rolls back and runs the turn
// again on Prisma's transaction, so a turn outside the hot path costs a little more, never
// behaves differently.
//
// Values come back as Prisma's `$queryRaw` gives them for the types the schema uses: int8 as
// BigInt, numeric as Decimal, timestamps and dates as Dates in UTC, JSON parsed.
import { Prisma } from "../generated/prisma/client.js";

/** Runs one statement with `$1…` placeholders on the transaction's connection. */
export type SqlRun = (text: string, values: unknown[]) => Promise<{ rows: unknown[]; rowCount: number }>;

/**
 * Runs `fn` in a transaction on a plain driver connection; commits when it resolves. `opening`,
 * a statement without parameters (its values written by the caller, never from outside), runs
 * first, in the same round trip as BEGIN on PostgreSQL; `fn` gets its row count.
 */
export type PlainTransaction = <T>(fn: (db: Prisma.TransactionClient, opened?: number) => Promise<T>, opening?: string) => Promise<T>;

/**
 * The turn must run on Prisma's transaction instead: a service asked the plain handle for
 * something only Prisma's client has (`member`), or the plain path could not serve it now.
 */
export class NeedsPrismaError extends Error {
  constructor(
    readonly member: string,
    reason = `${member} needs Prisma's client`,
  ) {
    super(`plain SQL transaction: ${reason}`);
  }
}

/** Parsers by type OID where the drivers' defaults differ from Prisma's `$queryRaw`. */
export const PRISMA_LIKE_PARSERS: Record<number, (value: string) => unknown> = {
  20: (value) => BigInt(value), // int8
  1700: (value) => new Prisma.Decimal(value), // numeric
  1082: (value) => new Date(`${value}T00:00:00Z`), // date: midnight UTC, as Prisma reads it
  1114: (value) => new Date(`${value.replace(" ", "T")}Z`), // timestamp without time zone: UTC
};

// Dates go as ISO strings with their zone, read the same by timestamp and timestamptz columns
// whatever the connection's time zone; byte arrays as Buffers.
function parameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

function statement(args: unknown[]): Prisma.Sql {
  const [first, ...rest] = args;
  if (first instanceof Prisma.Sql) return first;
  return Prisma.sql(first as TemplateStringsArray, ...rest);
}

/** The Prisma-shaped handle over `run`: raw queries only. */
export function plainSqlDb(run: SqlRun): Prisma.TransactionClient {
  const send = (text: string, values: unknown[]) => run(text, values.map(parameter));
  const members: Record<string, unknown> = {
    $queryRaw: async (...args: unknown[]) => {
      const sql = statement(args);
      return (await send(sql.text, sql.values)).rows;
    },
    $executeRaw: async (...args: unknown[]) => {
      const sql = statement(args);
      return (await send(sql.text, sql.values)).rowCount;
    },
    $queryRawUnsafe: async (text: string, ...values: unknown[]) => (await send(text, values)).rows,
    $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await send(text, values)).rowCount,
  };
  return new Proxy(members, {
    get(target, member) {
      if (typeof member === "symbol" || member in target) return target[member as string];
      // Probes that must not fail: "is this a client?" (storage/transaction.ts) and "is this a promise?".
      if (member === "$transaction" || member === "then") return undefined;
      throw new NeedsPrismaError(member);
    },
  }) as unknown as Prisma.TransactionClient;
}
