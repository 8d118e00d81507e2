// Operator CLI: `npm run cli -- <command>`. Uses the same configuration as the server.
import { Command } from "commander";
import { loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { openDatabase, type Database } from "../storage/database.js";

export interface CliContext {
  withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T>;
}

const config = loadConfig();
const logger = createLogger(process.env.LOG_LEVEL ?? "warn");

const context: CliContext = {
  async withDatabase(fn) {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger, migrate: false });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  },
};

const program = new Command().name("contest-bot").description("Contest bot operator commands");

program
  .command("migrate")
  .description("apply pending database migrations (PGlite in DATA_DIR, or DATABASE_URL)")
  .action(async () => {
    const applied = await context.withDatabase((db) => db.migrate());
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "no pending migrations");
  });


program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
