import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RankingKey } from "../../src/contest/definition.js";
import type { RankingRow } from "../../src/results/results.js";
import { useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";
import { assignPrizes, type RankInput, rankAttempts } from "../helpers/ranking-oracle.js";

/** A small deterministic generator, so a failure can be replayed. */
function generator(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((s / 2_147_483_648) * n); // the high bits: the low ones of this generator cycle fast
  };
}

const ALL_KEYS: RankingKey[] = ["score", "prediction", "duration", "submittedAt"];

describe.each(BACKENDS)("the SQL ranking on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("agrees with the plain-code rules on random rows full of ties, for every audience, open and frozen", async () => {
    const prisma = h.db.prisma;
    const round = await prisma.round.findFirstOrThrow({ where: { contestId: h.contest.id, number: 1 } });
    const [dan, cbcc] = ["DAN", "CBCC"].map((code) => h.contest.audiences.find((a) => a.code === code)!.id);
    const unit = h.contest.units[0]!.id;
    const random = generator(17);
    const base = round.opensAt.getTime();
    const people = Array.from({ length: 240 }, (_, i) => ({
      id: randomUUID(),
      contestId: h.contest.id,
      phone: `+8490${String(i).padStart(7, "0")}`,
      fullName: `Người ${i}`,
      birthDate: new Date("1990-01-01"),
      consentAt: round.opensAt,
      unitId: unit,
      audienceId: [dan, cbcc, null][random(3)] ?? null,
      excluded: random(20) === 0,
    }));
    await prisma.participant.createMany({ data: people });
    await prisma.attempt.createMany({
      data: people.map((p) => {
        const finished = base + random(4) * 1_000;
        return {
          roundId: round.id,
          participantId: p.id,
          ranked: !p.excluded,
          status: random(8) === 0 ? ("EXPIRED" as const) : ("SUBMITTED" as const),
          startedAt: new Date(base - 60_000),
          deadlineAt: new Date(base + 600_000),
          finishedAt: new Date(finished),
          score: random(8) === 0 ? 10 : 7 + random(3),
          durationMs: [30_000, 45_000, 60_000][random(3)]!,
          prediction: random(5) === 0 ? null : random(6),
        };
      }),
    });
    const attempts = await prisma.attempt.findMany({ where: { roundId: round.id, ranked: true }, include: { participant: true } });
    const input = (audienceId?: string): RankInput[] =>
      attempts
        .filter((a) => audienceId === undefined || a.participant.audienceId === audienceId)
        .map((a) => ({
          participantId: a.participantId,
          score: a.score!,
          prediction: a.prediction,
          durationMs: a.durationMs!,
          submittedAt: a.finishedAt!,
        }));
    const def = h.contest.def;
    const actual = await h.services.attempts.predictionActual(round.id);
    const expected = (audience?: string) => {
      const audienceId = audience ? h.contest.audiences.find((a) => a.code === audience)!.id : undefined;
      const ranked = rankAttempts(input(audienceId), def.prediction.enabled ? actual : null, def.ranking.keys);
      const tiers = (audience && def.audiences.find((a) => a.code === audience)?.prizes) || def.prizes;
      const prizes = new Map(
        assignPrizes(ranked, tiers, { perfectScore: def.ranking.perfectScoreRequiredForPrize ? def.questionsPerAttempt : undefined }).map(
          (p) => [p.participantId, p.prize],
        ),
      );
      return ranked.map((r) => `${r.participantId} ${r.rank} ${prizes.get(r.participantId) ?? "-"}`).sort();
    };
    const actualRows = async (audience?: string) => {
      const rows: RankingRow[] = [];
      await h.services.results.eachRankingBatch(round.id, audience, async (batch) => void rows.push(...batch));
      expect(rows.map((r) => r.rank)).toEqual([...rows.map((r) => r.rank)].sort((a, b) => a - b)); // in order
      return rows.map((r) => `${r.participantId} ${r.rank} ${r.prize ?? "-"}`).sort();
    };

    const orders: RankingKey[][] = [ALL_KEYS, ["duration", "score"], ["prediction", "submittedAt", "score"], ["score"]];
    for (const keys of orders) {
      for (const perfectOnly of [false, true]) {
        def.ranking.keys = keys;
        def.ranking.perfectScoreRequiredForPrize = perfectOnly;
        for (const audience of [undefined, "DAN", "CBCC"])
          expect(await actualRows(audience), `${keys} ${perfectOnly} ${audience}`).toEqual(expected(audience));
      }
    }
    def.prediction.enabled = false;
    expect(await actualRows()).toEqual(expected());

    // Frozen at close: the same rows, and later changes to the attempts move nothing.
    def.prediction.enabled = true;
    def.ranking.keys = ALL_KEYS;
    def.ranking.perfectScoreRequiredForPrize = false;
    const before = { all: expected(), dan: expected("DAN"), cbcc: expected("CBCC") };
    h.clock.current = round.closesAt;
    expect((await h.services.results.closeRound(round.id, round.closesAt)).closedNow).toBe(true);
    await prisma.attempt.updateMany({ where: { roundId: round.id }, data: { score: 0 } });
    expect(await actualRows()).toEqual(before.all);
    expect(await actualRows("DAN")).toEqual(before.dan);
    expect(await actualRows("CBCC")).toEqual(before.cbcc);
    const top = await h.services.results.top(round.id, 3);
    expect(top.ranked).toBe(before.all.length);
    const ordered: RankingRow[] = [];
    await h.services.results.eachRankingBatch(round.id, undefined, async (batch) => void ordered.push(...batch));
    expect(ordered.slice(0, 3)).toMatchObject(top.rows);
  });

  it("lets other statements run while an export waits on its reader (PGlite has a single connection)", async () => {
    const round = await h.db.prisma.round.findFirstOrThrow({ where: { contestId: h.contest.id, number: 1 } });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let batches = 0;
    const exporting = h.services.results.eachRankingBatch(round.id, undefined, async () => {
      batches++;
      await gate; // a slow download
    });
    await expect.poll(() => batches).toBe(1);
    // A turn's statement while the export is held up: it must not wait for the export to end.
    expect(await h.db.prisma.participant.count()).toBeGreaterThan(0);
    release();
    await exporting;
  });
});
