// The embedded database's upkeep (Database.upkeep): PGlite has no autovacuum, so the server's slow
// tick vacuums and analyzes the busy tables — the first time it is called, then every ten minutes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "../helpers/db.js";

describe("PGlite upkeep", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase("pglite");
  });
  afterAll(() => db?.destroy());

  const insertEvents = (from: number, count: number) =>
    db.urgent.query(
      `INSERT INTO "InboundEvent" (id, platform, "externalKey", "actorKey", payload)
       SELECT gen_random_uuid(), 'SIMULATOR', 'u-' || g, 'sim:u', '{}'::jsonb FROM generate_series($1::int, $2::int) g`,
      [from, from + count - 1],
    );
  const estimate = async () =>
    (await db.urgent.query<{ rows: number }>(`SELECT reltuples::int AS rows FROM pg_class WHERE relname = 'InboundEvent'`))[0]!.rows;

  it("gives the planner statistics of the busy tables, then waits ten minutes before doing it again", async () => {
    await insertEvents(1, 300);
    expect(await estimate()).toBe(-1); // never analyzed
    await db.upkeep();
    expect(await estimate()).toBe(300);
    await insertEvents(301, 200);
    await db.upkeep(); // too soon: nothing done
    expect(await estimate()).toBe(300);
  });
});
