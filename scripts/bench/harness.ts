// The pieces of the benchmarks (scripts/bench.ts, scripts/bench/midway.ts): the server under
// test started as its own process, a fake Bot API that knows each chat's latest buttons, the
// webhook requests capped like Telegram's max_connections, and /proc readings of the server.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { FakeTelegram } from "../../test/helpers/fake-telegram.js";
import { callbackUpdate, contactUpdate, textUpdate } from "../../test/helpers/telegram-updates.js";

export const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const SECRET = "bench_secret";
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

type Update = object;
export const text = (id: number, t: string): Update => textUpdate(id, t);
export const tap = (id: number, data: string): Update => callbackUpdate(id, data);
const contact = (id: number, phone: string): Update => contactUpdate(id, phone);

/** The fake Bot API: remembers each chat's latest inline keyboard and wakes whoever waits on a chat. */
export class Api {
  readonly fake = new FakeTelegram();
  constructor(private readonly latencyMs = 0) {}
  private readonly keyboards = new Map<string, string[]>();
  private readonly waiters = new Map<string, { until: (buttons: string[]) => boolean; wake: () => void }>();
  calls = 0;
  async start(): Promise<void> {
    this.fake.keepCalls = false;
    this.fake.delayMs = this.latencyMs;
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

export interface Server {
  name: string;
  /** The server's PostgreSQL database (postgres and split), where statements are counted. */
  databaseUrl?: string;
  /** The processes of the server (CPU and memory are summed). */
  children: ChildProcess[];
  url: string;
  /** Stops the server and removes its folder; `failed`: print the end of its log first. */
  cleanup(failed?: boolean): Promise<void>;
}

/** A server left over from an interrupted run would answer for the one about to start. */
async function ensureFree(url: string): Promise<void> {
  const taken = await fetch(`${url}/healthz`).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`something already answers at ${url}: a server left over from an earlier run?`);
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

export async function startServer(kind: string, api: Api, port: number): Promise<Server> {
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
  // The server's log (warnings and errors) goes to a file, shown if it never becomes healthy.
  const logFile = path.join(dataDir, "server.log");
  const log = await open(logFile, "a");
  try {
    for (const role of roles) {
      await ensureFree(`http://127.0.0.1:${role.PORT ?? port}`);
      const child = spawn(process.execPath, args, { env: { ...env, ...role }, stdio: ["ignore", log.fd, "inherit"] });
      children.push(child);
      await waitHealthy(`http://127.0.0.1:${role.PORT ?? port}`, child);
    }
  } catch (error) {
    for (const child of children) child.kill("SIGKILL");
    console.error((await readFile(logFile, "utf8")).slice(-4000));
    throw error;
  } finally {
    await log.close();
  }
  return {
    name: kind,
    databaseUrl: env.DATABASE_URL,
    children,
    url,
    cleanup: async (failed) => {
      if (failed) console.error(`the server's log ends:\n${(await readFile(logFile, "utf8")).slice(-4000)}`);
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
export async function statements(server: Server): Promise<number | undefined> {
  if (!server.databaseUrl) return undefined;
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    const { rows } = await client.query<{ calls: string | null }>(
      "SELECT sum(calls)::text AS calls FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    // BENCH_SHOW_SQL=N: the N most frequent statements (calls, total time), to see where the round trips go.
    const show = Number(process.env.BENCH_SHOW_SQL ?? 0);
    if (show > 0) {
      const top = await client.query<{ calls: string; query: string }>(
        `SELECT calls::text || ' ' || round(total_exec_time)::text || ' ms' AS calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY calls DESC LIMIT $1`,
        [show],
      );
      for (const row of top.rows) console.log(`${row.calls.padStart(16)}  ${row.query}`);
    }
    await client.query("SELECT pg_stat_statements_reset()");
    return Number(rows[0]?.calls ?? 0);
  } finally {
    await client.end();
  }
}

/** CPU seconds used so far by the server's processes, and their summed peak and current RSS in MiB. */
export async function usage(server: Server): Promise<{ cpu: number; peakMiB: number; rssMiB: number }> {
  const each = await Promise.all(server.children.map((c) => processUsage(c.pid!)));
  const sum = (key: "cpu" | "peakMiB" | "rssMiB") => each.reduce((a, u) => a + u[key], 0);
  return { cpu: sum("cpu"), peakMiB: sum("peakMiB"), rssMiB: sum("rssMiB") };
}

/** Forgets the start-up peak (a fresh embedded database's initdb), so the peak is the load's. */
export async function resetPeak(server: Server): Promise<void> {
  await Promise.all(server.children.map((c) => writeFile(`/proc/${c.pid}/clear_refs`, "5")));
}

async function processUsage(pid: number): Promise<{ cpu: number; peakMiB: number; rssMiB: number }> {
  const stat = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14 and 15)
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpu: ticks / 100, peakMiB: hwm / 1024, rssMiB: rss / 1024 };
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

/** At most `limit` webhook requests in flight from now on. */
export function limitConnections(limit: number): void {
  connections = new Connections(limit);
}

/** Posts an update; `latencies` gets the time until the webhook answered (the acknowledgement). */
export async function post(server: Server, update: Update, latencies?: number[]): Promise<void> {
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

export const offers = (prefix: string) => (buttons: string[]) => buttons.some((b) => b.startsWith(prefix));

/** Sends an update and waits for the bot's reply in that chat (the message with buttons `until` accepts). */
export async function say(
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

export async function register(server: Server, api: Api, id: number, index: number): Promise<void> {
  await say(server, api, id, text(id, "/start TDP01"), undefined, offers("c:"));
  for (const u of [tap(id, "c:y"), text(id, "Nguyễn Văn Thử"), text(id, "01/01/1990")]) await say(server, api, id, u);
  await say(server, api, id, contact(id, `09${String(index).padStart(8, "0")}`), undefined, offers("au:"));
  await say(server, api, id, tap(id, "au:DAN"), undefined, offers("cf:"));
  await say(server, api, id, tap(id, "cf:ok"), undefined, offers("m:"));
}

export async function lanes<T>(items: number[], concurrency: number, work: (item: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) results.push(await work(items[next++]!));
    }),
  );
  return results;
}
