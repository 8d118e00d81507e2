// Reads an organizer's spreadsheet as the text a person sees in it, never reinterpreted:
// CSV cells stay exactly as written («1.000», «0012», «TRUE», «01/02/2026»), XLSX rich text is
// joined, merged cells repeat their value on every row they cover, whole numbers in the
// General format are their digits. Anything whose displayed text depends on a number or date
// format (decimals, percentages, dates) or is an error or a formula without a text result is
// not guessed at: the cell is reported so the row can be refused with a reason.
import { createReadStream } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse";
import type ExcelJS from "exceljs";

export interface SheetRows {
  /** Cell texts, row by row (row 1 first); "" for empty or unreadable cells. */
  rows: string[][];
  /** Unreadable cells by 1-based row number: "column D: …". */
  problems: Map<number, string[]>;
}

const columnName = (n: number): string =>
  n <= 26 ? String.fromCharCode(64 + n) : columnName(Math.floor((n - 1) / 26)) + columnName(((n - 1) % 26) + 1);

async function readCsv(file: string): Promise<SheetRows> {
  const rows: string[][] = [];
  // bom: Excel's "CSV UTF-8" starts with one; relax_column_count: short rows are the bank's business.
  const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  for await (const record of parser) rows.push(record as string[]);
  return { rows, problems: new Map() };
}

/** The text of one XLSX cell, or why it has none we can trust. */
export function cellText(cell: ExcelJS.Cell): { text: string } | { problem: string } {
  const source = cell.isMerged ? cell.master : cell;
  const value = source.value;
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: value };
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE" };
  if (typeof value === "number") {
    const format = source.numFmt ?? "General";
    if (Number.isInteger(value) && ["General", "0", "@", ""].includes(format)) return { text: String(value) };
    return { problem: `a number shown through the format «${format}»: type it as text (format the cell as Text) so it is kept as written` };
  }
  if (value instanceof Date) return { problem: "a date: type it as text (format the cell as Text) so it is kept as written" };
  if ("richText" in value) return { text: value.richText.map((r) => r.text).join("") };
  if ("hyperlink" in value) return { text: String(value.text ?? value.hyperlink) };
  if ("error" in value) return { problem: `an error value ${String(value.error)}` };
  if ("formula" in value || "sharedFormula" in value) {
    const result = (value as { result?: unknown }).result;
    if (typeof result === "string") return { text: result };
    return { problem: "a formula: paste its value as text instead" };
  }
  return { problem: "a value of an unknown kind" };
}

async function readXlsx(file: string): Promise<SheetRows> {
  const { default: Excel } = await import("exceljs"); // loaded on first use: only an organizer's upload needs it
  const workbook = await new Excel.Workbook().xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error(`${file}: the workbook has no sheet`);
  const rows: string[][] = [];
  const problems = new Map<number, string[]>();
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const read = cellText(row.getCell(c));
      if ("text" in read) cells.push(read.text);
      else {
        cells.push("");
        problems.set(r, [...(problems.get(r) ?? []), `column ${columnName(c)}: ${read.problem}`]);
      }
    }
    rows.push(cells);
  }
  return { rows, problems };
}

/** Reads the first sheet of a .csv or .xlsx file. */
export async function readSheet(file: string): Promise<SheetRows> {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return readCsv(file);
  if (ext === ".xlsx") return readXlsx(file);
  throw new Error(`${file}: expected a .csv or .xlsx file`);
}
