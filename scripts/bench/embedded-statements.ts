// What a statement costs on the embedded database (docs/pipeline.md, «Fewer, cheaper calls into
// PGlite»), in this process on a PGlite in a temporary folder, V8 set as the server sets it:
// 1. a one-row UPDATE by key through PGlite's `query` (six calls into PostgreSQL, parsed and
//    planned every time) against the same through PgliteStatements (prepared, one call);
// 2. the inbox's claim (Inbox.claim) with a backlog of 50,000 pending events of 500 people,
//    before and after the upkeep's ANALYZE (PGlite has no autovacuum), and the upkeep's pause.
// Usage: npm run bench -- statements [--runs 3000]
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { PGlite } from "@electric-sql/pglite";
import { Inbox } from "../../src/inbox/inbox.js";
import { createLogger } from "../../src/logger.js";
import { applyMigrations, type SqlRunner } from "../../src/storage/migrate.js";
import { PgliteStatements } from "../../src/storage/pglite-statements.js";
import { arg } from "./harness.js";

const RUNS = Number(arg("runs", "3000"));
setFlagsFromString("--liftoff-only --optimize-for-size"); // as SMALL_FOOTPRINT in pglite-database.ts
const dir = await mkdtemp(path.join(os.tmpdir(), "cb-statements-"));
const client = await PGlite.create(dir, { postgresqlconf: ["shared_buffers = 32MB"] });
const statements = new PgliteStatements(client);
const runner: SqlRunner = {
  query: async (sql, params = []) => (await statements.query<never>(sql, params)).rows,
  script: async (sql) => void (await client.exec(sql)),
};

async function perRun(label: string, runs: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < runs; i++) await fn(i);
  const each = (performance.now() - started) / runs;
  console.log(`| ${label} | ${runs} | ${each < 1 ? `${Math.round(each * 1000)} µs` : `${each.toFixed(2)} ms`} |`);
  return each;
}

try {
  console.log("| statement | runs | each |\n| --- | --- | --- |");
  await client.exec(`CREATE TABLE item (id int PRIMARY KEY, x text, n int);
    INSERT INTO item SELECT g, 'a', 0 FROM generate_series(1, 1000) g`);
  const update = "UPDATE item SET x = $1, n = n + 1 WHERE id = $2";
  // Twice each, alternating: the second pair is the one to read (both warmed up).
  for (let round = 0; round < 2; round++) {
    await perRun("one-row UPDATE by key, PGlite `query`", RUNS, (i) => client.query(update, [`b${i}`, (i % 1000) + 1]));
    await perRun("one-row UPDATE by key, prepared", RUNS, (i) => statements.query(update, [`b${i}`, (i % 1000) + 1]));
  }

  await applyMigrations(runner, createLogger("warn"));
  await client.exec(`INSERT INTO "InboundEvent" (id, platform, "externalKey", "actorKey", payload, status)
    SELECT gen_random_uuid(), 'TELEGRAM', 'k' || g, 'tg:' || (g % 500), '{}'::jsonb,
      CASE WHEN g <= 10000 THEN 'DONE' ELSE 'PENDING' END::"InboundStatus"
    FROM generate_series(1, 60000) g`);
  const inbox = new Inbox(undefined as never, runner); // claim only: no Prisma client needed
  const claim = async () => {
    const claimed = await inbox.claim("bench", 32);
    if (claimed.length !== 32) throw new Error(`claimed ${claimed.length} of 32`);
    await runner.query(`UPDATE "InboundEvent" SET "lockedBy" = NULL, "lockedUntil" = NULL, tries = 0 WHERE id = ANY($1::uuid[])`, [
      claimed.map((e) => e.id),
    ]);
  };
  await perRun("inbox claim of 32, 50,000 pending, no statistics", 20, claim);
  await client.exec(`ANALYZE "InboundEvent"`);
  await perRun("inbox claim of 32, 50,000 pending, after ANALYZE", 20, claim);
  // What the upkeep holds the connection for, one table of 60,000 rows (acknowledgements wait).
  await perRun('VACUUM (ANALYZE) "InboundEvent", 60,000 rows', 1, () => client.exec(`VACUUM (ANALYZE) "InboundEvent"`));
  console.log("\n(a claim's time includes releasing its 32 events by id for the next run)");
} finally {
  await client.close();
  await rm(dir, { recursive: true, force: true });
}
