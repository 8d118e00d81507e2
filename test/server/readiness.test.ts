import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap, type Running } from "../../src/bootstrap.js";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../helpers/logger.js";
import { RedisProcess } from "../helpers/redis-server.js";

async function readyStatus(running: Running): Promise<number> {
  return (await request(running.server).get("/readyz")).status;
}

async function eventually(fn: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("health endpoints with real Redis", () => {
  let redis: RedisProcess;
  let running: Running;
  let dataDir: string;

  beforeAll(async () => {
    redis = await RedisProcess.create();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-ready-"));
    const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, REDIS_URL: redis.url, SIMULATOR: "off" });
    running = await bootstrap(config, silentLogger);
  });

  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers /healthz and /readyz while everything is up", async () => {
    expect((await request(running.server).get("/healthz")).status).toBe(200);
    const ready = await request(running.server).get("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: "ok", sessions: "ok" });
    expect(ready.body.notes.outbox).toEqual({ replies: { pending: 0, failed: 0, lagSeconds: 0 }, deliveries: 0 });
  });

  it("turns /readyz 503 when Redis stops, stays alive, and recovers when it returns", async () => {
    await redis.stop();
    await eventually(async () => (await readyStatus(running)) === 503);
    const down = await request(running.server).get("/readyz");
    expect(down.body.checks).toEqual({ database: "ok", sessions: "unavailable" });
    expect((await request(running.server).get("/healthz")).status).toBe(200);
    await redis.start();
    await eventually(async () => (await readyStatus(running)) === 200);
  });
});
