// Rankings in plain code: the unit ranking (units are few, so their subtrees are rolled up
// here from per-unit totals summed by SQL) and the explanation of an individual row's place.
// The individual ranking itself is SQL (ranking-sql.ts).

import type { RankingKey, UnitRankingKey } from "../contest/definition.js";
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
  kind: string;
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
  kind: string;
  participants: number;
  /** participants ÷ (target, else headcount); null when the unit has neither. */
  rate: number | null;
  totalCorrect: number;
  /** Attempts with every answer right. */
  perfect: number;
  averageDurationMs: number | null;
  /** Place among the competing units (equal on every key: the same place); null when the unit does not compete. */
  rank: number | null;
  prize: string | null;
  /** The values of the keys, in order, that placed the unit. */
  explanation: string;
}

export interface UnitRules {
  keys: readonly UnitRankingKey[];
  subtree: boolean;
  competing?: { kinds?: string[]; codes?: string[] };
  prizes: readonly { name: string; count: number }[];
}

const DEFAULT_RULES: UnitRules = { keys: ["participants", "correct", "averageDuration"], subtree: true, prizes: [] };

/** A key's value for sorting ascending (what is better comes first); missing values last. */
function unitKey(row: UnitRow, key: UnitRankingKey): number {
  switch (key) {
    case "participants":
      return -row.participants;
    case "rate":
      return row.rate === null ? Number.POSITIVE_INFINITY : -row.rate;
    case "perfect":
      return -row.perfect;
    case "correct":
      return -row.totalCorrect;
    case "averageDuration":
      return row.averageDurationMs ?? Number.POSITIVE_INFINITY;
  }
}

function explainUnit(row: UnitRow, keys: readonly UnitRankingKey[]): string {
  return keys
    .map((k): string => {
      if (k === "participants") return FORMAT.unitParticipants(row.participants);
      if (k === "rate") return row.rate === null ? FORMAT.unitNoRate : FORMAT.unitRate(Math.round(row.rate * 1000) / 10);
      if (k === "perfect") return FORMAT.unitPerfect(row.perfect);
      if (k === "correct") return FORMAT.unitCorrect(row.totalCorrect);
      return row.averageDurationMs === null ? FORMAT.unitNoDuration : FORMAT.rankDuration(row.averageDurationMs);
    })
    .join("; ");
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
 * Unit ranking by the contest's rules: each unit counts its own participants, and by default
 * those of its whole subtree; competing units are placed by the keys in order (equal on every
 * key: the same place) and win the prize tiers in order, a tie never split (the tier of the
 * first of the tied units goes to all of them). Units that do not compete are listed after.
 */
export function rankUnits(units: readonly UnitInput[], totals: readonly UnitTotals[], rules: UnitRules = DEFAULT_RULES): UnitRow[] {
  const counted = rules.subtree ? rollUp(units, totals) : ownTotals(units, totals);
  const competes = (u: UnitInput) =>
    (!rules.competing?.kinds || rules.competing.kinds.includes(u.kind)) &&
    (!rules.competing?.codes || rules.competing.codes.map((c) => c.toUpperCase()).includes(u.code.toUpperCase()));
  const rows = units.map((u): UnitRow => {
    const e = counted.get(u.id)!;
    const base = u.target ?? u.headcount;
    const row: UnitRow = {
      unitId: u.id,
      code: u.code,
      name: u.name,
      kind: u.kind,
      participants: e.people,
      rate: base ? e.people / base : null,
      totalCorrect: e.correct,
      perfect: e.perfect,
      averageDurationMs: e.attempts ? Math.round(e.durationMs / e.attempts) : null,
      rank: null,
      prize: null,
      explanation: "",
    };
    row.explanation = explainUnit(row, rules.keys);
    return row;
  });
  const key = (r: UnitRow) => rules.keys.map((k) => unitKey(r, k));
  const order = (a: UnitRow, b: UnitRow) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return a.code.localeCompare(b.code);
  };
  const byUnit = new Map(units.map((u) => [u.id, u]));
  const competing = rows.filter((r) => competes(byUnit.get(r.unitId)!)).sort(order);
  const slots = rules.prizes.flatMap((t) => Array.from({ length: t.count }, () => t.name));
  competing.forEach((r, i) => {
    const prev = competing[i - 1];
    const tied = prev && key(prev).every((v, k) => v === key(r)[k]);
    r.rank = tied ? prev.rank : i + 1;
    // A unit nobody took part for never wins a prize, whatever its place.
    r.prize = r.participants === 0 ? null : tied ? prev.prize : (slots[i] ?? null);
  });
  const others = rows.filter((r) => r.rank === null).sort(order);
  return [...competing, ...others];
}

/** Each unit's own totals only (a unit not counting its subtree). */
function ownTotals(units: readonly UnitInput[], totals: readonly UnitTotals[]): Map<string, Omit<UnitTotals, "unitId">> {
  const empty = { people: 0, attempts: 0, correct: 0, perfect: 0, durationMs: 0 };
  const own = new Map(totals.map((t) => [t.unitId, t]));
  return new Map(units.map((u) => [u.id, own.get(u.id) ?? empty]));
}
