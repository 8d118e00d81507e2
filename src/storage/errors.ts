// Recognises a unique-constraint violation whichever driver adapter raised it:
// @prisma/adapter-pg gives PrismaClientKnownRequestError P2002, pglite-prisma-adapter 0.6.1
// gives a DriverAdapterError whose cause is { kind: "postgres", code: "23505" }; a raw query
// through Prisma fails with P2010 and the server's code in `meta`; plain driver errors carry it
// as `code` (storage/plain-sql.ts).
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const record = e as { code?: unknown; cause?: unknown; meta?: { code?: unknown } };
    if (record.code === "P2002" || record.code === "23505" || record.meta?.code === "23505") return true;
    e = record.cause;
  }
  return false;
}
