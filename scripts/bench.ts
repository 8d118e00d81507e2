// Benchmark: N simulated participants register and take a whole attempt at once through the
// simulator's HTTP API on loopback, against the embedded defaults (or DATABASE_URL/REDIS_URL
// if set). Prints latency percentiles, throughput and memory. Bounded; never leaves loopback.
// Usage: npm run bench -- [participants=50]
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { bootstrap } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";

const participants = Math.min(Number(process.argv[2] ?? 50), 500);
const dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-bench-"));
const running = await bootstrap(
  loadConfig({ ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, SIMULATOR: "on", BACKGROUND: "off", LOG_LEVEL: "silent" }),
  createLogger("silent"),
);
const base = `http://127.0.0.1:${running.port}/simulator/api/event`;
const latencies: number[] = [];

async function send(user: string, event: object): Promise<{ messages: { text: string; buttons?: { data: string }[][] }[] }> {
  const started = performance.now();
  const res = await fetch(base, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user, event }) });
  latencies.push(performance.now() - started);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json() as Promise<{ messages: { text: string; buttons?: { data: string }[][] }[] }>;
}

async function participant(i: number): Promise<void> {
  const user = `bench-${i}`;
  await send(user, { type: "start", payload: "TDP01" });
  await send(user, { type: "button", data: "c:y" });
  await send(user, { type: "text", text: "Nguyễn Văn Thử" });
  await send(user, { type: "text", text: "01/01/1990" });
  await send(user, { type: "contact", phone: `0912${String(i).padStart(6, "0")}` });
  await send(user, { type: "button", data: "au:DAN" });
  await send(user, { type: "button", data: "cf:ok" });
  let reply = await send(user, { type: "button", data: "m:thi" });
  for (let q = 0; q < 10; q++) {
    const answer = reply.messages.at(-1)?.buttons?.[0]?.[0]?.data;
    if (!answer?.startsWith("a:")) throw new Error(`participant ${i}: no question ${q + 1}`);
    reply = await send(user, { type: "button", data: answer });
  }
  await send(user, { type: "text", text: "5" });
  await send(user, { type: "button", data: "p:ok" });
}

const started = performance.now();
await Promise.all(Array.from({ length: participants }, (_, i) => participant(i)));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
const attempts = await running.db.prisma.attempt.count({ where: { status: "SUBMITTED" } });
console.log(`database ${running.db.kind}, sessions ${running.sessions.kind}`);
console.log(
  `${participants} participants, ${latencies.length} requests in ${seconds.toFixed(1)} s → ${(latencies.length / seconds).toFixed(0)} req/s`,
);
console.log(`latency ms: p50 ${pct(50)}, p95 ${pct(95)}, p99 ${pct(99)}, max ${latencies.at(-1)!.toFixed(1)}`);
console.log(
  `submitted attempts: ${attempts}; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
await running.stop();
await rm(dataDir, { recursive: true, force: true });
