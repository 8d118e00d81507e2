// Memory with many people mid-way, on PostgreSQL + Redis: N people (default 10,000) hold state
// in the server at once — half registered (seeded with SQL) who each started an attempt through
// the bot (/thi: attempt and questions in the database, the attempt's place in the session),
// half new people stopped half-way through registration (/start, consent, name: a draft in the
// session). Prints the server's RSS when idle after start-up (the baseline, same run), its peak
// while the people arrive, and its RSS once they all wait mid-way: at once, and 30 s later when
// the idle server has given back the memory that handling their arrival took.
// Usage: npm run bench -- midway [--people 10000] [--concurrency 40]
import pg from "pg";
import { Api, arg, lanes, limitConnections, offers, resetPeak, say, startServer, tap, text, usage } from "./harness.js";

const PEOPLE = Number(arg("people", "10000"));
limitConnections(Number(arg("concurrency", "40")));

const api = new Api();
await api.start();
const server = await startServer("postgres", api, 39_300);
try {
  const idle = await usage(server);
  await resetPeak(server);
  const registered = Array.from({ length: Math.floor(PEOPLE / 2) }, (_, i) => 500_000 + i);
  const drafting = Array.from({ length: PEOPLE - registered.length }, (_, i) => 700_000 + i);
  const db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO "Participant" (id, "contestId", phone, "fullName", "birthDate", "unitId", "consentAt", "updatedAt")
       SELECT gen_random_uuid(), c.id, '+849' || lpad(i::text, 8, '0'), 'Người thi ' || i, date '1990-01-01',
         (SELECT id FROM "Unit" u WHERE u."contestId" = c.id ORDER BY code LIMIT 1), now(), now()
       FROM "Contest" c, unnest($1::int[]) i`,
      [registered],
    );
    await db.query(
      `INSERT INTO "PlatformAccount" (id, platform, "externalId", "chatId", phone, "lastInteractionAt", "updatedAt")
       SELECT gen_random_uuid(), 'TELEGRAM', i::text, i::text, '+849' || lpad(i::text, 8, '0'), now(), now() FROM unnest($1::int[]) i`,
      [registered],
    );
  } finally {
    await db.end();
  }
  const started = performance.now();
  await lanes(registered, 40, (id) => say(server, api, id, text(id, "/thi"), undefined, offers("a:")));
  await lanes(drafting, 40, async (id) => {
    await say(server, api, id, text(id, "/start"), undefined, offers("c:"));
    await say(server, api, id, tap(id, "c:y"));
    await say(server, api, id, text(id, "Nguyễn Văn Thử"));
  });
  const seconds = (performance.now() - started) / 1000;
  const midway = await usage(server);
  // They all stay mid-way; the server goes idle and gives back what handling their arrival took.
  await new Promise((r) => setTimeout(r, 30_000));
  const settled = await usage(server);
  const check = new pg.Client({ connectionString: server.databaseUrl });
  await check.connect();
  const { rows } = await check.query(`SELECT count(*)::int AS n FROM "Attempt" WHERE status = 'IN_PROGRESS'`);
  await check.end();
  if (rows[0].n !== registered.length) throw new Error(`expected ${registered.length} attempts in progress, found ${rows[0].n}`);
  console.log(
    `${PEOPLE.toLocaleString("en")} people mid-way (${registered.length.toLocaleString("en")} attempts started, ` +
      `${drafting.length.toLocaleString("en")} registration drafts) in ${seconds.toFixed(0)} s on PostgreSQL + Redis:`,
  );
  console.log(
    "| server RSS idle after start-up (baseline) | peak while they arrive | RSS with all of them mid-way: at once | 30 s later |",
  );
  console.log("| --- | --- | --- | --- |");
  console.log(
    `| ${idle.rssMiB.toFixed(0)} MiB | ${midway.peakMiB.toFixed(0)} MiB | ${midway.rssMiB.toFixed(0)} MiB | ${settled.rssMiB.toFixed(0)} MiB |`,
  );
} finally {
  await server.cleanup();
  await api.fake.stop();
}
