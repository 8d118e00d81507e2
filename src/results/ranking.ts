// Ranking of attempts and units, and prize assignment. Pure functions over plain rows so that
// every tie-break rule is tested without a database.

import type { RankingKey } from "../contest/definition.js";
import { FORMAT } from "../messages/format.js";

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
      explanation: keys
        .map((k): string => {
          if (k === "score") return FORMAT.rankScore(item.row.score);
          if (k === "prediction") return diff === null ? FORMAT.rankNoPrediction : FORMAT.rankPredictionDiff(diff);
          if (k === "duration") return FORMAT.rankDuration(item.row.durationMs);
          return FORMAT.rankSubmittedAt(item.row.submittedAt.toISOString());
        })
        .join("; "),
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

export interface UnitInput {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  headcount: number | null;
  target: number | null;
}

export interface UnitAttempt {
  unitId: string | null;
  participantId: string;
  score: number;
  durationMs: number;
}

export interface UnitRow {
  unitId: string;
  code: string;
  name: string;
  participants: number;
  /** participants ÷ (target, else headcount); null when the unit has neither. */
  rate: number | null;
  totalCorrect: number;
  averageDurationMs: number | null;
  rank: number;
}

/**
 * Unit ranking: each unit counts its own participants and those of its whole subtree.
 * Order: participants desc, then total correct desc, then average duration asc.
 */
export function rankUnits(units: readonly UnitInput[], attempts: readonly UnitAttempt[]): UnitRow[] {
  const parent = new Map(units.map((u) => [u.id, u.parentId]));
  const acc = new Map(units.map((u) => [u.id, { people: new Set<string>(), correct: 0, duration: 0, n: 0 }]));
  for (const a of attempts) {
    const visited = new Set<string>();
    for (let id = a.unitId; id && !visited.has(id); id = parent.get(id) ?? null) {
      visited.add(id);
      const entry = acc.get(id);
      if (!entry) break;
      entry.people.add(a.participantId);
      entry.correct += a.score;
      entry.duration += a.durationMs;
      entry.n++;
    }
  }
  const rows = units.map((u) => {
    const e = acc.get(u.id)!;
    const base = u.target ?? u.headcount;
    return {
      unitId: u.id,
      code: u.code,
      name: u.name,
      participants: e.people.size,
      rate: base ? e.people.size / base : null,
      totalCorrect: e.correct,
      averageDurationMs: e.n ? Math.round(e.duration / e.n) : null,
      rank: 0,
    };
  });
  const key = (r: UnitRow) => [-r.participants, -r.totalCorrect, r.averageDurationMs ?? Number.POSITIVE_INFINITY];
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return a.code.localeCompare(b.code);
  });
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    r.rank = prev && key(prev).every((v, k) => v === key(r)[k]) ? prev.rank : i + 1;
  });
  return rows;
}
