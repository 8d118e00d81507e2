// Driver adapter for the Prisma CLI's JS schema engine (prisma.config.ts). Used to author new
// migrations with `prisma migrate dev` against a scratch PGlite folder; applying migrations is
// done by src/storage/migrate.ts for both backends (docs/database.md says why).
// PGlite is opened only when the CLI connects: commands such as `prisma -v` or `generate`
// load this config too, and an open PGlite would keep them from exiting.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { pgliteAdapter } from "./pglite-adapter.js";

export async function migrationAdapter(): Promise<SqlMigrationAwareDriverAdapterFactory> {
  let factory: SqlMigrationAwareDriverAdapterFactory | undefined;
  const open = () => {
    if (!factory) {
      const dataDir = process.env.PRISMA_DEV_DIR ?? path.join(process.env.DATA_DIR ?? "./data", "prisma-dev");
      mkdirSync(dataDir, { recursive: true }); // PGlite does not create parent folders
      factory = pgliteAdapter(new PGlite(dataDir));
    }
    return factory;
  };
  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: () => open().connect(),
    connectToShadowDb: () => open().connectToShadowDb(),
  };
}
