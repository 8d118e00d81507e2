// Question bank import from a spreadsheet (CSV or XLSX). Every row is validated; nothing is
// written when a row is invalid unless the caller forces it (then only valid rows are written).
import path from "node:path";
import ExcelJS from "exceljs";
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.js";
import { fold, nfc } from "../text/normalize.js";

const LETTERS = ["A", "B", "C", "D", "E", "F"] as const;

/** Header names accepted for each column, compared after fold() and _ → space. */
const COLUMNS: Record<string, string[]> = {
  code: ["code", "ma", "ma cau hoi"],
  topic: ["topic", "chu de"],
  question: ["question", "cau hoi", "noi dung"],
  correct: ["correct", "dap an", "dap an dung"],
  explanation: ["explanation", "giai thich"],
  source: ["source", "nguon", "can cu"],
  status: ["status", "trang thai"],
  audiences: ["audiences", "audience", "doi tuong"],
  ...Object.fromEntries(LETTERS.map((l) => [`option${l}`, [`option ${l.toLowerCase()}`, `phuong an ${l.toLowerCase()}`, l.toLowerCase()]])),
};

const STATUS: Record<string, "DRAFT" | "APPROVED" | "RETIRED"> = {
  draft: "DRAFT",
  "ban nhap": "DRAFT",
  approved: "APPROVED",
  "da duyet": "APPROVED",
  retired: "RETIRED",
  "ngung dung": "RETIRED",
};

const rowSchema = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, "code: 1–40 characters from A-Z a-z 0-9 _ . -"),
    topic: z.string().min(1, "topic is empty"),
    question: z.string().min(5, "question is too short").max(1000, "question is longer than 1,000 characters"),
    options: z.array(z.string().max(300, "an option is longer than 300 characters")).min(2, "needs 2–6 options").max(6),
    correct: z.number().int().min(0),
    explanation: z.string().min(1, "explanation is empty"),
    source: z.string().min(1, "source is empty"),
    status: z.enum(["DRAFT", "APPROVED", "RETIRED"]),
    audiences: z.array(z.string()),
  })
  .refine((r) => r.correct < r.options.length, { message: "correct answer points at an empty option", path: ["correct"] })
  .refine((r) => new Set(r.options.map(fold)).size === r.options.length, { message: "two options are the same", path: ["options"] });

export type QuestionRow = z.infer<typeof rowSchema>;

export interface RowProblem {
  row: number;
  code?: string;
  reasons: string[];
}

export interface ParsedBank {
  accepted: { row: number; question: QuestionRow }[];
  rejected: RowProblem[];
}

async function readRows(file: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  const ext = path.extname(file).toLowerCase();
  const sheet =
    ext === ".csv"
      ? await workbook.csv.readFile(file)
      : ext === ".xlsx"
        ? (await workbook.xlsx.readFile(file)).worksheets[0]
        : undefined;
  if (!sheet) throw new Error(`${file}: expected a .csv or .xlsx file with one sheet`);
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows[n - 1] = values.map((v) => (v === null || v === undefined ? "" : typeof v === "object" && "text" in v ? String(v.text) : String(v)));
  });
  return Array.from(rows, (r) => r ?? []);
}

