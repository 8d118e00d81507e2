// The individual ranking as SQL: one SELECT with window functions ranks a round's attempts in
// the whole round and within each audience, and hands out the prize tiers. Closing a round
// inserts its rows into RoundRanking (1,000,000 attempts in a few seconds, no row through
// Node); an open round's provisional ranking is the same SELECT read directly.
//
// The rules, as the contest plans state them and test/helpers/ranking-oracle.ts spells out in
// plain code: the contest's keys in order (more correct answers; the prediction nearer the
// actual value, no prediction after every guess; less time; earlier submission); rows equal
// on every key share a rank; tiers are handed out in ranking order and a tie is never split
// (the tier of the first of the tied rows goes to all of them), optionally only to perfect
// scores.

import type { ContestContext } from "../contest/context.js";
import type { RankingKey } from "../contest/definition.js";
import { Prisma } from "../generated/prisma/client.js";

const ORDER: Record<RankingKey, Prisma.Sql> = {
  score: Prisma.sql`score DESC`,
  prediction: Prisma.sql`"predictionDiff" ASC NULLS LAST`,
  duration: Prisma.sql`"durationMs" ASC`,
  submittedAt: Prisma.sql`"submittedAt" ASC`,
};

/** One name per prize place: tiers [{Nhất, 1}, {Nhì, 2}] → [Nhất, Nhì, Nhì]. */
export function slots(tiers: readonly { name: string; count: number }[]): string[] {
  return tiers.flatMap((t) => Array.from({ length: t.count }, () => t.name));
}

/**
 * The round's ranked rows with RoundRanking's columns, `actual` being the prediction's value
 * (null when the contest has no prediction: then every row ties on that key).
 */
export function rankedRowsSql(contest: ContestContext, roundId: string, actual: number | null): Prisma.Sql {
  const def = contest.def;
  const order = Prisma.join(
    def.ranking.keys.map((k) => ORDER[k]),
    ", ",
  );
  const perfect = def.ranking.perfectScoreRequiredForPrize ? def.questionsPerAttempt : null;
  // Prize names per place, for the whole round and per audience (an audience without a prize
  // list of its own uses the contest's), indexed by the place among eligible rows.
  const audienceSlots = Object.fromEntries(
    contest.audiences.map((a) => [a.id, slots(def.audiences.find((d) => d.code === a.code)?.prizes || def.prizes)]),
  );
  // The place among eligible rows picks the prize; with every row eligible it is the rank
  // itself, which spares two sorts of the whole round.
  const places =
    perfect === null
      ? Prisma.sql`rank() OVER (ORDER BY ${order}) AS place, rank() OVER (PARTITION BY "audienceId" ORDER BY ${order}) AS "audiencePlace"`
      : Prisma.sql`rank() OVER (PARTITION BY eligible ORDER BY ${order}) AS place,
          rank() OVER (PARTITION BY eligible, "audienceId" ORDER BY ${order}) AS "audiencePlace"`;
  return Prisma.sql`
    WITH base AS (
      SELECT a."participantId", p."audienceId", COALESCE(a.score, 0) AS score, a.prediction,
        abs(a.prediction - ${actual}::int) AS "predictionDiff", COALESCE(a."durationMs", 0) AS "durationMs",
        COALESCE(a."finishedAt", a."deadlineAt") AS "submittedAt",
        (${perfect}::int IS NULL OR a.score = ${perfect}::int) AS eligible
      FROM "Attempt" a JOIN "Participant" p ON p.id = a."participantId"
      WHERE a."roundId" = ${roundId}::uuid AND a.ranked AND a.status IN ('SUBMITTED', 'EXPIRED')
    ), ranked AS (
      SELECT base.*,
        rank() OVER (ORDER BY ${order}) AS rank,
        rank() OVER (PARTITION BY "audienceId" ORDER BY ${order}) AS "audienceRank",
        ${places}
      FROM base
    )
    SELECT ${roundId}::uuid AS "roundId", "participantId", "audienceId", score, prediction, "predictionDiff",
      "durationMs", "submittedAt", rank::int AS rank,
      CASE WHEN "audienceId" IS NOT NULL THEN "audienceRank"::int END AS "audienceRank",
      CASE WHEN eligible THEN (${slots(def.prizes)}::text[])[place] END AS prize,
      CASE WHEN eligible THEN ${JSON.stringify(audienceSlots)}::jsonb -> ("audienceId"::text) ->> ("audiencePlace"::int - 1) END
        AS "audiencePrize"
    FROM ranked`;
}

/** Freezes the round's ranking (inside the closing transaction). */
export function insertRankingSql(contest: ContestContext, roundId: string, actual: number | null): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "RoundRanking" ("roundId", "participantId", "audienceId", score, prediction, "predictionDiff",
      "durationMs", "submittedAt", rank, "audienceRank", prize, "audiencePrize")
    SELECT * FROM (${rankedRowsSql(contest, roundId, actual)}) ranked ORDER BY "participantId"`;
}
