// Organizers' spreadsheets are read as the text a person sees, or the row is refused with a
// reason: nothing is silently reinterpreted.
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { formatImportReport, readQuestionBank } from "../../src/contest/question-bank.js";
import { neutralise } from "../../src/reports/render.js";

const HEADER = ["code", "topic", "question", "option_a", "option_b", "option_c", "correct", "explanation", "source", "status"];

describe("spreadsheet cells", () => {
  it("keeps CSV cells exactly as written", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-cells-"));
    const file = path.join(dir, "bank.csv");
    const row = [
      "Q1",
      "Số liệu",
      "Mức phạt tối đa là bao nhiêu nghìn đồng?",
      "1.000",
      "1.500",
      "2.000",
      "B",
      "Theo nghị định",
      "NĐ 100",
      "approved",
    ];
    const row2 = ["Q2", "Mã", "Mã hồ sơ nào đúng định dạng?", "0012", "01/02/2026", "TRUE", "A", "=1+1 là công thức", "Nguồn", "approved"];
    await writeFile(file, `\uFEFF${[HEADER, row, row2].map((r) => r.join(",")).join("\r\n")}\r\n`, "utf8");
    const bank = await readQuestionBank(file);
    expect(bank.rejected).toEqual([]);
    expect(bank.accepted[0]!.question.options).toEqual(["1.000", "1.500", "2.000"]);
    expect(bank.accepted[1]!.question.options).toEqual(["0012", "01/02/2026", "TRUE"]);
    expect(bank.accepted[1]!.question.explanation).toBe("=1+1 là công thức");
    expect(bank.formulaLike).toEqual([3]);
    expect(formatImportReport({ ...bank, written: true, created: 2, updated: 0 })).toContain("rows starting with = + - @");
    expect(neutralise("=1+1 là công thức")).toBe("'=1+1 là công thức");
    expect(neutralise("Bình thường")).toBe("Bình thường");
  });

  it("reads rich text, text formulas, whole numbers and merged cells; refuses what depends on a format", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-cells-"));
    const file = path.join(dir, "bank.xlsx");
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Câu hỏi");
    sheet.addRow(HEADER);
    sheet.addRow([
      "Q1",
      "Chuyển đổi số",
      { richText: [{ text: "Câu hỏi " }, { font: { bold: true }, text: "in đậm" }, { text: "?" }] },
      2020,
      { formula: 'CONCAT("Ph","ường")', result: "Phường" },
      "Xã",
      "A",
      "Vì",
      "Nguồn",
      "approved",
    ]);
    sheet.addRow(["Q2", null, "Câu hỏi thứ hai ở ô gộp?", "Có", "Không", "", "B", "Vì", "Nguồn", "approved"]);
    sheet.mergeCells("B2:B3");
    const bad = sheet.addRow([
      "Q3",
      "Số",
      "Câu hỏi có ô định dạng?",
      0.5,
      new Date("2026-02-01T00:00:00Z"),
      { formula: "1+1", result: 2 },
      "A",
      "Vì",
      "Nguồn",
      "approved",
    ]);
    bad.getCell(4).numFmt = "0%";
    await workbook.xlsx.writeFile(file);
    const bank = await readQuestionBank(file);
    expect(bank.accepted.map((a) => a.question.code)).toEqual(["Q1", "Q2"]);
    expect(bank.accepted[0]!.question.question).toBe("Câu hỏi in đậm?");
    expect(bank.accepted[0]!.question.options).toEqual(["2020", "Phường", "Xã"]);
    expect(bank.accepted[1]!.question.topic).toBe("Chuyển đổi số");
    expect(bank.rejected).toHaveLength(1);
    expect(bank.rejected[0]).toMatchObject({ row: 4, code: "Q3" });
    const reasons = bank.rejected[0]!.reasons.join("\n");
    expect(reasons).toContain("column D: a number shown through the format «0%»");
    expect(reasons).toContain("column E: a date");
    expect(reasons).toContain("column F: a formula");
  });
});
