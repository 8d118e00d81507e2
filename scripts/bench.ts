// Benchmark of the Telegram answer path, told truthfully: the server runs in its own process
// (the compiled `dist/main.js`, or the bare grammY baseline in scripts/bench/bare-bot.ts), this
// process is the load generator and plays the Bot API (a fake on loopback, with optional
// latency). Registered people take whole attempts (/thi, 10 taps, prediction, «Nộp bài")
// through the webhook, at most C requests in flight (Telegram's max_connections), each person
// waiting for the bot's reply before the next step. Prints end-to-end updates/s, percentiles of
// the webhook's answer time (the acknowledgement), server CPU per update (from /proc) and peak
// RSS (from the end of start-up), SQL statements per update on PostgreSQL (pg_stat_statements),
// the bare-grammY baseline in the same run.
// Usage: npm run bench -- [--people 200] [--concurrency 40,100] [--lanes N] [--latency 0] [--servers bare,embedded,postgres]
// Servers: bare (grammY baseline), embedded (PGlite + memory), postgres (PostgreSQL + Redis),
// split (postgres as two processes: a web-only instance and a worker instance).
// postgres and split need BENCH_DATABASE_URL (a server it may create databases on) and BENCH_REDIS_URL.
// The server, the fake Bot API and the /proc readings are in scripts/bench/harness.ts.
import os from "node:os";
import {
  Api,
  arg,
  lanes,
  limitConnections,
  offers,
  register,
  resetPeak,
  type Server,
  say,
  startServer,
  statements,
  tap,
  text,
  usage,
} from "./bench/harness.js";

const PEOPLE = Math.min(Number(arg("people", "200")), 2_000);
const CONCURRENCY = arg("concurrency", "40,100").split(",").map(Number);
const LATENCY_MS = Number(arg("latency", "0"));
// People taking attempts at once (each waits for the bot's reply before the next step); the
// webhook requests in flight are capped separately by --concurrency, as Telegram's
// max_connections caps them. Default: as many people as connections.
const LANES = arg("lanes", "");
const SERVERS = arg("servers", "bare,embedded").split(",");

async function attempt(server: Server, api: Api, id: number, latencies: number[]): Promise<number> {
  await say(server, api, id, text(id, "/thi"), latencies, offers("a:"));
  for (let q = 0; q < 10; q++) {
    const answer = api.keyboard(id).find((d) => d.startsWith("a:"));
    if (!answer) throw new Error(`person ${id}: no question ${q + 1}`);
    await say(server, api, id, tap(id, answer), latencies, q < 9 ? (b) => b.some((d) => d.startsWith("a:") && d !== answer) : undefined);
  }
  await say(server, api, id, text(id, "5"), latencies, offers("p:"));
  await say(server, api, id, tap(id, "p:ok"), latencies);
  return 13;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const rows: string[] = [];
let port = 39_400;
for (const kind of SERVERS) {
  for (const concurrency of CONCURRENCY) {
    const api = new Api(LATENCY_MS);
    await api.start();
    const server = await startServer(kind, api, port++);
    await resetPeak(server);
    limitConnections(concurrency);
    const inFlight = LANES ? Number(LANES) : concurrency;
    let failed = false;
    try {
      const people = Array.from({ length: PEOPLE }, (_, i) => 100_000 + i + port * 10_000);
      if (kind !== "bare") await lanes(people, inFlight, (id) => register(server, api, id, people.indexOf(id)));
      await statements(server); // resets the count: only the attempt phase is counted
      const before = await usage(server);
      const latencies: number[] = [];
      const started = performance.now();
      const counts = await lanes(people, inFlight, (id) => attempt(server, api, id, latencies));
      const seconds = (performance.now() - started) / 1000;
      const after = await usage(server);
      const sql = await statements(server);
      const updates = counts.reduce((a, b) => a + b, 0);
      latencies.sort((a, b) => a - b);
      rows.push(
        `| ${kind} | ${concurrency} | ${inFlight} | ${LATENCY_MS} ms | ${(updates / seconds).toFixed(0)} | ${pct(latencies, 50).toFixed(1)} ms | ${pct(latencies, 95).toFixed(1)} ms | ${pct(latencies, 99).toFixed(1)} ms | ${(((after.cpu - before.cpu) * 1000) / updates).toFixed(2)} ms | ${after.peakMiB.toFixed(0)} MiB | ${sql === undefined ? "–" : (sql / updates).toFixed(1)} |`,
      );
      console.log(rows.at(-1));
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      await server.cleanup(failed);
      await api.fake.stop();
    }
  }
}
console.log(`\n${PEOPLE} people × 13 attempt updates each; Bot API latency ${LATENCY_MS} ms; ${os.cpus().length} cores`);
console.log(
  "| server | connections | people in flight | Bot API latency | attempt updates/s | ack p50 | ack p95 | ack p99 | server CPU per update | peak RSS | SQL statements per update |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const row of rows) console.log(row);
