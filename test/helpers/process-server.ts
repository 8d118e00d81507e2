// The server as a separate process (node + tsx on src/main.ts), for tests that kill it with
// SIGKILL and start it again on the same data.
import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "./redis-server.js";

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  /** SIGKILL: no graceful stop, nothing flushed. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once("exit", () => r()));

/** Starts the server with `env` (on a free port unless PORT is given) and waits for /healthz. */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, HOST: "127.0.0.1", SIMULATOR: "off", LOG_LEVEL: "silent", ...env, PORT: String(port) },
    stdio: "ignore",
  });
  const server: ServerProcess = {
    port,
    child,
    kill: async () => {
      child.kill("SIGKILL");
      await exited(child);
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited(child);
    },
  };
  for (let i = 0; i < 600; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return server;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.kill();
  throw new Error("server did not start");
}
