// The turn's plain-SQL fast path (src/storage/plain-sql.ts) on both backends: it reads values as
// Prisma's $queryRaw does, commits or rolls back as a whole, refuses model queries, and a turn
// that needs one there is applied once, on Prisma's transaction.
import { describe, expect, it } from "vitest";
import type { Prisma } from "../../src/generated/prisma/client.js";
import { Inbox } from "../../src/inbox/inbox.js";
import { NeedsPrismaError } from "../../src/storage/plain-sql.js";
import { actor, button, register, takeAttempt, useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

describe.each(BACKENDS)("plain-SQL transactions on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("reads every type the schema uses as Prisma's $queryRaw does", async () => {
    const at = new Date("2026-11-24T01:02:03.456Z");
    const query = (db: Prisma.TransactionClient) => db.$queryRaw<Record<string, unknown>[]>`
      SELECT 42::int8 AS big, 7::int AS small, 2.5::float8 AS real, 1.25::numeric AS exact,
        ${at}::timestamptz AS at, ${at}::timestamp AS naive, '1994-04-04'::date AS born,
        ${"Nguyễn Thị Ánh"} AS name, ARRAY['a', 'b'] AS list, ${JSON.stringify({ k: [1, "x"] })}::jsonb AS doc,
        true AS yes, NULL::text AS nothing, gen_random_uuid() IS NOT NULL AS made`;
    const viaPrisma = (await h.db.prisma.$transaction((tx) => query(tx)))[0]!;
    const viaPlain = (await h.db.plainTransaction((tx) => query(tx)))[0]!;
    expect(viaPlain).toEqual(viaPrisma);
    expect(viaPlain.big).toBe(42n);
    expect((viaPlain.at as Date).toISOString()).toBe(at.toISOString());
    expect((viaPlain.naive as Date).toISOString()).toBe(at.toISOString());
    expect((viaPlain.born as Date).toISOString()).toBe("1994-04-04T00:00:00.000Z");
    expect(String(viaPlain.exact)).toBe("1.25");
  });

  it("commits on success, rolls back on failure, and refuses model queries", async () => {
    const write = (db: Prisma.TransactionClient, code: string) =>
      db.$executeRaw`INSERT INTO "AuditLog" (id, actor, action, details) VALUES (gen_random_uuid(), 'test', ${code}, '{}'::jsonb)`;
    expect(await h.db.plainTransaction((tx) => write(tx, `kept-${backend}`))).toBe(1);
    await expect(
      h.db.plainTransaction(async (tx) => {
        await write(tx, `dropped-${backend}`);
        return tx.auditLog.count();
      }),
    ).rejects.toBeInstanceOf(NeedsPrismaError);
    const actions = (await h.db.prisma.auditLog.findMany({ where: { actor: "test" } })).map((a) => a.action);
    expect(actions).toEqual([`kept-${backend}`]);
  });

  it("applies a turn that needs a model query once: rolled back on the fast path, then run on Prisma", async () => {
    const who = actor("SIMULATOR", `fallback-${backend}`);
    await register(h.engine, who, { phone: "0966123456" });
    const before = await h.db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: who.externalId } });
    // «Kết quả» reads the attempt history with a model query: the fast path cannot serve it.
    const inbox = new Inbox(h.db.prisma, h.db.urgent);
    const id = (await inbox.record("SIMULATOR", `results-${backend}`, `sim:${who.externalId}`, {}))!.id;
    h.clock.advance(10 * 60_000); // the account's last interaction is due for a write
    const fast = h.db.plainTransaction;
    const left: unknown[] = [];
    h.db.plainTransaction = (fn) => fast(fn).catch((error) => Promise.reject(left.push(error) && error));
    const reply = await h.engine.apply({ actor: who, event: button("m:kq"), inboundId: id }).finally(() => {
      h.db.plainTransaction = fast;
    });
    expect(left).toEqual([new NeedsPrismaError("attempt")]);
    expect(reply?.messages.length).toBeGreaterThan(0);
    expect((await h.db.prisma.inboundEvent.findUniqueOrThrow({ where: { id } })).status).toBe("DONE");
    expect(await h.db.prisma.outboxMessage.count({ where: { eventId: id } })).toBe(1);
    const after = await h.db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: who.externalId } });
    expect(after.lastInteractionAt!.getTime()).toBeGreaterThan(before.lastInteractionAt!.getTime());
    expect(await h.engine.apply({ actor: who, event: button("m:kq"), inboundId: id })).toBeNull();
  });
});

describe("plain-SQL transactions on postgres when a migration changes a table under prepared statements", () => {
  const h = useSampleHarness("postgres");

  it("runs the turn on Prisma instead of failing, and drops the connection holding the stale statement", async () => {
    const first = actor("SIMULATOR", "before-change");
    await register(h.engine, first, { phone: "0966200001" });
    await takeAttempt(h, first, "+84966200001", 10, 5); // the submission prepares `RETURNING a.*`
    // What a newer instance's migration may do while this one runs.
    await h.db.prisma.$executeRawUnsafe(`ALTER TABLE "Attempt" ADD COLUMN "addedLater" integer`);
    const second = actor("SIMULATOR", "after-change");
    await register(h.engine, second, { phone: "0966200002" });
    const fast = h.db.plainTransaction;
    const left: unknown[] = [];
    h.db.plainTransaction = (fn, opening) => fast(fn, opening).catch((error) => Promise.reject(left.push(error) && error));
    try {
      await takeAttempt(h, second, "+84966200002", 10, 5);
    } finally {
      h.db.plainTransaction = fast;
    }
    const attempt = await h.db.prisma.attempt.findFirstOrThrow({ where: { participant: { phone: "+84966200002" } } });
    expect([attempt.status, attempt.score]).toEqual(["SUBMITTED", 10]);
    expect(left.map((e) => (e as NeedsPrismaError).member)).toEqual(["prepared statement"]);
  });
});
