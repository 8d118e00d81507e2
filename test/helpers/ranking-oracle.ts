// The ranking rules in plain code, the reference the SQL ranking (src/results/ranking-sql.ts)
// is tested against: rank by the keys in order, share ranks on full ties, hand out prize tiers
// without splitting a tie.

import type { RankingKey } from "../../src/contest/definition.js";
import { explainPlace } from "../../src/results/ranking.js";

export interface RankInput {
  participantId: string;
  score: number;
  prediction: number | null;
  durationMs: number;
  submittedAt: Date;
}

export interface Ranked extends RankInput {
  rank: number;
  /** |prediction − actual|; null when no prediction was given (ranks after every guess). */
  predictionDiff: number | null;
  /** The values of the keys, in order, that placed this row. */
  explanation: string;
}

function keyValue(row: RankInput, key: RankingKey, actual: number | null): number {
  switch (key) {
    case "score":
      return -row.score;
    case "prediction":
      return row.prediction === null || actual === null ? Number.POSITIVE_INFINITY : Math.abs(row.prediction - actual);
    case "duration":
      return row.durationMs;
    case "submittedAt":
      return row.submittedAt.getTime();
  }
}

export function rankAttempts(rows: readonly RankInput[], actual: number | null, keys: readonly RankingKey[]): Ranked[] {
  const keyed = rows.map((row) => ({ row, values: keys.map((k) => keyValue(row, k, actual)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const d = a.values[i]! - b.values[i]!;
      if (d !== 0 && !Number.isNaN(d)) return d;
    }
    return 0;
  });
  const out: Ranked[] = [];
  keyed.forEach((item, i) => {
    const prev = keyed[i - 1];
    const tied = prev?.values.every((v, k) => v === item.values[k]);
    const rank = tied ? out[i - 1]!.rank : i + 1;
    const diff = item.row.prediction === null || actual === null ? null : Math.abs(item.row.prediction - actual);
    out.push({
      ...item.row,
      rank,
      predictionDiff: diff,
      explanation: explainPlace({ ...item.row, predictionDiff: diff }, keys),
    });
  });
  return out;
}

export interface PrizeTier {
  name: string;
  count: number;
}

export interface PrizeAward {
  participantId: string;
  rank: number;
  prize: string;
}

/**
 * Walks the ranking in order and hands out tiers. Rows that share a rank share the tier of the
 * first of them (a tie is never split across tiers); a tier may therefore overflow its count.
 */
export function assignPrizes(
  ranked: readonly Ranked[],
  tiers: readonly PrizeTier[],
  options: { perfectScore?: number } = {},
): PrizeAward[] {
  const eligible = options.perfectScore === undefined ? ranked : ranked.filter((r) => r.score === options.perfectScore);
  const slots = tiers.flatMap((t) => Array.from({ length: t.count }, () => t.name));
  const awards: PrizeAward[] = [];
  let i = 0;
  while (i < eligible.length && awards.length < slots.length) {
    const prize = slots[awards.length]!;
    const rank = eligible[i]!.rank;
    while (i < eligible.length && eligible[i]!.rank === rank) {
      awards.push({ participantId: eligible[i]!.participantId, rank, prize });
      i++;
    }
  }
  return awards;
}
