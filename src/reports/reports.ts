// Reports per round (or the whole contest): participation per unit with its subtree, the
// individual ranking with prizes. Rows come in batches (a ranking of a million rows is read
// through a cursor), rendered by render.ts as XLSX, CSV or JSON while they are read.

import type { ContestContext } from "../contest/context.js";
import { memberStatus, rosterCounts } from "../contest/roster-status.js";
import type { AttemptService } from "../domain/attempts.js";
import { participantDetails } from "../domain/people.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { M } from "../messages/index.js";
import { REPORTS } from "../messages/pages.js";
import { rollUp, type UnitTotals } from "../results/ranking.js";
import { type ResultsService, unitTotals } from "../results/results.js";

export interface Column {
  header: string;
  key: string;
  width?: number;
}

export type Row = Record<string, string | number | Date | null>;

export interface Report {
  title: string;
  columns: Column[];
  /** Hands the rows to `each` in order, a batch at a time (awaiting each). */
  batches(each: (rows: Row[]) => Promise<void>): Promise<void>;
}

/** A report whose rows are few and already at hand. */
export function smallReport(title: string, columns: Column[], rows: Row[]): Report {
  return { title, columns, batches: (each) => each(rows) };
}

/** The same report without the rows `keep` refuses (e.g. units outside a unit admin's subtree). */
export function filterRows(report: Report, keep: (row: Row) => boolean): Report {
  return { ...report, batches: (each) => report.batches((rows) => each(rows.filter(keep))) };
}

/** Participation per unit with its subtree, and the unit ranking's places and prizes (frozen once the round is closed). */
export async function unitReport(
  prisma: PrismaClient,
  contest: ContestContext,
  results: ResultsService,
  roundNumber?: number,
  /** The roster's columns (read only when wanted: the dashboard, refreshed every 15 s, does not show them). */
  options: { roster?: boolean } = {},
): Promise<Report> {
  const round = roundNumber
    ? await prisma.round.findUniqueOrThrow({ where: { contestId_number: { contestId: contest.id, number: roundNumber } } })
    : undefined;
  const totals = await unitTotals(prisma, contest, round?.id);
  const placed = new Map((await results.unitRanking(round?.id, totals)).map((u) => [u.unitId, u]));
  const registered = await prisma.$queryRaw<UnitTotals[]>`
    SELECT "unitId"::text AS "unitId", count(*)::int AS people, 0 AS attempts, 0 AS correct, 0 AS perfect, 0 AS "durationMs"
    FROM "Participant" WHERE "contestId" = ${contest.id}::uuid AND "unitId" IS NOT NULL GROUP BY "unitId"`;
  const registeredIn = rollUp(contest.units, registered);
  const attemptsIn = rollUp(contest.units, totals);
  // Mandatory participation, when the contest has a roster: its size and the share who took part.
  const members = options.roster === false ? [] : await memberStatus(prisma, contest, roundNumber);
  const roster = members.length ? rosterCounts(contest, members) : undefined;
  const rows = contest.units.map((unit) => {
    const t = attemptsIn.get(unit.id)!;
    const base = unit.target ?? unit.headcount;
    const mean = (sum: number) => (t.attempts ? Math.round((sum / t.attempts) * 100) / 100 : null);
    return {
      code: unit.code,
      name: unit.name,
      kind: unit.kind,
      base: base ?? null,
      registered: registeredIn.get(unit.id)!.people,
      attempted: t.people,
      rate: base ? Math.round((t.people / base) * 1000) / 10 : null,
      averageScore: mean(t.correct),
      perfect: t.perfect,
      averageSeconds: mean(t.durationMs / 1000),
      unitRank: placed.get(unit.id)?.rank ?? null,
      unitPrize: placed.get(unit.id)?.prize ?? "",
      roster: roster?.get(unit.id)?.roster ?? null,
      compliance: roster?.get(unit.id)?.compliance ?? null,
    };
  });
  return smallReport(
    REPORTS.unitTitle(round?.number),
    [
      { header: REPORTS.unitColumns.code, key: "code", width: 12 },
      { header: REPORTS.unitColumns.name, key: "name", width: 32 },
      { header: REPORTS.unitColumns.kind, key: "kind", width: 14 },
      { header: REPORTS.unitColumns.base, key: "base", width: 12 },
      { header: REPORTS.unitColumns.registered, key: "registered", width: 12 },
      { header: REPORTS.unitColumns.attempted, key: "attempted", width: 12 },
      { header: REPORTS.unitColumns.rate, key: "rate", width: 14 },
      { header: REPORTS.unitColumns.averageScore, key: "averageScore", width: 12 },
      { header: REPORTS.unitColumns.perfect, key: "perfect", width: 12 },
      { header: REPORTS.unitColumns.averageSeconds, key: "averageSeconds", width: 14 },
      { header: REPORTS.unitColumns.unitRank, key: "unitRank", width: 10 },
      { header: REPORTS.unitColumns.unitPrize, key: "unitPrize", width: 20 },
      ...(roster
        ? [
            { header: REPORTS.unitColumns.roster, key: "roster", width: 12 },
            { header: REPORTS.unitColumns.compliance, key: "compliance", width: 14 },
          ]
        : []),
    ],
    rows,
  );
}

