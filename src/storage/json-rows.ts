// Rows read as JSON (to_jsonb) to fetch related rows in one statement: JSON has no timestamps,
// so the listed fields come back as ISO strings and are turned into Dates here. Each caller
// lists the DateTime fields of its model (prisma/schema.prisma).

type DateFields<T> = { [K in keyof T]: T[K] extends Date | null ? K : never }[keyof T];

export function revive<T>(row: unknown, fields: readonly DateFields<T>[]): T {
  const record = row as Record<string, unknown>;
  for (const field of fields) {
    const value = record[field as string];
    if (typeof value === "string") record[field as string] = new Date(value);
  }
  return row as T;
}
