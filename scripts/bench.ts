// Benchmark of the Telegram answer path, told truthfully: the server runs in its own process
// (the compiled `dist/main.js`, or the bare grammY baseline in scripts/bench/bare-bot.ts), this
// process is the load generator and plays the Bot API (a fake on loopback, with optional
// latency). Registered people take whole attempts (/thi, 10 taps, prediction, «Nộp bài")
// through the webhook, at most C requests in flight (Telegram's max_connections), each person
// waiting for the bot's reply before the next step. Prints end-to-end updates/s, percentiles of
// the webhook's answer time (the acknowledgement), server CPU per update (from /proc) and
// peak RSS (from the end of start-up), SQL statements per update on PostgreSQL (pg_stat_statements), the bare-grammY
// baseline in the same run.
// Usage: npm run bench -- [--people 200] [--concurrency 40,100] [--lanes N] [--latency 0] [--servers bare,embedded,postgres]
// Servers: bare (grammY baseline), embedded (PGlite + memory), postgres (PostgreSQL + Redis),
// split (postgres as two processes: a web-only instance and a worker instance).
// postgres and split need BENCH_DATABASE_URL (a server it may create databases on) and BENCH_REDIS_URL.
// One file on purpose (~270 lines): the benchmark is one program, read top to bottom.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { FakeTelegram } from "../test/helpers/fake-telegram.js";
import { callbackUpdate, contactUpdate, textUpdate } from "../test/helpers/telegram-updates.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const PEOPLE = Math.min(Number(arg("people", "200")), 2_000);
const CONCURRENCY = arg("concurrency", "40,100").split(",").map(Number);
const LATENCY_MS = Number(arg("latency", "0"));
// People taking attempts at once (each waits for the bot's reply before the next step); the
// webhook requests in flight are capped separately by --concurrency, as Telegram's
// max_connections caps them. Default: as many people as connections.
const LANES = arg("lanes", "");
const SERVERS = arg("servers", "bare,embedded").split(",");
const SECRET = "bench_secret";
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

type Update = object;
const text = (id: number, t: string): Update => textUpdate(id, t);
const tap = (id: number, data: string): Update => callbackUpdate(id, data);
const contact = (id: number, phone: string): Update => contactUpdate(id, phone);

/** The fake Bot API: remembers each chat's latest inline keyboard and wakes whoever waits on a chat. */
class Api {
  readonly fake = new FakeTelegram();
  private readonly keyboards = new Map<string, string[]>();
  private readonly waiters = new Map<string, { until: (buttons: string[]) => boolean; wake: () => void }>();
  calls = 0;
  async start(): Promise<void> {
    this.fake.keepCalls = false;
    this.fake.delayMs = LATENCY_MS;
    this.fake.onCall = (call) => {
      this.calls++;
      const chatId = String(call.payload.chat_id ?? "");
      const markup = call.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | string | undefined;
      const parsed = typeof markup === "string" ? (JSON.parse(markup) as { inline_keyboard?: { callback_data?: string }[][] }) : markup;
      const data = parsed?.inline_keyboard?.flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
      if (chatId && data?.length) this.keyboards.set(chatId, data);
      const waiter = this.waiters.get(chatId);
      if (chatId && call.method !== "answerCallbackQuery" && waiter?.until(data ?? [])) waiter.wake();
    };
    await this.fake.start();
  }
  keyboard(chatId: number): string[] {
    return this.keyboards.get(String(chatId)) ?? [];
  }
  /**
   * Resolves on the next message sent or edited in this chat whose buttons satisfy `until`
   * (a reply of several messages ends with the one that carries the buttons), or after 30 s.
   */
  reply(chatId: number, until: (buttons: string[]) => boolean = () => true): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      this.waiters.set(String(chatId), {
        until,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(String(chatId));
          resolve();
        },
      });
    });
  }
}

interface Server {
  name: string;
  /** The server's PostgreSQL database (postgres and split), where statements are counted. */
  databaseUrl?: string;
  /** The processes of the server (CPU and memory are summed). */
  children: ChildProcess[];
  url: string;
  cleanup(): Promise<void>;
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not become healthy");
}