/** The round's ranking with names, units and prizes (of one audience when given), read in batches as it is written out. */
export async function rankingReport(
  prisma: PrismaClient,
  contest: ContestContext,
  results: ResultsService,
  roundNumber: number,
  audience?: string,
): Promise<Report> {
  const round = await prisma.round.findUniqueOrThrow({ where: { contestId_number: { contestId: contest.id, number: roundNumber } } });
  const units = new Map(contest.units.map((u) => [u.id, u.name]));
  const extra = contest.def.registration.extra;
  return {
    title: REPORTS.rankingTitle(round.number),
    columns: [
      { header: REPORTS.rankingColumns.rank, key: "rank", width: 8 },
      { header: REPORTS.rankingColumns.name, key: "name", width: 28 },
      { header: REPORTS.rankingColumns.unit, key: "unit", width: 28 },
      { header: REPORTS.rankingColumns.score, key: "score", width: 12 },
      { header: REPORTS.rankingColumns.prediction, key: "prediction", width: 10 },
      { header: REPORTS.rankingColumns.diff, key: "diff", width: 14 },
      { header: REPORTS.rankingColumns.seconds, key: "seconds", width: 14 },
      { header: REPORTS.rankingColumns.submittedAt, key: "submittedAt", width: 22 },
      { header: REPORTS.rankingColumns.prize, key: "prize", width: 20 },
      { header: REPORTS.rankingColumns.phoneVerified, key: "phoneVerified", width: 12 },
      // The contest's further registration fields, as asked.
      ...extra.map((spec) => ({ header: M.extraLabels[spec.field], key: `extra.${spec.field}`, width: 20 })),
    ],
    batches: (each) =>
      results.eachRankingBatch(round.id, audience, (ranking) =>
        each(
          ranking.map((r) => ({
            rank: r.rank,
            name: r.fullName,
            unit: (r.unitId && units.get(r.unitId)) || "",
            score: r.score,
            prediction: r.prediction,
            diff: r.predictionDiff,
            seconds: Math.round(r.durationMs / 100) / 10,
            submittedAt: r.submittedAt,
            prize: r.prize ?? "",
            phoneVerified: r.phoneVerified ? REPORTS.yes : REPORTS.no,
            ...extraCells(extra, participantDetails(r.details)),
          })),
        ),
      ),
  };
}

/** The further registration fields as cells, "" for those not answered. */
export function extraCells(extra: readonly { field: string }[], details: Record<string, string>): Row {
  return Object.fromEntries(extra.map((spec) => [`extra.${spec.field}`, details[spec.field] ?? ""]));
}

export interface LiveStats {
  registered: number;
  round: number | null;
  roundId: string | null;
  attempted: number;
  perfect: number;
}

/** Live figures of the open round, for the whole contest or for the given units only. */
export async function liveStats(
  prisma: PrismaClient,
  contest: ContestContext,
  attempts: AttemptService,
  now: Date,
  unitIds?: string[],
): Promise<LiveStats> {
  const participantWhere = unitIds ? { contestId: contest.id, unitId: { in: unitIds } } : { contestId: contest.id };
  const round = await attempts.openRound(now);
  const inRound = round ? { roundId: round.id, participant: participantWhere } : undefined;
  return {
    registered: await prisma.participant.count({ where: participantWhere }),
    round: round?.number ?? null,
    roundId: round?.id ?? null,
    attempted: inRound ? await prisma.attempt.count({ where: inRound }) : 0,
    perfect: inRound ? await prisma.attempt.count({ where: { ...inRound, score: contest.def.questionsPerAttempt } }) : 0,
  };
}
