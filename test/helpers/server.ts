// The whole server on a free loopback port with an embedded database in a temporary folder.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { bootstrap, type Running } from "../../src/bootstrap.js";
import { loadConfig } from "../../src/config.js";
import type { Logger } from "../../src/logger.js";
import { silentLogger } from "./logger.js";

export interface TestServer extends Running {
  /** Stops the server and removes its data folder. */
  destroy(): Promise<void>;
}

export async function startServer(env: Record<string, string>, logger: Logger = silentLogger): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-server-"));
  const running = await bootstrap(loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, SIMULATOR: "off", ...env }), logger);
  return {
    ...running,
    destroy: async () => {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
