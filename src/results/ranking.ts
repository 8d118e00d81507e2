// Rankings in plain code: the unit ranking (units are few, so their subtrees are rolled up
// here from per-unit totals summed by SQL) and the explanation of an individual row's place.
// The individual ranking itself is SQL (ranking-sql.ts).

import type { RankingKey } from "../contest/definition.js";
import { FORMAT } from "../messages/format.js";

/** The values of the keys, in order, that placed a row: "đúng 10; lệch dự đoán 2; …". */
export function explainPlace(
  row: { score: number; predictionDiff: number | null; durationMs: number; submittedAt: Date },
  keys: readonly RankingKey[],
): string {
  return keys
    .map((k): string => {
      if (k === "score") return FORMAT.rankScore(row.score);
      if (k === "prediction") return row.predictionDiff === null ? FORMAT.rankNoPrediction : FORMAT.rankPredictionDiff(row.predictionDiff);
      if (k === "duration") return FORMAT.rankDuration(row.durationMs);
      return FORMAT.rankSubmittedAt(row.submittedAt.toISOString());
    })
    .join("; ");
}

export interface UnitInput {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  headcount: number | null;
  target: number | null;
}

/** Ranked, finished attempts of one unit's own participants (not its subtree). */
export interface UnitTotals {
  unitId: string;
  /** Distinct participants. */
  people: number;
  attempts: number;
  correct: number;
  /** Attempts with every answer right. */
  perfect: number;
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

/** Each unit's totals with those of its whole subtree added (each ancestor once, even if stored data had a cycle). */
export function rollUp(units: readonly UnitInput[], totals: readonly UnitTotals[]): Map<string, Omit<UnitTotals, "unitId">> {
  const parent = new Map(units.map((u) => [u.id, u.parentId]));
  const acc = new Map(units.map((u) => [u.id, { people: 0, attempts: 0, correct: 0, perfect: 0, durationMs: 0 }]));
  for (const t of totals) {
    const visited = new Set<string>();
    for (let id: string | null = t.unitId; id && !visited.has(id); id = parent.get(id) ?? null) {
      visited.add(id);
      const entry = acc.get(id);
      if (!entry) break;
      entry.people += t.people;
      entry.attempts += t.attempts;
      entry.correct += t.correct;
      entry.perfect += t.perfect;
      entry.durationMs += t.durationMs;
    }
  }
  return acc;
}

/**
 * Unit ranking: each unit counts its own participants and those of its whole subtree.
 * Order: participants desc, then total correct desc, then average duration asc.
 */
export function rankUnits(units: readonly UnitInput[], totals: readonly UnitTotals[]): UnitRow[] {
  const subtree = rollUp(units, totals);
  const rows = units.map((u) => {
    const e = subtree.get(u.id)!;
    const base = u.target ?? u.headcount;
    return {
      unitId: u.id,
      code: u.code,
      name: u.name,
      participants: e.people,
      rate: base ? e.people / base : null,
      totalCorrect: e.correct,
      averageDurationMs: e.attempts ? Math.round(e.durationMs / e.attempts) : null,
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
