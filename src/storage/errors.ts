// Recognises a unique-constraint violation whichever driver adapter raised it:
// @prisma/adapter-pg gives PrismaClientKnownRequestError P2002, pglite-prisma-adapter 0.6.1
// gives a DriverAdapterError whose cause is { kind: "postgres", code: "23505" }.
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const record = e as { code?: unknown; cause?: unknown; kind?: unknown };
    if (record.code === "P2002" || record.code === "23505") return true;
    e = record.cause;
  }
  return false;
}
