// Claims on record (the embedded database, which one process owns): an event is claimed in the
// statement that records it and worked without a claim statement; a person's next events still
// wait for the one before, in order, once each; claims an earlier process left are freed at start.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inbox } from "../../src/inbox/inbox.js";
import { OutboxSender } from "../../src/pipeline/outbox-sender.js";
import { Pipeline } from "../../src/pipeline/pipeline.js";
import type { SqlRunner } from "../../src/storage/migrate.js";
import { freshDatabase, type TestDatabase } from "../helpers/db.js";
import { silentLogger } from "../helpers/logger.js";

describe("claims on record, on pglite", () => {
  let db: TestDatabase;
  let claims = 0;
  let inbox: Inbox;
  let pipeline: Pipeline;
  const seen: string[] = [];

  beforeAll(async () => {
    db = await freshDatabase("pglite");
    const counting: SqlRunner = {
      query: (sql, params) => {
        if (sql.startsWith(`UPDATE "InboundEvent" SET "lockedBy"`)) claims++;
        return db.urgent.query(sql, params);
      },
      script: (sql) => db.urgent.script(sql),
    };
    inbox = new Inbox(db.prisma, counting);
    // Left by a process that died after claiming it as it was recorded (its lease is a minute).
    await inbox.record("SIMULATOR", "orphan", "sim:orphan", { actor: "sim:orphan", n: 0 }, "dead-worker");
    const sender = new OutboxSender({ prisma: db.prisma, sql: counting, channels: {}, logger: silentLogger });
    // No idle ticks within the test: every claim statement is one the pipeline chose to make.
    pipeline = new Pipeline({ inbox, sender, logger: silentLogger, concurrency: 2, idleMs: 600_000, claimOnRecord: true });
    pipeline.on("SIMULATOR", async (event) => {
      const { actor, n } = event.payload as { actor: string; n: number };
      await new Promise((resolve) => setImmediate(resolve)); // others' events interleave
      seen.push(`${actor}:${n}`);
      return "handled";
    });
    await pipeline.start();
  });
  afterAll(async () => {
    await pipeline?.stop(5_000);
    await db?.destroy();
  });

  const receive = (actor: string, n: number) => pipeline.receive("SIMULATOR", `${actor}-${n}`, actor, { actor, n });
  const pending = () => db.prisma.inboundEvent.count({ where: { status: "PENDING" } });

  it("works an earlier process's claim at once, not after its lease", async () => {
    await expect.poll(() => seen.includes("sim:orphan:0"), { timeout: 5_000 }).toBe(true);
  });

  it("works one event each of forty people without a claim statement", async () => {
    const before = claims;
    const people = Array.from({ length: 40 }, (_, i) => `sim:p${i}`);
    expect((await Promise.all(people.map((actor) => receive(actor, 1)))).every((id) => typeof id === "string")).toBe(true);
    await expect.poll(pending, { timeout: 10_000 }).toBe(0);
    expect(people.every((actor) => seen.filter((s) => s === `${actor}:1`).length === 1)).toBe(true);
    expect(claims - before).toBe(0);
  });

  it("works a burst of one person's events in order, once each: the first claimed on record, the rest by claims", async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, (_, n) => receive("sim:burst", n)));
    expect(new Set(ids).size).toBe(12);
    expect(await receive("sim:burst", 3)).toBeNull(); // a redelivery
    await expect.poll(pending, { timeout: 10_000 }).toBe(0);
    expect(seen.filter((s) => s.startsWith("sim:burst:"))).toEqual(Array.from({ length: 12 }, (_, n) => `sim:burst:${n}`));
    const rows = await db.prisma.inboundEvent.findMany({ where: { actorKey: "sim:burst" } });
    expect(rows.every((r) => r.status === "DONE" && r.tries === 1)).toBe(true);
  });
});
