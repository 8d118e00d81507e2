// Entry point of `npm start`.

import { bootstrap } from "./bootstrap.js";
import { type Config, ConfigError, configSecrets, loadConfig } from "./config.js";
import { createLogger, guardProcess } from "./logger.js";
import { onShutdownSignal } from "./server/lifecycle.js";

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, { secrets: configSecrets(config) });
  guardProcess(logger);
  const running = await bootstrap(config, logger);
  onShutdownSignal(logger, running.stop);
}

main().catch((error: unknown) => {
  console.error("start-up failed:", error);
  process.exit(1);
});
