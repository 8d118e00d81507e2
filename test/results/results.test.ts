import { describe, expect, it } from "vitest";
import { actor, register, takeAttempt, useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

describe.each(BACKENDS)("round results on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("freezes the prediction's actual value at close, ranks, awards and leaves excluded people out", async () => {
    // Make one phone an organizer's (excluded) by editing the loaded definition.
    await h.db.prisma.participant.deleteMany({});
    h.contest.def.excludedPhones.push("0911000004");
    const people = [
      { id: "r1", phone: "+84911000001", unit: "TDP01", right: 10, prediction: 2, step: 10_000 },
      { id: "r2", phone: "+84911000002", unit: "TDP01", right: 10, prediction: 5, step: 5_000 },
      { id: "r3", phone: "+84911000003", unit: "TDP02", right: 9, prediction: 2, step: 1_000 },
      { id: "r4", phone: "+84911000004", unit: "UBND", right: 10, prediction: 2, step: 1_000 },
    ];
    for (const p of people) {
      const who = actor("SIMULATOR", p.id);
      await register(h.engine, who, { phone: `0${p.phone.slice(3)}`, unit: p.unit, audience: "DAN" });
      await takeAttempt(h, who, p.phone, p.right, p.prediction, p.step);
    }
    const excluded = await h.db.prisma.participant.findFirstOrThrow({ where: { phone: "+84911000004" } });
    expect(excluded.excluded).toBe(true);

    const round = (await h.services.attempts.openRound(h.clock.now()))!;
    const results = h.services.results;
    // Collective prizes for residential groups only (plan 004: the most participants, then quality).
    h.contest.def.unitRanking = {
      keys: ["participants", "correct", "averageDuration"],
      subtree: true,
      competing: { kinds: ["tổ dân phố"] },
      prizes: [{ name: "Giải Nhất tập thể", count: 1 }],
    };
    h.clock.current = round.closesAt;
    expect(await results.closeRound(round.id, h.clock.now())).toEqual({ actual: 2, closedNow: true }); // two ranked perfect attempts
    // A late change to the attempts moves neither the frozen value nor the frozen rankings below.
    await h.db.prisma.attempt.updateMany({ where: { roundId: round.id }, data: { score: 10 } });
    expect(await results.closeRound(round.id, h.clock.now())).toEqual({ actual: 2, closedNow: false });

    const { rows: ranking, actual } = await results.top(round.id, 10);
    expect(actual).toBe(2);
    const phoneOf = async (id: string) => (await h.db.prisma.participant.findUniqueOrThrow({ where: { id } })).phone;
    expect(await Promise.all(ranking.map((r) => phoneOf(r.participantId)))).toEqual(["+84911000001", "+84911000002", "+84911000003"]);
    expect(ranking.map((p) => p.prize)).toEqual(["Giải Nhất", "Giải Nhì", "Giải Nhì"]);

    const units = await results.unitRanking(round.id);
    const kp1 = units.find((u) => u.code === "KP1")!;
    expect(kp1).toMatchObject({ participants: 3, totalCorrect: 29 });
    expect(units.find((u) => u.code === "TDP01")).toMatchObject({ participants: 2, rate: 2 / 50 });
    expect(units.find((u) => u.code === "UBND")).toMatchObject({ participants: 0, rank: null });
    expect(units.find((u) => u.code === "TDP01")).toMatchObject({
      rank: 1,
      prize: "Giải Nhất tập thể",
      explanation: expect.stringContaining("2 người dự thi"),
    });
    expect(units.find((u) => u.code === "TDP02")).toMatchObject({ rank: 2, prize: null });
    expect(kp1).toMatchObject({ rank: null, prize: null }); // a neighbourhood does not compete
    const announcement = await h.services.closer.announcement(round.id);
    expect(announcement).toContain("Giải tập thể:\n1. Tổ dân phố số 1 – Giải Nhất tập thể (2 người dự thi; 20 câu đúng;");
  });
});
