import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { DefinitionError, parseDefinition, readDefinition } from "../../src/contest/definition.js";
import { parseBankRows, readQuestionBank } from "../../src/contest/question-bank.js";
import { resolveSchedule } from "../../src/contest/schedule.js";

const BASE = `slug: thu-nghiem
title: Thử nghiệm
organizer: UBND
rules: Thể lệ
start: 2026-12-07
end: 2027-01-03
rounds:
  weekly: {}
questionsPerAttempt: 10
timeLimitMinutes: 15
`;

/** The problems a definition is refused with (fails the test when it is accepted). */
function problemsOf(yaml: string): string[] {
  try {
    parseDefinition(yaml, "bad.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(DefinitionError);
    return (e as DefinitionError).problems;
  }
  throw new Error("expected a DefinitionError");
}

describe("contest definition", () => {
  it("loads the bundled sample with its 4 weekly rounds", async () => {
    const { definition } = await readDefinition(SAMPLE_CONTEST_FILE);
    const schedule = resolveSchedule(definition, new Date("2026-11-25T10:00:00Z"));
    expect(schedule.rounds).toHaveLength(4);
    // "today" = 00:00 in Asia/Ho_Chi_Minh of the load day = 17:00 UTC the day before.
    expect(schedule.rounds[0]!.opensAt.toISOString()).toBe("2026-11-24T17:00:00.000Z");
    expect(schedule.rounds[0]!.closesAt.toISOString()).toBe("2026-12-01T16:59:59.999Z");
  });

  it("splits weekly rounds Monday 00:00 to Sunday 24:00 local time", () => {
    const schedule = resolveSchedule(parseDefinition(BASE), new Date());
    expect(schedule.rounds.map((r) => [r.opensAt.toISOString(), r.closesAt.toISOString()])).toEqual([
      ["2026-12-06T17:00:00.000Z", "2026-12-13T16:59:59.999Z"],
      ["2026-12-13T17:00:00.000Z", "2026-12-20T16:59:59.999Z"],
      ["2026-12-20T17:00:00.000Z", "2026-12-27T16:59:59.999Z"],
      ["2026-12-27T17:00:00.000Z", "2027-01-03T16:59:59.999Z"],
    ]);
  });

  it("accepts an explicit list of windows", () => {
    const def = parseDefinition(
      BASE.replace("rounds:\n  weekly: {}", "rounds:\n  list:\n    - { opens: 2026-12-07T07:00, closes: 2026-12-13 }"),
    );
    const [round] = resolveSchedule(def, new Date()).rounds;
    expect(round!.opensAt.toISOString()).toBe("2026-12-07T00:00:00.000Z");
    expect(round!.closesAt.toISOString()).toBe("2026-12-13T16:59:59.999Z");
  });

  it("reports problems with their line numbers", () => {
    const typeErrors = problemsOf(BASE.replace("questionsPerAttempt: 10", "questionsPerAttempt: many").replace("title: Thử nghiệm\n", ""));
    expect(typeErrors).toContainEqual(expect.stringMatching(/^line 8: questionsPerAttempt: /)); // title line removed above it
    expect(typeErrors).toContainEqual(expect.stringMatching(/^line 1: title: /));
    const ruleErrors = problemsOf(
      BASE.replace("timeLimitMinutes: 15", "timeLimitMinutes: 15\nunits:\n  - { code: A, name: Tổ A, parent: NOPE }"),
    );
    expect(ruleErrors).toEqual(["line 12: units.0.parent: unknown parent unit NOPE"]);
    expect(problemsOf("slug: [unclosed")).toContainEqual(expect.stringMatching(/^line 1: /));
  });

  it("refuses impossible dates, reversed and overlapping rounds and unit cycles, naming the line", () => {
    const withRounds = (list: string) => BASE.replace("rounds:\n  weekly: {}", `rounds:\n  list:\n${list}`);
    expect(problemsOf(withRounds("    - { opens: 2027-02-31, closes: 2027-03-05 }"))).toEqual([
      expect.stringMatching(/^line 9: rounds\.list\.0\.opens: no such date/),
    ]);
    expect(problemsOf(withRounds("    - { opens: 2027-13-01, closes: 2027-03-05T25:00 }"))).toHaveLength(2);
    expect(problemsOf(withRounds("    - { opens: 2027-03-05, closes: 2027-03-01 }"))).toEqual([
      "line 9: rounds.list.0.closes: round 1 closes before it opens",
    ]);
    expect(
      problemsOf(withRounds("    - { opens: 2026-12-07, closes: 2026-12-13 }\n    - { opens: 2026-12-13T08:00, closes: 2026-12-20 }")),
    ).toEqual(["line 10: rounds.list.1.opens: round 2 overlaps round 1"]);
    expect(problemsOf(BASE.replace("end: 2027-01-03", "end: 2026-12-01"))).toEqual(["line 6: end: the contest ends before it starts"]);
    const cycle = problemsOf(
      `${BASE}units:\n  - { code: KP1, name: Khu phố 1, parent: TDP01 }\n  - { code: TDP01, name: Tổ 1, parent: KP1 }\n  - { code: SELF, name: Tự, parent: SELF }\n`,
    );
    expect(cycle).toEqual([
      "line 12: units.0.parent: units form a cycle: KP1 → TDP01 → KP1",
      "line 13: units.1.parent: units form a cycle: TDP01 → KP1 → TDP01",
      "line 14: units.2.parent: units form a cycle: SELF → SELF",
    ]);
  });
});

describe("question bank import", () => {
  it("reads the sample bank: at least 40 approved questions over several topics", async () => {
    const bank = await readQuestionBank(path.join(path.dirname(SAMPLE_CONTEST_FILE), "questions.csv"), ["DAN", "CBCC"]);
    expect(bank.rejected).toEqual([]);
    expect(bank.accepted.length).toBeGreaterThanOrEqual(40);
    expect(new Set(bank.accepted.map((a) => a.question.topic)).size).toBeGreaterThanOrEqual(5);
    expect(bank.accepted.every((a) => a.question.status === "APPROVED" && a.question.explanation && a.question.source)).toBe(true);
  });

  it("rejects each bad row with its reasons", () => {
    const header = [
      "Mã",
      "Chủ đề",
      "Câu hỏi",
      "Phương án A",
      "Phương án B",
      "Phương án C",
      "Phương án D",
      "Đáp án",
      "Giải thích",
      "Nguồn",
      "Trạng thái",
    ];
    const good = ["Q1", "CCHC", "Câu hỏi hợp lệ?", "Có", "Không", "", "", "A", "Vì", "Nguồn", "đã duyệt"];
    const bank = parseBankRows([
      header,
      good,
      ["Q2", "CCHC", "Thiếu đáp án?", "Có", "Không", "", "", "C", "Vì", "Nguồn", "draft"],
      ["Q3", "CCHC", "Một phương án?", "Có", "", "", "", "A", "Vì", "Nguồn", ""],
      ["Q1", "CCHC", "Trùng mã nhé?", "Có", "Không", "", "", "B", "", "Nguồn", "xyz"],
      ["Q5", "CCHC", "Có lỗ hổng?", "Có", "", "Không", "", "A", "Vì", "Nguồn", ""],
    ]);
    expect(bank.accepted.map((a) => a.question.code)).toEqual(["Q1"]);
    expect(bank.accepted[0]!.question.status).toBe("APPROVED");
    const reasons = Object.fromEntries(bank.rejected.map((r) => [r.row, r.reasons.join("; ")]));
    expect(reasons[3]).toContain("correct answer points at an empty option");
    expect(reasons[4]).toContain("needs 2–6 options");
    expect(reasons[5]).toMatch(/repeats row 2.*|unknown status/);
    expect(reasons[5]).toContain("explanation is empty");
    expect(reasons[6]).toContain("without gaps");
  });

  it("reads XLSX files the same way", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-bank-"));
    const file = path.join(dir, "bank.xlsx");
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet("Câu hỏi");
    sheet.addRow(["code", "topic", "question", "option_a", "option_b", "correct", "explanation", "source", "status"]);
    sheet.addRow(["X1", "ĐA06", "Ứng dụng định danh điện tử là gì?", "VNeID", "Khác", "a", "Vì", "NĐ 59/2022", "approved"]);
    await wb.xlsx.writeFile(file);
    const bank = await readQuestionBank(file);
    expect(bank.rejected).toEqual([]);
    expect(bank.accepted[0]!.question).toMatchObject({ code: "X1", options: ["VNeID", "Khác"], correct: 0, topic: "ĐA06" });
    await writeFile(path.join(dir, "x.pdf"), "");
    await expect(readQuestionBank(path.join(dir, "x.pdf"))).rejects.toThrow(/csv or .xlsx/);
  });
});
