// The mandatory roster of a contest (plans 000, 002: "100% of civil servants in every round"):
// read from a spreadsheet (full name, phone, unit, audience), every row checked and reported
// like a question bank; nothing written while a row is refused unless forced. Rows are keyed
// by phone: importing again updates them.
import type { ContestContext } from "../contest/context.js";
import { normalizePhone } from "../engine/validation.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { fold, nfc } from "../text/normalize.js";
import type { RowProblem } from "./question-bank.js";
import { readSheet } from "./sheet-cells.js";

const COLUMNS: Record<string, string[]> = {
  fullName: ["ho va ten", "ho ten", "full name", "fullname", "name", "ten"],
  phone: ["so dien thoai", "dien thoai", "sdt", "phone"],
  unit: ["don vi", "ma don vi", "unit", "unit code"],
  audience: ["doi tuong", "audience", "ma doi tuong"],
};

export interface RosterRow {
  phone: string;
  fullName: string;
  unitId: string | null;
  audienceId: string | null;
}

export interface ParsedRoster {
  accepted: { row: number; entry: RosterRow }[];
  rejected: RowProblem[];
}

export function parseRosterRows(rows: string[][], contest: ContestContext, cellProblems = new Map<number, string[]>()): ParsedRoster {
  const header = (rows[0] ?? []).map((h) => fold(h.replace(/^\uFEFF/, "")).replace(/_/g, " "));
  const index: Record<string, number> = {};
  for (const [key, names] of Object.entries(COLUMNS)) {
    const i = header.findIndex((h) => names.includes(h));
    if (i >= 0) index[key] = i;
  }
  const missing = ["fullName", "phone"].filter((k) => index[k] === undefined);
  if (missing.length > 0) return { accepted: [], rejected: [{ row: 1, reasons: [`missing columns: ${missing.join(", ")}`] }] };
  const result: ParsedRoster = { accepted: [], rejected: [] };
  const seen = new Map<string, number>();
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const cell = (key: string) => (index[key] === undefined ? "" : nfc(cells[index[key]!] ?? ""));
    if (cells.every((c) => nfc(c ?? "") === "")) return;
    const reasons = [...(cellProblems.get(row) ?? [])];
    const fullName = cell("fullName");
    if (fullName.length < 2) reasons.push("full name is empty");
    const phone = normalizePhone(cell("phone"));
    if (!phone) reasons.push(`"${cell("phone")}" is not a Vietnamese mobile number`);
    else if (seen.has(phone)) reasons.push(`phone repeats row ${seen.get(phone)}`);
    else seen.set(phone, row);
    const unitText = cell("unit");
    const unit = unitText ? contest.units.find((u) => u.code === unitText.toUpperCase() || fold(u.name) === fold(unitText)) : undefined;
    if (unitText && !unit) reasons.push(`unknown unit "${unitText}"`);
    const audienceText = cell("audience");
    const audience = audienceText
      ? contest.audiences.find((a) => a.code.toUpperCase() === audienceText.toUpperCase() || fold(a.name) === fold(audienceText))
      : undefined;
    if (audienceText && !audience) reasons.push(`unknown audience "${audienceText}"`);
    if (reasons.length > 0) result.rejected.push({ row, reasons });
    else result.accepted.push({ row, entry: { phone: phone!, fullName, unitId: unit?.id ?? null, audienceId: audience?.id ?? null } });
  });
  return result;
}

export async function readRoster(file: string, contest: ContestContext): Promise<ParsedRoster> {
  const sheet = await readSheet(file);
  return parseRosterRows(sheet.rows, contest, sheet.problems);
}

/** Writes the accepted rows (one statement); nothing when a row was refused, unless forced. */
export async function importRoster(
  prisma: PrismaClient,
  contestId: string,
  roster: ParsedRoster,
  options: { force?: boolean } = {},
): Promise<{ written: number }> {
  if (roster.rejected.length > 0 && !options.force) return { written: 0 };
  const entries = roster.accepted.map((a) => a.entry);
  if (entries.length === 0) return { written: 0 };
  const written = await prisma.$executeRaw`
    INSERT INTO "RosterEntry" (id, "contestId", phone, "fullName", "unitId", "audienceId")
    SELECT gen_random_uuid(), ${contestId}::uuid, x.phone, x."fullName", x."unitId"::uuid, x."audienceId"::uuid
    FROM jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) AS x(phone text, "fullName" text, "unitId" text, "audienceId" text)
    ON CONFLICT ("contestId", phone) DO UPDATE SET
      "fullName" = EXCLUDED."fullName", "unitId" = EXCLUDED."unitId", "audienceId" = EXCLUDED."audienceId", "importedAt" = now()`;
  return { written };
}

export function formatRosterReport(roster: ParsedRoster, written: number, forced: boolean): string {
  const lines = [`accepted rows: ${roster.accepted.length}`, `rejected rows: ${roster.rejected.length}`];
  for (const r of roster.rejected) lines.push(`  row ${r.row}: ${r.reasons.join("; ")}`);
  lines.push(
    roster.rejected.length > 0 && !forced
      ? "nothing written: fix the rejected rows or pass --force to import only the accepted ones"
      : `written: ${written} roster members`,
  );
  return lines.join("\n");
}
