// One database handle type for domain services: the client, or the transaction of the turn
// being processed. A turn's effects commit together with its replies and its inbox mark
// (src/pipeline), so services must not open transactions of their own inside it.
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient | Prisma.TransactionClient;

const isClient = (db: Db): db is PrismaClient => typeof (db as { $transaction?: unknown }).$transaction === "function";

/** Runs `fn` in a transaction of its own, or as part of the caller's when `db` is one. */
export function atomically<T>(
  db: Db,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  return isClient(db) ? db.$transaction(fn, options) : fn(db);
}

let savepoints = 0;

/**
 * Runs `fn` so that its failure (a unique violation a caller recovers from) leaves the
 * surrounding transaction usable: PostgreSQL aborts a transaction on any error unless the
 * failed statement ran under a savepoint. Outside a transaction it just runs `fn`.
 */
export async function recoverable<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (isClient(db)) return fn();
  const name = `sp_${++savepoints % 1_000_000}`;
  await db.$executeRawUnsafe(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await db.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await db.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}
