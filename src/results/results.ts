// Round and contest results from the database: closing a round (freezing the prediction's
// actual value), the individual ranking with prizes, and the unit ranking.

import { z } from "zod";
import type { ContestContext } from "../contest/context.js";
import type { AttemptService } from "../domain/attempts.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { assignPrizes, type PrizeAward, type Ranked, type RankInput, rankAttempts, rankUnits, type UnitRow } from "./ranking.js";

const rankedSchema = z.object({
  participantId: z.string(),
  score: z.number(),
  prediction: z.number().nullable(),
  durationMs: z.number(),
  submittedAt: z.coerce.date(),
  rank: z.number(),
  predictionDiff: z.number().nullable(),
  explanation: z.string(),
});
const roundResultsSchema = z.object({
  ranking: z.array(rankedSchema),
  prizes: z.array(z.object({ participantId: z.string(), rank: z.number(), prize: z.string() })),
  actual: z.number().nullable(),
});
const unitRowSchema = z.object({
  unitId: z.string(),
  code: z.string(),
  name: z.string(),
  participants: z.number(),
  rate: z.number().nullable(),
  totalCorrect: z.number(),
  averageDurationMs: z.number().nullable(),
  rank: z.number(),
});
/** Keyed by audience code; "" is the whole contest. */
const frozenSchema = z.object({ individual: z.record(z.string(), roundResultsSchema), units: z.array(unitRowSchema) });
type FrozenResults = z.infer<typeof frozenSchema>;

export interface RoundResults {
  ranking: Ranked[];
  prizes: PrizeAward[];
  actual: number | null;
}

export class ResultsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly contest: ContestContext,
    private readonly attempts: AttemptService,
  ) {}

  /**
   * Finalises the round's unfinished attempts, then freezes (once) the prediction's actual
   * value and the rankings: later reads return the frozen snapshot. `closedNow` is true for the
   * one call (across instances) that closed it, so follow-up work happens exactly once.
   */
  async closeRound(roundId: string, now: Date): Promise<{ actual: number; closedNow: boolean }> {
    const open = await this.prisma.attempt.findMany({ where: { roundId, status: "IN_PROGRESS" }, select: { id: true } });
    for (const a of open) await this.attempts.finalize(a.id, now);
    const actual = await this.attempts.predictionActual(roundId);
    const closed = await this.prisma.round.updateMany({
      where: { id: roundId, closedAt: null },
      data: { closedAt: now, predictionActual: actual },
    });
    if (closed.count === 1) {
      const individual: Record<string, RoundResults> = {};
      for (const code of ["", ...this.contest.audiences.map((a) => a.code)])
        individual[code] = await this.compute(roundId, code || undefined, actual);
      const snapshot: FrozenResults = { individual, units: await this.unitRanking(roundId) };
      await this.prisma.round.update({ where: { id: roundId }, data: { results: snapshot as object } });
    }
    const round = await this.prisma.round.findUniqueOrThrow({ where: { id: roundId } });
    return { actual: round.predictionActual ?? actual, closedNow: closed.count === 1 };
  }

  /** The snapshot frozen at close, read through its schema (a JSON column is never trusted by cast). */
  private async frozen(roundId: string): Promise<FrozenResults | undefined> {
    const round = await this.prisma.round.findUniqueOrThrow({ where: { id: roundId } });
    return round.results === null ? undefined : frozenSchema.parse(round.results);
  }

  private async rows(where: { roundId?: string; audienceId?: string }): Promise<(RankInput & { unitId: string | null })[]> {
    const attempts = await this.prisma.attempt.findMany({
      where: {
        ranked: true,
        status: { in: ["SUBMITTED", "EXPIRED"] },
        round: { contestId: this.contest.id },
        ...(where.roundId ? { roundId: where.roundId } : {}),
        ...(where.audienceId ? { participant: { audienceId: where.audienceId } } : {}),
      },
      include: { participant: { select: { unitId: true } } },
    });
    return attempts.map((a) => ({
      participantId: a.participantId,
      score: a.score ?? 0,
      prediction: a.prediction,
      durationMs: a.durationMs ?? 0,
      submittedAt: a.finishedAt ?? a.deadlineAt,
      unitId: a.participant.unitId,
    }));
  }

  /** Individual ranking of one round, with the contest's (or the audience's) prize tiers; frozen once closed. */
  async roundResults(roundId: string, audienceCode?: string): Promise<RoundResults> {
    const frozen = (await this.frozen(roundId))?.individual[audienceCode ?? ""];
    if (frozen) return frozen;
    const round = await this.prisma.round.findUniqueOrThrow({ where: { id: roundId } });
    return this.compute(roundId, audienceCode, round.predictionActual ?? (await this.attempts.predictionActual(roundId)));
  }

  private async compute(roundId: string, audienceCode: string | undefined, actual: number): Promise<RoundResults> {
    const audience = this.contest.audiences.find((a) => a.code === audienceCode);
    const rows = await this.rows({ roundId, audienceId: audience?.id });
    const def = this.contest.def;
    const ranking = rankAttempts(rows, def.prediction.enabled ? actual : null, def.ranking.keys);
    const tiers = (audienceCode && def.audiences.find((a) => a.code === audienceCode)?.prizes) || def.prizes;
    const prizes = assignPrizes(ranking, tiers, {
      perfectScore: def.ranking.perfectScoreRequiredForPrize ? def.questionsPerAttempt : undefined,
    });
    return { ranking, prizes, actual };
  }

  /** Unit ranking for one round (frozen once closed), or for the whole contest when roundId is omitted. */
  async unitRanking(roundId?: string): Promise<UnitRow[]> {
    const frozen = roundId ? (await this.frozen(roundId))?.units : undefined;
    if (frozen) return frozen;
    const rows = await this.rows({ roundId });
    return rankUnits(this.contest.units, rows);
  }
}
