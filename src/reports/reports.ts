// Reports per round (or the whole contest): participation per unit with its subtree, the
// individual ranking with prizes, a unit's participant list; written as XLSX (formatted
// headers, Vietnamese column names, local times) or CSV (UTF-8 with BOM for Excel).

import { writeFile } from "node:fs/promises";
import path from "node:path";
import ExcelJS from "exceljs";
import { DateTime } from "luxon";
import { type ContestContext, unitSubtreeIds } from "../contest/context.js";
import type { AttemptService } from "../domain/attempts.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { REPORTS } from "../messages/pages.js";
import type { ResultsService } from "../results/results.js";

export interface Column {
  header: string;
  key: string;
  width?: number;
}

export interface Report {
  title: string;
  columns: Column[];
  rows: Record<string, string | number | Date | null>[];
}

export async function unitReport(prisma: PrismaClient, contest: ContestContext, roundNumber?: number): Promise<Report> {
  const round = roundNumber
    ? await prisma.round.findUniqueOrThrow({ where: { contestId_number: { contestId: contest.id, number: roundNumber } } })
    : undefined;
  const participants = await prisma.participant.findMany({ where: { contestId: contest.id }, select: { id: true, unitId: true } });
  const attempts = await prisma.attempt.findMany({
    where: {
      ranked: true,
      status: { in: ["SUBMITTED", "EXPIRED"] },
      round: { contestId: contest.id },
      ...(round ? { roundId: round.id } : {}),
    },
    select: { participantId: true, score: true, durationMs: true, participant: { select: { unitId: true } } },
  });
  const perfect = contest.def.questionsPerAttempt;
  const rows = contest.units.map((unit) => {
    const ids = new Set(unitSubtreeIds(contest.units, unit.id));
    const registered = participants.filter((p) => p.unitId && ids.has(p.unitId)).length;
    const mine = attempts.filter((a) => a.participant.unitId && ids.has(a.participant.unitId));
    const people = new Set(mine.map((a) => a.participantId)).size;
    const base = unit.target ?? unit.headcount;
    const avg = (f: (a: (typeof mine)[number]) => number) =>
      mine.length ? Math.round((mine.reduce((n, a) => n + f(a), 0) / mine.length) * 100) / 100 : null;
    return {
      code: unit.code,
      name: unit.name,
      kind: unit.kind,
      base: base ?? null,
      registered,
      attempted: people,
      rate: base ? Math.round((people / base) * 1000) / 10 : null,
      averageScore: avg((a) => a.score ?? 0),
      perfect: mine.filter((a) => a.score === perfect).length,
      averageSeconds: avg((a) => (a.durationMs ?? 0) / 1000),
    };
  });
  return {
    title: REPORTS.unitTitle(round?.number),
    columns: [
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
    ],
    rows,
  };
}

export async function rankingReport(
  prisma: PrismaClient,
  contest: ContestContext,
  results: ResultsService,
  roundNumber: number,
  audience?: string,
): Promise<Report> {
  const round = await prisma.round.findUniqueOrThrow({ where: { contestId_number: { contestId: contest.id, number: roundNumber } } });
  const { ranking, prizes } = await results.roundResults(round.id, audience);
  const people = new Map(
    (await prisma.participant.findMany({ where: { id: { in: ranking.map((r) => r.participantId) } }, include: { unit: true } })).map(
      (p) => [p.id, p],
    ),
  );
  const prizeOf = new Map(prizes.map((p) => [p.participantId, p.prize]));
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
    ],
    rows: ranking.map((r) => ({
      rank: r.rank,
      name: people.get(r.participantId)?.fullName ?? "",
      unit: people.get(r.participantId)?.unit?.name ?? "",
      score: r.score,
      prediction: r.prediction,
      diff: r.predictionDiff,
      seconds: Math.round(r.durationMs / 100) / 10,
      submittedAt: r.submittedAt,
      prize: prizeOf.get(r.participantId) ?? "",
      phoneVerified: people.get(r.participantId)?.phoneVerified === false ? REPORTS.no : REPORTS.yes,
    })),
  };
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

const localTime = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("dd/MM/yyyy HH:mm:ss");

/**
 * Text that a spreadsheet would take for a formula (=, +, -, @, tab, CR at the start) gets a
 * leading apostrophe, so a name or answer typed by a participant never runs in Excel.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function cellValue(v: string | number | Date | null, zone: string): string | number | null {
  if (v === null) return null;
  if (v instanceof Date) return localTime(v, zone);
  return typeof v === "string" ? neutralise(v) : v;
}

function csvCell(v: string | number | Date | null, zone: string): string {
  const value = cellValue(v, zone);
  const s = value === null ? "" : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export type ReportFormat = "csv" | "xlsx";

/** The report as the bytes of a .csv (UTF-8 with BOM, for Excel) or .xlsx file. */
export async function renderReport(report: Report, format: ReportFormat, zone: string): Promise<Buffer> {
  if (format === "csv") {
    const lines = [
      report.columns.map((c) => csvCell(c.header, zone)),
      ...report.rows.map((r) => report.columns.map((c) => csvCell(r[c.key] ?? null, zone))),
    ];
    return Buffer.from(`\uFEFF${lines.map((l) => l.join(",")).join("\r\n")}\r\n`, "utf8");
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(report.title.slice(0, 31).replace(/[\\/?*[\]:]/g, "-"));
  sheet.columns = report.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 14 }));
  for (const row of report.rows) {
    sheet.addRow(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cellValue(v, zone)])));
  }
  const header = sheet.getRow(1);
  header.font = { bold: true, color: { argb: "FFFFFFFF" } };
  header.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FF1F4E79" } };
  header.alignment = { vertical: "middle", wrapText: true };
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes the report as .xlsx or .csv by the file's extension (CLI). */
export async function writeReport(report: Report, file: string, zone: string): Promise<void> {
  await writeFile(file, await renderReport(report, path.extname(file).toLowerCase() === ".csv" ? "csv" : "xlsx", zone));
}
