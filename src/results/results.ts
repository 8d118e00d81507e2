// Round and contest results from the database. Closing a round is one transaction: the
// unfinished attempts finalised, the prediction's actual value and the rankings frozen (the
// individual ranking as rows of RoundRanking, the unit ranking as JSON on the round), the
// certificates issued (src/certificates/issue.ts). Reads of
// a closed round come from the frozen rows; an open round's provisional ranking is computed by
// the same SQL on the fly. Everything is set-based SQL: a round of 1,000,000 attempts closes
// in seconds and is read in batches through a cursor, never held in memory whole.

import { z } from "zod";
import { issueRoundCertificates } from "../certificates/issue.js";
import type { ContestContext } from "../contest/context.js";
import type { AttemptService } from "../domain/attempts.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Database } from "../storage/database.js";
import type { Db } from "../storage/transaction.js";
import { rankUnits, type UnitRow, type UnitTotals } from "./ranking.js";
import { insertRankingSql, rankedRowsSql } from "./ranking-sql.js";

const unitRowSchema = z.object({
  unitId: z.string(),
  code: z.string(),
  name: z.string(),
  // Rounds frozen before unit prizes lack the fields after name: defaults keep them readable.
  kind: z.string().default(""),
  participants: z.number(),
  rate: z.number().nullable(),
  totalCorrect: z.number(),
  perfect: z.number().default(0),
  averageDurationMs: z.number().nullable(),
  rank: z.number().nullable(),
  prize: z.string().nullable().default(null),
  explanation: z.string().default(""),
});
const frozenSchema = z.object({ units: z.array(unitRowSchema) });

/** One row of an individual ranking (of the whole round, or of one audience with its own places and prizes). */
export interface RankingRow {
  participantId: string;
  rank: number;
  score: number;
  prediction: number | null;
  /** |prediction − actual|; null when no prediction was given. */
  predictionDiff: number | null;
  durationMs: number;
  submittedAt: Date;
  prize: string | null;
}

/** A ranking row with who it is, as exports print it. */
export interface NamedRankingRow extends RankingRow {
  fullName: string;
  unitId: string | null;
  phoneVerified: boolean;
  /** The contest's further registration fields (JSON). */
  details: unknown;
}

/** A closing transaction of a million rows takes seconds; its default 5 s limit would cut it. */
const CLOSING_TIMEOUT_MS = 10 * 60_000;
/** Rows per batch when a ranking is read through a cursor (exports, the CLI). */
const BATCH = 1_000;

export class ResultsService {
  private readonly prisma: PrismaClient;

  constructor(
    private readonly db: Database,
    private readonly contest: ContestContext,
    private readonly attempts: AttemptService,
  ) {
    this.prisma = db.prisma;
  }

  /**
   * Closes the round in one transaction: finalises its unfinished attempts, freezes the
   * prediction's actual value and the rankings. `closedNow` is true for the one call (across
   * instances) that closed it — the others wait on the round's row lock and find it closed — so
   * follow-up work happens exactly once.
   */
  async closeRound(roundId: string, now: Date): Promise<{ actual: number; closedNow: boolean }> {
    return this.prisma.$transaction(
      async (tx) => {
        const claimed = await tx.$executeRaw`
          UPDATE "Round" SET "closedAt" = ${now} WHERE id = ${roundId}::uuid AND "closedAt" IS NULL`;
        if (claimed === 0) {
          const round = await tx.round.findUniqueOrThrow({ where: { id: roundId } });
          return { actual: round.predictionActual ?? (await this.attempts.within(tx).predictionActual(roundId)), closedNow: false };
        }
        const attempts = this.attempts.within(tx);
        await attempts.finalizeRound(roundId, now);
        const actual = await attempts.predictionActual(roundId);
        // A larger sort area keeps the window functions' sort of a big round in memory.
        await tx.$executeRawUnsafe(`SET LOCAL work_mem = '256MB'`);
        await tx.$executeRaw`${insertRankingSql(this.contest, roundId, this.predictionValue(actual))}`;
        const units = this.rankedUnits(await unitTotals(tx, this.contest, roundId));
        // The last round closed: the contest's own unit prizes are final too.
        const open = await tx.round.count({ where: { contestId: this.contest.id, closedAt: null } });
        const contestUnits = open === 0 ? this.rankedUnits(await unitTotals(tx, this.contest)) : null;
        const round = await tx.round.findUniqueOrThrow({ where: { id: roundId }, select: { id: true, number: true } });
        await issueRoundCertificates(tx, this.contest, round, units, contestUnits, now);
        await tx.round.update({
          where: { id: roundId },
          data: { predictionActual: actual, results: { units } as unknown as Prisma.InputJsonObject },
        });
        return { actual, closedNow: true };
      },
      { timeout: CLOSING_TIMEOUT_MS, maxWait: CLOSING_TIMEOUT_MS },
    );
  }

