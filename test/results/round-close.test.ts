import { describe, expect, it } from "vitest";
import type { Messenger } from "../../src/broadcast/messenger.js";
import { DeliverySender } from "../../src/broadcast/sender.js";
import { maskName, RoundCloser } from "../../src/results/round-closer.js";
import { actor, allText, button, buttonData, register, takeAttempt, useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";
import { silentLogger } from "../helpers/logger.js";

describe.each(BACKENDS)("round closing on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("closes on schedule once, sends each participant one personal notice, then reveals answers", async () => {
    const people = [
      { who: actor("SIMULATOR", "rc-1"), phone: "0933000001", name: "Trương Thị Ngọc Ánh", right: 9 },
      { who: actor("SIMULATOR", "rc-2"), phone: "0933000002", name: "Lê Văn Tám", right: 4 },
    ];
    for (const p of people) {
      await register(h.engine, p.who, { phone: p.phone, name: p.name });
      await takeAttempt(h, p.who, `+84${p.phone.slice(1)}`, p.right, 0);
    }
    // Before the close the answers stay hidden.
    const early = await h.engine.handle(people[0]!.who, button("rv:1"));
    expect(allText(early)).toContain("Đáp án được công bố sau khi vòng thi kết thúc");

    const closer = h.services.closer;
    const round = (await h.services.attempts.openRound(h.clock.now()))!;
    expect(await closer.tick(h.clock.now())).toEqual([]);
    h.clock.current = new Date(round.closesAt.getTime() + 1);
    expect(await closer.tick(h.clock.now())).toEqual([1]);
    expect(await closer.tick(h.clock.now())).toEqual([]);
    // A repeated close (by hand, or a second instance) returns the same notices, never new ones.
    const notices = await h.db.prisma.campaign.findMany({ where: { name: "Kết quả vòng 1" } });
    expect(notices).toHaveLength(1);
    expect(await closer.close(round.id, h.clock.now())).toBe(notices[0]!.id);
    const round2 = await h.db.prisma.round.findFirstOrThrow({ where: { contestId: h.contest.id, number: 2 } });
    const racing = [1, 2, 3].map(() => h.restartServices().closer);
    const ids = await Promise.all(racing.map((c) => c.close(round2.id, round2.closesAt)));
    // One caller queues the notices; the others get its campaign, or null while it is being written.
    expect(new Set(ids.filter(Boolean)).size).toBe(1);
    expect(await h.db.prisma.campaign.count({ where: { name: "Kết quả vòng 2" } })).toBe(1);
    expect(await h.db.prisma.delivery.count({ where: { campaignId: notices[0]!.id } })).toBe(2);

    const received = new Map<string, string[]>();
    const messenger: Messenger = {
      async send(chatId, body) {
        received.set(chatId, [...(received.get(chatId) ?? []), body.text]);
      },
    };
    const sender = new DeliverySender({
      prisma: h.db.prisma,
      messengers: { SIMULATOR: messenger },
      logger: silentLogger,
      clock: h.clock.now,
      limiters: {},
      personalTexts: (audience, accountIds) => closer.noticeTexts(audience, accountIds),
    });
    while ((await sender.runOnce(10)).claimed > 0);
    expect(received.get("rc-1")).toEqual([expect.stringContaining("đúng 9/10 câu")]);
    expect(received.get("rc-1")![0]).toContain("Xếp hạng: 1/2");
    expect(received.get("rc-2")![0]).toContain("Xếp hạng: 2/2");

    const results = await h.engine.handle(people[1]!.who, { type: "command", name: "ketqua" });
    expect(buttonData(results)).toContain("rv:1");
    const review = await h.engine.handle(people[1]!.who, button("rv:1"));
    expect(review.messages.filter((m) => m.text.includes("Đáp án đúng:"))).toHaveLength(10);
    expect(review.messages.filter((m) => m.text.includes("❌"))).toHaveLength(6);

    const announcement = await closer.announcement(round.id);
    expect(announcement).toContain("1. Trương T. N. Á. – Tổ dân phố số 1: 9 câu đúng");
    expect(announcement).not.toContain("Ngọc");
    expect(maskName("Lê Văn Tám")).toBe("Lê V. T.");
  });

  it("queues the notices of a big round in chunks, finishes the campaign only after the last, and requeues notices a crash lost", async () => {
    const people = [1, 2, 3].map((i) => ({ who: actor("SIMULATOR", `chunk-${i}`), phone: `093400000${i}` }));
    for (const p of people) {
      await register(h.engine, p.who, { phone: p.phone });
      await takeAttempt(h, p.who, `+84${p.phone.slice(1)}`, 5, 0);
    }
    const round = await h.db.prisma.round.findFirstOrThrow({ where: { contestId: h.contest.id, number: 3 } });
    await h.db.prisma.attempt.updateMany({
      where: { participant: { phone: { in: people.map((p) => `+84${p.phone.slice(1)}`) } } },
      data: { roundId: round.id },
    });
    const closer = new RoundCloser(h.db.prisma, h.contest, h.services.results, silentLogger, 2); // two accounts per chunk
    const campaignId = (await closer.close(round.id, round.closesAt))!;
    const deliveries = () => h.db.prisma.delivery.count({ where: { campaignId } });
    const campaign = () => h.db.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(await deliveries()).toBe(2);
    expect((await campaign()).recipientsQueued).toBe(false);

    const sent: string[] = [];
    const sender = new DeliverySender({
      prisma: h.db.prisma,
      messengers: { SIMULATOR: { send: async (chatId, body) => void sent.push(`${chatId}: ${body.text}`) } },
      logger: silentLogger,
      clock: () => round.closesAt,
      limiters: {},
      personalTexts: (audience, accountIds) => closer.noticeTexts(audience, accountIds),
    });
    while ((await sender.runOnce(10)).claimed > 0);
    expect(sent).toHaveLength(2);
    expect((await campaign()).status).toBe("RUNNING"); // not DONE: a recipient is still to be queued
    expect(await closer.queueNoticeChunks()).toBe(1);
    expect((await campaign()).recipientsQueued).toBe(true);
    expect(await closer.queueNoticeChunks()).toBe(0); // nothing left to queue
    while ((await sender.runOnce(10)).claimed > 0);
    expect(sent.map((s) => s.split(":")[0]).sort()).toEqual(["chunk-1", "chunk-2", "chunk-3"]);
    expect(sent.every((s) => s.includes("Xếp hạng: ") && s.includes("/3."))).toBe(true);
    expect((await campaign()).status).toBe("DONE");

    // A process that stopped between closing and queueing: the next tick queues the notices.
    await h.db.prisma.campaign.delete({ where: { id: campaignId } });
    await closer.tick(round.closesAt);
    const again = await h.db.prisma.campaign.findFirstOrThrow({
      where: { contestId: h.contest.id, systemKey: `round-notices:${round.number}` },
    });
    expect(again.id).not.toBe(campaignId);
    expect(await h.db.prisma.delivery.count({ where: { campaignId: again.id } })).toBe(2);
  });
});
