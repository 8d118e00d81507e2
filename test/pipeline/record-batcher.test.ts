import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordBatcher } from "../../src/inbox/record-batcher.js";
import type { SqlRunner } from "../../src/storage/migrate.js";
import { BACKENDS, freshDatabase, type TestDatabase } from "../helpers/db.js";

describe.each(BACKENDS)("inbox records grouped on %s", (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(backend);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("writes the records arriving together in few statements, in arrival order, each redelivery answered null", async () => {
    let statements = 0;
    const counting: SqlRunner = {
      query: (sql, params) => {
        statements++;
        return db.urgent.query(sql, params);
      },
      script: (sql) => db.urgent.script(sql),
    };
    const batcher = new RecordBatcher(counting);
    const keys = Array.from({ length: 200 }, (_, i) => `b-${i}`);
    // 200 webhooks at once, every tenth delivered twice within the same burst.
    const calls = keys.flatMap((key, i) => (i % 10 === 0 ? [key, key] : [key]));
    const ids = await Promise.all(calls.map((key, i) => batcher.record("TELEGRAM", key, `telegram:${i % 7}`, { key })));
    expect(ids.filter((id) => id !== null)).toHaveLength(200);
    expect(ids.filter((id) => id === null)).toHaveLength(20);
    expect(statements).toBeLessThanOrEqual(3); // the first alone, then the rest grouped
    const rows = await db.prisma.inboundEvent.findMany({ where: { externalKey: { startsWith: "b-" } }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.externalKey)).toEqual(keys);
    expect(rows.every((r) => (r.payload as { key: string }).key === r.externalKey)).toBe(true);
    // Sent again later: all redeliveries.
    expect(await Promise.all(keys.slice(0, 5).map((key) => batcher.record("TELEGRAM", key, "telegram:0", { key })))).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("answers every caller of a failed statement with its error, and the next records go through", async () => {
    let fail = true;
    const flaky: SqlRunner = {
      query: (sql, params) => (fail ? Promise.reject(new Error("connection lost")) : db.urgent.query(sql, params)),
      script: (sql) => db.urgent.script(sql),
    };
    const batcher = new RecordBatcher(flaky);
    const failed = await Promise.allSettled(["f-1", "f-2", "f-3"].map((key) => batcher.record("ZALO", key, "zalo:1", {})));
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    fail = false;
    expect(await batcher.record("ZALO", "f-1", "zalo:1", {})).toEqual({ id: expect.any(String), claimed: false });
  });

  it("claims a record with its insert when it is its person's only pending event, as the inbox's claim would", async () => {
    const batcher = new RecordBatcher(db.urgent);
    const claim = { workerId: "w-record", lockedUntil: new Date(Date.now() + 60_000) };
    await batcher.record("TELEGRAM", "c-0", "telegram:c1", { n: 0 }); // pending, not claimed
    const recorded = await Promise.all([
      batcher.record("TELEGRAM", "c-1", "telegram:c1", { n: 1 }, claim), // c1 has a pending event
      batcher.record("TELEGRAM", "c-2", "telegram:c2", { n: 2 }, claim), // c2's first
      batcher.record("TELEGRAM", "c-3", "telegram:c2", { n: 3 }, claim), // c2's second, same batch
      batcher.record("TELEGRAM", "c-4", "telegram:c3", { n: 4 }), // not asked
    ]);
    expect(recorded.map((r) => r?.claimed)).toEqual([false, true, false, false]);
    expect(recorded[1]).toMatchObject({ payload: { n: 2 } });
    const rows = await db.prisma.inboundEvent.findMany({ where: { externalKey: { startsWith: "c-" } }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.externalKey, r.lockedBy, r.tries])).toEqual([
      ["c-0", null, 0],
      ["c-1", null, 0],
      ["c-2", "w-record", 1],
      ["c-3", null, 0],
      ["c-4", null, 0],
    ]);
    expect(rows[2]!.lockedUntil?.getTime()).toBe(claim.lockedUntil.getTime());
    // c2's first is done: its next one may be claimed as it is recorded; a redelivery is not.
    await db.prisma.inboundEvent.updateMany({ where: { externalKey: { in: ["c-2", "c-3"] } }, data: { status: "DONE" } });
    expect(await batcher.record("TELEGRAM", "c-5", "telegram:c2", {}, claim)).toMatchObject({ claimed: true });
    expect(await batcher.record("TELEGRAM", "c-5", "telegram:c2", {}, claim)).toBeNull();
  });
});