async function freshPostgres(): Promise<string> {
  const admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL });
  await admin.connect();
  const name = `bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(process.env.BENCH_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startServer(kind: string, api: Api, port: number): Promise<Server> {
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cb-bench-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    PORT: String(port),
    HOST: "127.0.0.1",
    TELEGRAM_API_ROOT: api.fake.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  };
  let entry = path.join(ROOT, "dist", "main.js");
  if (kind === "bare") entry = path.join(ROOT, "scripts", "bench", "bare-bot.ts");
  else {
    Object.assign(env, {
      TELEGRAM_BOT_TOKEN: "12345:bench",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      SIMULATOR: "off",
      NODE_ENV: "production",
    });
    // Tuning under test, passed through when set: INBOX_CONCURRENCY.
    if (process.env.INBOX_CONCURRENCY) env.INBOX_CONCURRENCY = process.env.INBOX_CONCURRENCY;
    if (kind !== "embedded") Object.assign(env, { DATABASE_URL: await freshPostgres(), REDIS_URL: process.env.BENCH_REDIS_URL! });
  }
  // tsx as a loader inside the server's own process (its CLI would measure a wrapper process).
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const args = kind === "bare" ? ["--import", "tsx", entry] : [...nodeArgs, entry];
  // "split": a web-only instance answers the webhook; a second instance applies and sends.
  const roles: Record<string, string>[] = kind === "split" ? [{ WORKERS: "off", BACKGROUND: "off" }, { PORT: String(port + 1000) }] : [{}];
  const children: ChildProcess[] = [];
  for (const role of roles) {
    const child = spawn(process.execPath, args, { env: { ...env, ...role }, stdio: ["ignore", "ignore", "inherit"] });
    children.push(child);
    await waitHealthy(`http://127.0.0.1:${role.PORT ?? port}`, child);
  }
  return {
    name: kind,
    databaseUrl: env.DATABASE_URL,
    children,
    url,
    cleanup: async () => {
      for (const child of children) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * SQL statements run in the server's database since the last call (pg_stat_statements, which
 * scripts/test-services.sh preloads); undefined for the embedded database and the bare bot.
 */
async function statements(server: Server): Promise<number | undefined> {
  if (!server.databaseUrl) return undefined;
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    const { rows } = await client.query<{ calls: string | null }>(
      "SELECT sum(calls)::text AS calls FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    await client.query("SELECT pg_stat_statements_reset()");
    return Number(rows[0]?.calls ?? 0);
  } finally {
    await client.end();
  }
}

/** CPU seconds used so far by the server's processes, and their summed peak RSS in MiB. */
async function usage(server: Server): Promise<{ cpu: number; peakMiB: number }> {
  const each = await Promise.all(server.children.map((c) => processUsage(c.pid!)));
  return { cpu: each.reduce((a, u) => a + u.cpu, 0), peakMiB: each.reduce((a, u) => a + u.peakMiB, 0) };
}

/** Forgets the start-up peak (a fresh embedded database's initdb), so the peak is the load's. */
async function resetPeak(server: Server): Promise<void> {
  await Promise.all(server.children.map((c) => writeFile(`/proc/${c.pid}/clear_refs`, "5")));
}

async function processUsage(pid: number): Promise<{ cpu: number; peakMiB: number }> {
  const stat = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14 and 15)
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpu: ticks / 100, peakMiB: hwm / 1024 };
}

/** At most `limit` webhook requests in flight, like Telegram's max_connections. */
class Connections {
  private free: number;
  private readonly queue: (() => void)[] = [];
  constructor(limit: number) {
    this.free = limit;
  }
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.free++;
    }
  }
}
let connections = new Connections(40);

/** Posts an update; `latencies` gets the time until the webhook answered (the acknowledgement). */
async function post(server: Server, update: Update, latencies?: number[]): Promise<void> {
  await connections.use(async () => {
    const started = performance.now();
    const res = await fetch(`${server.url}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    latencies?.push(performance.now() - started);
    if (res.status >= 500) throw new Error(`webhook answered ${res.status}`);
  });
}

const offers = (prefix: string) => (buttons: string[]) => buttons.some((b) => b.startsWith(prefix));

/** Sends an update and waits for the bot's reply in that chat (the message with buttons `until` accepts). */
async function say(
  server: Server,
  api: Api,
  chatId: number,
  update: Update,
  latencies?: number[],
  until?: (buttons: string[]) => boolean,
): Promise<void> {
  const replied = api.reply(chatId, until);
  await post(server, update, latencies);
  await replied;
}

async function register(server: Server, api: Api, id: number, index: number): Promise<void> {
  await say(server, api, id, text(id, "/start TDP01"), undefined, offers("c:"));
  for (const u of [tap(id, "c:y"), text(id, "Nguyễn Văn Thử"), text(id, "01/01/1990")]) await say(server, api, id, u);
  await say(server, api, id, contact(id, `09${String(index).padStart(8, "0")}`), undefined, offers("au:"));
  await say(server, api, id, tap(id, "au:DAN"), undefined, offers("cf:"));
  await say(server, api, id, tap(id, "cf:ok"), undefined, offers("m:"));
}

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

async function lanes<T>(items: number[], concurrency: number, work: (item: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) results.push(await work(items[next++]!));
    }),
  );
  return results;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const rows: string[] = [];
let port = 39_400;
for (const kind of SERVERS) {
  for (const concurrency of CONCURRENCY) {
    const api = new Api();
    await api.start();
    const server = await startServer(kind, api, port++);
    await resetPeak(server);
    connections = new Connections(concurrency);
    const inFlight = LANES ? Number(LANES) : concurrency;
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
    } finally {
      await server.cleanup();
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
