// Benchmark of the organizer side at scale, on PostgreSQL: a round of N finished attempts
// (default 1,000,000; 1 % still in progress) seeded with SQL, then closed through the round
// closer (attempts finalised, rankings frozen, unit ranking, result notices queued) and its
// ranking exported to XLSX and CSV through the streaming writers. Prints seconds, rows and the
// peak RSS of this process during each export. Baselines measured in the same run: the time
// PostgreSQL takes to copy the attempts table once (the floor of writing that many rows), and
// this process's RSS before the export.
// Usage: npm run bench -- results [--attempts 1000000]   (BENCH_DATABASE_URL: a server it may create databases on)
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { loadContestContext } from "../../src/contest/context.js";
import { loadContestFile } from "../../src/contest/loader.js";
import { createLogger } from "../../src/logger.js";
import { writeReport } from "../../src/reports/render.js";
import { rankingReport } from "../../src/reports/reports.js";
import { createServices } from "../../src/services.js";
import { openDatabase } from "../../src/storage/database.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const ATTEMPTS = Number(arg("attempts", "1000000"));
const serverUrl = process.env.BENCH_DATABASE_URL;
if (!serverUrl) throw new Error("BENCH_DATABASE_URL is not set (npm run bench -- results starts a server)");

const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** Peak RSS while `fn` runs, sampled every 20 ms. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peak: number; ms: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const { value, ms } = await timed(fn);
    return { value, peak: Math.max(peak, process.memoryUsage().rss), ms };
  } finally {
    clearInterval(timer);
  }
}

const name = `bench_results_${Date.now()}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const logger = createLogger("warn");
const dir = await mkdtemp(path.join(os.tmpdir(), "cb-bench-results-"));
const db = await openDatabase({ databaseUrl: url.toString(), dataDir: dir, logger });
const raw = new pg.Client({ connectionString: url.toString() });
await raw.connect();
try {
  const loadAt = new Date(Date.now() - 3 * 24 * 3_600_000);
  await loadContestFile(db.prisma, SAMPLE_CONTEST_FILE, loadAt);
  const contest = await loadContestContext(db.prisma, "mau-cchc-cds");
  const round = await db.prisma.round.findFirstOrThrow({ where: { contestId: contest.id, number: 1 } });
  const units = contest.units.map((u) => u.id);
  const audiences = contest.audiences.map((a) => a.id);

  const seeded = await timed(async () => {
    await raw.query(
      `INSERT INTO "Participant" (id, "contestId", phone, "fullName", "birthDate", "unitId", "audienceId", "consentAt", "updatedAt")
       SELECT gen_random_uuid(), $1, '+849' || lpad(i::text, 8, '0'), 'Người thi số ' || i, date '1990-01-01',
         ($2::uuid[])[1 + i % cardinality($2::uuid[])], ($3::uuid[])[1 + i % cardinality($3::uuid[])], now(), now()
       FROM generate_series(1, $4::int) i`,
      [contest.id, units, audiences, ATTEMPTS],
    );
    await raw.query(
      `INSERT INTO "PlatformAccount" (id, platform, "externalId", "chatId", phone, "lastInteractionAt", "updatedAt")
       SELECT gen_random_uuid(), 'TELEGRAM', p.phone, p.phone, p.phone, now(), now() FROM "Participant" p`,
    );
    await raw.query(
      `INSERT INTO "Attempt" (id, "roundId", "participantId", status, ranked, "startedAt", "deadlineAt", "finishedAt", score, "durationMs", prediction)
       SELECT gen_random_uuid(), $1, p.id, CASE WHEN random() < 0.01 THEN 'IN_PROGRESS' ELSE 'SUBMITTED' END::"AttemptStatus", true,
         $2::timestamptz + s.offset_ms * interval '1 ms', $2::timestamptz + (s.offset_ms + 900000) * interval '1 ms',
         $2::timestamptz + (s.offset_ms + s.duration) * interval '1 ms', floor(random() * 11)::int, s.duration, floor(random() * 5000)::int
       FROM "Participant" p, LATERAL (SELECT floor(random() * 3600000)::int AS offset_ms, 60000 + floor(random() * 800000)::int AS duration
         WHERE p.id IS NOT NULL) s`,
      [round.id, round.opensAt],
    );
    await raw.query(`UPDATE "Attempt" SET "finishedAt" = NULL, score = NULL, "durationMs" = NULL WHERE status = 'IN_PROGRESS'`);
    await raw.query("VACUUM ANALYZE");
  });
  console.log(`seeded ${ATTEMPTS.toLocaleString("en")} participants, accounts and attempts in ${seconds(seeded.ms)} s`);

  const floor = await timed(() => raw.query(`CREATE TABLE attempt_copy AS SELECT * FROM "Attempt"`));
  await raw.query("DROP TABLE attempt_copy");
  console.log(`baseline: copying the attempts table once takes ${seconds(floor.ms)} s`);

  const services = createServices(db, contest, logger);
  const closed = await timed(() => services.closer.close(round.id, round.closesAt));
  const ranked = await raw.query(`SELECT count(*)::int AS n FROM "RoundRanking"`);
  const first = await raw.query(`SELECT count(*)::int AS n FROM "Delivery" WHERE "campaignId" = $1`, [closed.value]);
  console.log(
    `close round: ${seconds(closed.ms)} s (${ranked.rows[0].n.toLocaleString("en")} ranked; result notices queued, the first ${first.rows[0].n.toLocaleString("en")} deliveries with them)`,
  );
  const rest = await timed(() => services.closer.queueNoticeChunks());
  console.log(`background: the other ${rest.value.toLocaleString("en")} notice deliveries queued in ${seconds(rest.ms)} s`);

  for (const format of ["xlsx", "csv"] as const) {
    // Each export starts from an idle process, as a download does after the others: the heap
    // left by the close (or the export before) is given back after some seconds of idle.
    await new Promise((r) => setTimeout(r, 30_000));
    const file = path.join(dir, `ranking.${format}`);
    const before = process.memoryUsage().rss;
    const report = await rankingReport(db.prisma, contest, services.results, round.number);
    const exported = await peakRss(() => writeReport(report, file, contest.timezone));
    const size = (await stat(file)).size;
    console.log(
      `export ${format}: ${seconds(exported.ms)} s, ${mib(size)} MiB file, peak RSS ${mib(exported.peak)} MiB (before: ${mib(before)} MiB)`,
    );
    await rm(file);
  }
} finally {
  await raw.end();
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
}
