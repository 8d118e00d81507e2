// Question bank import from a spreadsheet (CSV or XLSX). Every row is validated; nothing is
// written when a row is invalid unless the caller forces it (then only valid rows are written).
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.js";
import { fold, nfc } from "../text/normalize.js";
import { readSheet } from "./sheet-cells.js";

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

export const questionRowSchema = z
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

export type QuestionRow = z.infer<typeof questionRowSchema>;

export interface RowProblem {
  row: number;
  code?: string;
  reasons: string[];
}

export interface ParsedBank {
  accepted: { row: number; question: QuestionRow }[];
  rejected: RowProblem[];
  /** Accepted rows with a text starting with = + - @: kept as written, neutralised in exports. */
  formulaLike: number[];
}

/** Starts with a character that makes a spreadsheet evaluate the cell. */
const FORMULA_LIKE = /^[=+\-@]/;

export function parseBankRows(
  rows: string[][],
  knownAudiences: string[] = [],
  cellProblems: Map<number, string[]> = new Map(),
): ParsedBank {
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
    return { accepted: [], rejected: [{ row: 1, reasons: [`missing columns: ${missing.join(", ")}`] }], formulaLike: [] };
  }
  const result: ParsedBank = { accepted: [], rejected: [], formulaLike: [] };
  const seen = new Map<string, number>();
  rows.slice(1).forEach((cells, i) => {
    const rowNumber = i + 2;
    const cell = (key: string) => (index[key] === undefined ? "" : nfc(cells[index[key]!] ?? ""));
    if (cells.every((c) => nfc(c ?? "") === "")) return;
    const options = LETTERS.map((l) => cell(`option${l}`));
    const lastFilled = options.reduce((acc, o, k) => (o ? k : acc), -1);
    const reasons: string[] = [...(cellProblems.get(rowNumber) ?? [])];
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
    const parsed = questionRowSchema.safeParse({
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
    else {
      result.accepted.push({ row: rowNumber, question: parsed.data });
      const q = parsed.data;
      if ([q.question, ...q.options, q.explanation, q.topic].some((t) => FORMULA_LIKE.test(t))) result.formulaLike.push(rowNumber);
    }
  });
  return result;
}

export async function readQuestionBank(file: string, knownAudiences: string[] = []): Promise<ParsedBank> {
  const sheet = await readSheet(file);
  return parseBankRows(sheet.rows, knownAudiences, sheet.problems);
}

export interface ImportReport extends ParsedBank {
  written: boolean;
  created: number;
  updated: number;
}

const CHUNK = 1_000;

/**
 * Writes the accepted rows (upsert by code) unless a row was rejected and `force` is off. All
 * or nothing: one transaction, rows sent in chunks of 1,000 as one INSERT … ON CONFLICT each
 * (a statement per row took a minute for 10,000 rows). `onProgress` sees rows written so far.
 */
export async function importQuestionBank(
  prisma: PrismaClient,
  contestId: string,
  bank: ParsedBank,
  options: { force?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportReport> {
  if (bank.rejected.length > 0 && !options.force) return { ...bank, written: false, created: 0, updated: 0 };
  const total = bank.accepted.length;
  let created = 0;
  await prisma.$transaction(
    async (tx) => {
      for (let i = 0; i < total; i += CHUNK) {
        const rows = bank.accepted.slice(i, i + CHUNK).map(({ question: q }) => ({
          code: q.code,
          topic: q.topic,
          text: q.question,
          options: q.options,
          correct: q.correct,
          explanation: q.explanation,
          source: q.source,
          status: q.status,
          audiences: q.audiences,
        }));
        const inserted = await tx.$queryRawUnsafe<{ inserted: boolean }[]>(
          `INSERT INTO "Question" ("id", "contestId", "code", "topic", "text", "options", "correct", "explanation", "source", "status", "audiences", "updatedAt")
           SELECT gen_random_uuid(), $1::uuid, x.code, x.topic, x.text, x.options, x.correct, x.explanation, x.source, x.status::"QuestionStatus", x.audiences, now()
           FROM jsonb_to_recordset($2::jsonb) AS x(code text, topic text, text text, options text[], correct int, explanation text, source text, status text, audiences text[])
           ON CONFLICT ("contestId", "code") DO UPDATE SET
             "topic" = EXCLUDED."topic", "text" = EXCLUDED."text", "options" = EXCLUDED."options", "correct" = EXCLUDED."correct",
             "explanation" = EXCLUDED."explanation", "source" = EXCLUDED."source", "status" = EXCLUDED."status",
             "audiences" = EXCLUDED."audiences", "updatedAt" = now()
           RETURNING (xmax = 0) AS inserted`,
          contestId,
          JSON.stringify(rows),
        );
        created += inserted.filter((r) => r.inserted).length;
        options.onProgress?.(Math.min(i + CHUNK, total), total);
      }
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
  return { ...bank, written: true, created, updated: total - created };
}

export function formatImportReport(report: ImportReport): string {
  const lines = [`accepted rows: ${report.accepted.length}`, `rejected rows: ${report.rejected.length}`];
  for (const r of report.rejected) lines.push(`  row ${r.row}${r.code ? ` (${r.code})` : ""}: ${r.reasons.join("; ")}`);
  if (report.formulaLike.length > 0) {
    lines.push(
      `rows starting with = + - @ (kept as written; exports prefix them with ' so a spreadsheet never runs them): ${report.formulaLike.slice(0, 20).join(", ")}${report.formulaLike.length > 20 ? ", …" : ""}`,
    );
  }
  lines.push(
    report.written
      ? `written: ${report.created} new, ${report.updated} updated`
      : "nothing written: fix the rejected rows or pass --force to import only the accepted ones",
  );
  return lines.join("\n");
}