export function parseBankRows(rows: string[][], knownAudiences: string[] = []): ParsedBank {
  const header = (rows[0] ?? []).map((h) => fold(h.replace(/^\uFEFF/, "")).replace(/_/g, " "));
  const index: Record<string, number> = {};
  for (const [key, names] of Object.entries(COLUMNS)) {
    const i = header.findIndex((h) => names.includes(h));
    if (i >= 0) index[key] = i;
  }
  const missing = ["code", "topic", "question", "optionA", "optionB", "correct", "explanation", "source"].filter(
    (k) => index[k] === undefined,
  );
  if (missing.length > 0) {
    return { accepted: [], rejected: [{ row: 1, reasons: [`missing columns: ${missing.join(", ")}`] }] };
  }
  const result: ParsedBank = { accepted: [], rejected: [] };
  const seen = new Map<string, number>();
  rows.slice(1).forEach((cells, i) => {
    const rowNumber = i + 2;
    const cell = (key: string) => (index[key] === undefined ? "" : nfc(cells[index[key]!] ?? ""));
    if (cells.every((c) => nfc(c ?? "") === "")) return;
    const options = LETTERS.map((l) => cell(`option${l}`));
    const lastFilled = options.reduce((acc, o, k) => (o ? k : acc), -1);
    const reasons: string[] = [];
    if (options.slice(0, lastFilled + 1).some((o) => !o)) reasons.push("options must be filled from A without gaps");
    const letter = cell("correct").toUpperCase();
    const correct = LETTERS.indexOf(letter as (typeof LETTERS)[number]);
    if (correct < 0) reasons.push(`correct answer "${cell("correct")}" is not a letter A–F`);
    const statusText = fold(cell("status") || "draft");
    const status = STATUS[statusText];
    if (!status) reasons.push(`unknown status "${cell("status")}" (draft, approved, retired)`);
    const audiences = cell("audiences")
      .split(/[,;]/)
      .map((a) => a.trim())
      .filter(Boolean);
    const unknown = audiences.filter((a) => knownAudiences.length > 0 && !knownAudiences.includes(a));
    if (unknown.length) reasons.push(`unknown audience ${unknown.join(", ")}`);
    const parsed = rowSchema.safeParse({
      code: cell("code"),
      topic: cell("topic"),
      question: cell("question"),
      options: options.slice(0, lastFilled + 1),
      correct: Math.max(correct, 0),
      explanation: cell("explanation"),
      source: cell("source"),
      status: status ?? "DRAFT",
      audiences,
    });
    if (!parsed.success) reasons.push(...parsed.error.issues.map((x) => x.message));
    const code = cell("code");
    if (code && seen.has(code)) reasons.push(`code ${code} repeats row ${seen.get(code)}`);
    if (code) seen.set(code, rowNumber);
    if (reasons.length > 0 || !parsed.success) result.rejected.push({ row: rowNumber, code: code || undefined, reasons });
    else result.accepted.push({ row: rowNumber, question: parsed.data });
  });
  return result;
}

export async function readQuestionBank(file: string, knownAudiences: string[] = []): Promise<ParsedBank> {
  return parseBankRows(await readRows(file), knownAudiences);
}

export interface ImportReport extends ParsedBank {
  written: boolean;
  created: number;
  updated: number;
}

/** Writes the accepted rows (upsert by code) unless a row was rejected and `force` is off. */
export async function importQuestionBank(
  prisma: PrismaClient,
  contestId: string,
  bank: ParsedBank,
  options: { force?: boolean } = {},
): Promise<ImportReport> {
  if (bank.rejected.length > 0 && !options.force) return { ...bank, written: false, created: 0, updated: 0 };
  const existing = new Set(
    (await prisma.question.findMany({ where: { contestId }, select: { code: true } })).map((q) => q.code),
  );
  await prisma.$transaction(
    bank.accepted.map(({ question: q }) => {
      const data = {
        topic: q.topic,
        text: q.question,
        options: q.options,
        correct: q.correct,
        explanation: q.explanation,
        source: q.source,
        status: q.status,
        audiences: q.audiences,
      };
      return prisma.question.upsert({
        where: { contestId_code: { contestId, code: q.code } },
        create: { contestId, code: q.code, ...data },
        update: data,
      });
    }),
  );
  const created = bank.accepted.filter((a) => !existing.has(a.question.code)).length;
  return { ...bank, written: true, created, updated: bank.accepted.length - created };
}

export function formatImportReport(report: ImportReport): string {
  const lines = [`accepted rows: ${report.accepted.length}`, `rejected rows: ${report.rejected.length}`];
  for (const r of report.rejected) lines.push(`  row ${r.row}${r.code ? ` (${r.code})` : ""}: ${r.reasons.join("; ")}`);
  lines.push(
    report.written
      ? `written: ${report.created} new, ${report.updated} updated`
      : "nothing written: fix the rejected rows or pass --force to import only the accepted ones",
  );
  return lines.join("\n");
}
