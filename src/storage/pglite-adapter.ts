// pglite-prisma-adapter 0.6.1 is the last release for Prisma 6 (0.7 needs Prisma 7). It bundles
// @prisma/driver-adapter-utils 6.10 whose types differ nominally from 6.19's, while the runtime
// contract is the same (verified: docs/database.md). The cast lives here, once.
import type { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

export function pgliteAdapter(client: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return new PrismaPGlite(client) as unknown as SqlMigrationAwareDriverAdapterFactory;
}
