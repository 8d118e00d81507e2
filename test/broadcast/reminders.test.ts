import { describe, expect, it } from "vitest";
import type { Messenger } from "../../src/broadcast/messenger.js";
import { scheduleRoundReminders } from "../../src/broadcast/reminders.js";
import { DeliverySender } from "../../src/broadcast/sender.js";
import { useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";
import { silentLogger } from "../helpers/logger.js";

const DAY = 86_400_000;

describe.each(BACKENDS)("next-round reminders on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("reminds Zalo followers before their 7-day window closes, others at the opening, once per round", async () => {
    const rounds = await h.db.prisma.round.findMany({ where: { contestId: h.contest.id }, orderBy: { number: "asc" } });
    const r1 = rounds[0]!.opensAt.getTime();
    const r2 = rounds[1]!.opensAt;
    const people = [
      { id: "early-zalo", platform: "ZALO" as const, last: r1 + 3_600_000 }, // window would close before round 2
      { id: "late-zalo", platform: "ZALO" as const, last: r1 + 2 * DAY },
      { id: "tg", platform: "TELEGRAM" as const, last: r1 + 3_600_000 },
    ];
    for (const [i, p] of people.entries()) {
      const phone = `+8497700000${i}`;
      await h.db.prisma.participant.create({
        data: { contestId: h.contest.id, phone, fullName: "A B", birthDate: new Date("1990-01-01"), consentAt: new Date() },
      });
      await h.db.prisma.platformAccount.create({
        data: { platform: p.platform, externalId: p.id, chatId: p.id, phone, lastInteractionAt: new Date(p.last) },
      });
    }
    const now = new Date(r1 + 2 * DAY + 3_600_000);
    expect(await scheduleRoundReminders(h.db.prisma, h.contest, now)).toEqual([2]);
    expect(await scheduleRoundReminders(h.db.prisma, h.contest, now)).toEqual([]);
    const deliveries = await h.db.prisma.delivery.findMany({ include: { account: true } });
    const at = Object.fromEntries(deliveries.map((d) => [d.account.externalId, d.notBefore!.getTime()]));
    expect(at["early-zalo"]).toBe(r1 + 3_600_000 + 6 * DAY);
    expect(at["late-zalo"]).toBe(r2.getTime());
    expect(at.tg).toBe(r2.getTime());

    const received: string[] = [];
    const messenger: Messenger = {
      send: async (chatId, { text }) => void received.push(`${chatId}: ${text.split(" ").slice(0, 3).join(" ")}`),
    };
    const senderAt = (t: number) =>
      new DeliverySender({
        prisma: h.db.prisma,
        messengers: { ZALO: messenger, TELEGRAM: messenger },
        logger: silentLogger,
        clock: () => new Date(t),
        limiters: {},
      });
    await senderAt(r1 + 3_600_000 + 6 * DAY).runOnce();
    expect(received).toEqual(["early-zalo: ⏰ Vòng 2"]);
    await senderAt(r2.getTime()).runOnce();
    expect(received.sort()).toEqual(["early-zalo: ⏰ Vòng 2", "late-zalo: ⏰ Vòng 2", "tg: ⏰ Vòng 2"]);
  });

  it("creates a round's reminder once when several instances run the step at the same moment", async () => {
    const rounds = await h.db.prisma.round.findMany({ where: { contestId: h.contest.id }, orderBy: { number: "asc" } });
    const now = new Date(rounds[2]!.opensAt.getTime() - 2 * DAY);
    const results = await Promise.all(Array.from({ length: 4 }, () => scheduleRoundReminders(h.db.prisma, h.contest, now)));
    expect(results.flat()).toEqual([3]);
    expect(await h.db.prisma.campaign.count({ where: { contestId: h.contest.id, systemKey: "round-reminder:3" } })).toBe(1);
    const deliveries = await h.db.prisma.delivery.groupBy({
      by: ["accountId"],
      where: { campaign: { systemKey: "round-reminder:3" } },
      _count: { _all: true },
    });
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d._count._all === 1)).toBe(true);
  });
});
