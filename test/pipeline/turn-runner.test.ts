// The pieces of the pipeline on both backends: the inbox's per-person claims and dead letters,
// a turn whose session write landed while its transaction did not commit, and a chat's replies
// claimed in their turns staying in order when one of them must be retried.
import { describe, expect, it } from "vitest";
import { ConversationEngine } from "../../src/engine/engine.js";
import { Inbox } from "../../src/inbox/inbox.js";
import { M } from "../../src/messages/index.js";
import { OutboxSender, queueReply } from "../../src/pipeline/outbox-sender.js";
import { TurnRunner } from "../../src/pipeline/turn-runner.js";
import { MemorySessionStore } from "../../src/sessions/memory-store.js";
import { actor, button, text, useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";
import { silentLogger } from "../helpers/logger.js";

describe.each(BACKENDS)("pipeline pieces on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("claims one event per person at a time, in order; a DEAD event no longer holds the person's next one", async () => {
    const inbox = new Inbox(h.db.prisma, h.db.urgent, { maxTries: 1 });
    const a1 = (await inbox.record("SIMULATOR", `a1-${backend}`, "sim:a", { n: 1 }))!.id;
    const a2 = (await inbox.record("SIMULATOR", `a2-${backend}`, "sim:a", { n: 2 }))!.id;
    const b1 = (await inbox.record("SIMULATOR", `b1-${backend}`, "sim:b", { n: 3 }))!.id;
    expect(await inbox.record("SIMULATOR", `a1-${backend}`, "sim:a", { n: 1 })).toBeNull(); // a redelivery
    const first = await inbox.claim("w1", 10);
    expect(first.map((e) => e.id).sort()).toEqual([a1, b1].sort());
    expect(await inbox.claim("w2", 10)).toEqual([]); // a2 waits for a1; the others are held
    expect(await inbox.failed(first.find((e) => e.id === a1)!, new Error("broken"))).toBe("dead");
    const next = await inbox.claim("w2", 10);
    expect(next.map((e) => e.id)).toEqual([a2]);
    expect(next[0]!.payload).toEqual({ n: 2 });
    expect((await inbox.counts()).dead).toBe(1);
    await inbox.done(a2);
    await inbox.done(b1);
  });

  it("retries a turn from the state before it when its session write landed but its commit did not", async () => {
    const sessions = new MemorySessionStore();
    let failAfterWrite = false;
    // The session write succeeds; the transaction then fails (e.g. the database connection drops).
    const flaky = Object.create(sessions, {
      setIfVersion: {
        value: async (...args: Parameters<MemorySessionStore["setIfVersion"]>) => {
          const written = await sessions.setIfVersion(...args);
          if (failAfterWrite) {
            failAfterWrite = false;
            throw new Error("connection lost before COMMIT");
          }
          return written;
        },
      },
    }) as MemorySessionStore;
    const runner = new TurnRunner({
      db: h.db,
      contest: h.contest,
      engine: new ConversationEngine({ contest: h.contest, logger: silentLogger }),
      sessions: flaky,
      clock: h.clock.now,
    });
    const who = actor("SIMULATOR", `straddle-${backend}`);
    await runner.handle(who, { type: "start" });
    await runner.handle(who, button("c:y"));
    const inbox = new Inbox(h.db.prisma, h.db.urgent);
    const id = (await inbox.record("SIMULATOR", `name-${backend}`, `sim:${who.externalId}`, {}))!.id;
    failAfterWrite = true;
    await expect(runner.apply({ actor: who, event: text("Trương Văn Nửa"), inboundId: id })).rejects.toThrow("connection lost");
    expect((await h.db.prisma.inboundEvent.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING");
    const retried = await runner.apply({ actor: who, event: text("Trương Văn Nửa"), inboundId: id });
    expect(retried!.messages.map((m) => m.text)).toEqual([M.askBirth]);
    expect(await runner.apply({ actor: who, event: text("Trương Văn Nửa"), inboundId: id })).toBeNull(); // applied: a no-op
    const outbox = await h.db.prisma.outboxMessage.findMany({ where: { eventId: id } });
    expect(outbox).toHaveLength(1);
    const next = await runner.handle(who, text("04/04/1994"));
    expect(next.messages.at(-1)?.text).not.toBe(M.birthFormat);
    const stored = await sessions.getVersioned<{ state: { step: string } }>(`conv:${h.contest.slug}:SIMULATOR:${who.externalId}`);
    expect(stored.value?.state.step).toBe("phone");
  });

  it("claims a chat's next reply in its turn behind this process's own, and puts it back in line when the one before must be retried", async () => {
    const delivered: string[] = [];
    let failFirst = true;
    const sender = new OutboxSender({
      prisma: h.db.prisma,
      sql: h.db.urgent,
      logger: silentLogger,
      channels: {
        SIMULATOR: {
          deliver: async (_chat, reply) => {
            await new Promise((r) => setTimeout(r, 30));
            const text = reply.messages[0]!.text;
            if (text === "first" && failFirst) {
              failFirst = false;
              throw new Error("network down");
            }
            delivered.push(text);
          },
        },
      },
    });
    const handed: { id: string; status: string }[] = [];
    const claimant = { workerId: sender.workerId, leaseMs: sender.leaseMs, queued: () => undefined };
    const inbox = new Inbox(h.db.prisma, h.db.urgent);
    const queue = async (text: string) => {
      const eventId = (await inbox.record("SIMULATOR", `order-${text}-${backend}`, "sim:order", {}))!.id;
      const row = await h.db.prisma.$transaction((tx) =>
        queueReply(tx, { platform: "SIMULATOR", chatId: `order-${backend}`, eventId, payload: { messages: [{ text }] } }, claimant),
      );
      handed.push(row);
      return row;
    };
    const first = await queue("first");
    const second = await queue("second"); // the first is still unsent, but it is this process's own
    expect(handed.map((r) => r.status)).toEqual(["SENDING", "SENDING"]);
    const outcomes = await Promise.all([sender.send(first), sender.send(second)]);
    expect(outcomes).toEqual(["retried", "retried"]);
    expect(delivered).toEqual([]); // the second did not overtake the first
    const rows = await h.db.prisma.outboxMessage.findMany({ where: { chatId: `order-${backend}` }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.status, r.tries])).toEqual([
      ["PENDING", 1],
      ["PENDING", 0],
    ]);
    // Another process's unsent reply keeps a new one in line.
    await h.db.prisma.outboxMessage.updateMany({ where: { id: first.id }, data: { status: "SENDING", lockedBy: "someone else" } });
    expect((await queue("third")).status).toBe("PENDING");
  });
});
