// Driver adapter for the Prisma CLI's JS schema engine (prisma.config.ts). Used to author new
// migrations with `prisma migrate dev` against an embedded PGlite folder; applying migrations
// is done by src/storage/migrate.ts for both backends (see docs/database.md for why).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgliteAdapter } from "./pglite-adapter.js";

export async function migrationAdapter() {
  const dataDir = process.env.PRISMA_DEV_DIR ?? path.join(process.env.DATA_DIR ?? "./data", "prisma-dev");
  mkdirSync(dataDir, { recursive: true }); // PGlite does not create parent folders
  return pgliteAdapter(new PGlite(dataDir));
}
