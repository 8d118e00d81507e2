// Prisma CLI configuration (generate, migrate). Runs offline: the JS schema engine talks to
// the database through the same driver adapters as the app (see docs/prisma.md).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { migrationAdapter } from "./src/storage/migration-adapter.js";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: migrationAdapter,
});