  private predictionValue(actual: number): number | null {
    return this.contest.def.prediction.enabled ? actual : null;
  }

  /** The rows of a ranking, frozen or provisional, as `SELECT … FROM (…) r` ready for a WHERE and ORDER BY. */
  private async source(roundId: string, audienceCode?: string): Promise<{ sql: Prisma.Sql; actual: number | null }> {
    const round = await this.prisma.round.findUniqueOrThrow({ where: { id: roundId } });
    const actual = round.predictionActual ?? (await this.attempts.predictionActual(roundId));
    const rows = round.closedAt
      ? Prisma.sql`SELECT * FROM "RoundRanking" WHERE "roundId" = ${roundId}::uuid`
      : rankedRowsSql(this.contest, roundId, this.predictionValue(actual));
    const audience = audienceCode === undefined ? undefined : this.contest.audiences.find((a) => a.code === audienceCode);
    if (audienceCode !== undefined && !audience) throw new Error(`unknown audience ${audienceCode}`);
    const columns = audience ? Prisma.sql`"audienceRank" AS rank, "audiencePrize" AS prize` : Prisma.sql`rank, prize`;
    const where = audience ? Prisma.sql`WHERE r."audienceId" = ${audience.id}::uuid` : Prisma.empty;
    return {
      sql: Prisma.sql`SELECT "participantId"::text AS "participantId", score, prediction, "predictionDiff", "durationMs",
        "submittedAt", ${columns} FROM (${rows}) r ${where}`,
      actual,
    };
  }

  /** The first `limit` rows of the ranking (announcements, previews) and how many are ranked. */
  async top(roundId: string, limit: number, audienceCode?: string): Promise<{ rows: RankingRow[]; ranked: number; actual: number | null }> {
    const { sql, actual } = await this.source(roundId, audienceCode);
    const rows = await this.prisma.$queryRaw<RankingRow[]>`SELECT * FROM (${sql}) s ORDER BY rank, "participantId" LIMIT ${limit}`;
    const [count] = await this.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (${sql}) s`;
    return { rows, ranked: count!.n, actual };
  }

  /**
   * Reads the whole ranking in order with the participants' names, `BATCH` rows at a time
   * through a cursor (Database.batches), handing each batch to `each` (which may take its time,
   * e.g. writing to a slow download): bounded memory at any size.
   */
  async eachRankingBatch(
    roundId: string,
    audienceCode: string | undefined,
    each: (rows: NamedRankingRow[]) => Promise<void>,
  ): Promise<void> {
    const { sql } = await this.source(roundId, audienceCode);
    const named = Prisma.sql`SELECT s.*, p."fullName", p."unitId"::text AS "unitId", p."phoneVerified", p.details
      FROM (${sql}) s JOIN "Participant" p ON p.id = s."participantId"::uuid ORDER BY s.rank, s."participantId"`;
    await this.db.batches(named, BATCH, each);
  }

  /**
   * Unit ranking for one round (frozen once closed), or for the whole contest when roundId is
   * omitted; `totals` when the caller has already summed them (unitTotals) for the same scope.
   */
  async unitRanking(roundId?: string, totals?: UnitTotals[]): Promise<UnitRow[]> {
    if (roundId) {
      const round = await this.prisma.round.findUniqueOrThrow({ where: { id: roundId } });
      if (round.results !== null) return frozenSchema.parse(round.results).units;
    }
    return this.rankedUnits(totals ?? (await unitTotals(this.prisma, this.contest, roundId)));
  }

  /** The contest's unit ranking rules applied to unit totals. */
  private rankedUnits(totals: UnitTotals[]): UnitRow[] {
    return rankUnits(this.contest.units, totals, this.contest.def.unitRanking);
  }
}

/**
 * Ranked, finished attempts summed per unit of their participant (units are few: the roll-up
 * of subtrees happens in rankUnits). A participant belongs to one unit, so people counted per
 * unit add up without double counting.
 */
export async function unitTotals(db: Db, contest: ContestContext, roundId?: string): Promise<UnitTotals[]> {
  const round = roundId ? Prisma.sql`AND a."roundId" = ${roundId}::uuid` : Prisma.empty;
  return db.$queryRaw<UnitTotals[]>`
    SELECT p."unitId"::text AS "unitId", count(DISTINCT a."participantId")::int AS people, count(*)::int AS attempts,
      COALESCE(sum(a.score), 0)::float8 AS correct, (count(*) FILTER (WHERE a.score = ${contest.def.questionsPerAttempt}))::int AS perfect,
      COALESCE(sum(a."durationMs"), 0)::float8 AS "durationMs"
    FROM "Attempt" a JOIN "Participant" p ON p.id = a."participantId" JOIN "Round" r ON r.id = a."roundId"
    WHERE r."contestId" = ${contest.id}::uuid AND a.ranked AND a.status IN ('SUBMITTED', 'EXPIRED') AND p."unitId" IS NOT NULL ${round}
    GROUP BY p."unitId"`;
}
