// Operator CLI: `npm run cli -- <command>`. Uses the same configuration as the server.
import { Command } from "commander";
import { type Config, configSecrets, loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { type Database, openDatabase } from "../storage/database.js";
import { registerCertificateCommands } from "./certificate-commands.js";
import { registerContestCommands } from "./contest-commands.js";
import { registerOrganizerCommands, registerTokenCommands } from "./organizer-commands.js";
import { registerTelegramCommands } from "./telegram-commands.js";
import { registerUserCommands } from "./user-commands.js";

export interface CliContext {
  config: Config;
  /** Opens the database (applying pending migrations unless told not to), runs fn, closes it. */
  withDatabase<T>(fn: (db: Database) => Promise<T>, options?: { migrate?: boolean }): Promise<T>;
}

const config = loadConfig();
const logger = createLogger(process.env.LOG_LEVEL ?? "warn", { secrets: configSecrets(config) });

// PGlite allows one process per data folder: with the embedded database, stop the server first.
const context: CliContext = {
  config,
  async withDatabase(fn, options) {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger, migrate: options?.migrate });
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
    const applied = await context.withDatabase((db) => db.migrate(), { migrate: false });
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "no pending migrations");
  });

registerContestCommands(program, context);
registerTelegramCommands(program, context);
registerOrganizerCommands(program, context);
registerCertificateCommands(program, context);
registerUserCommands(program, context);
registerTokenCommands(program, context);

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
