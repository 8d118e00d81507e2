import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { loadContestFile } from "../../src/contest/loader.js";
import { importQuestionBank, parseBankRows } from "../../src/contest/question-bank.js";
import { BACKENDS, freshDatabase, type TestDatabase } from "../helpers/db.js";

const HEADER = ["code", "topic", "question", "option_a", "option_b", "correct", "explanation", "source", "status"];

describe.each(BACKENDS)("question import and contest reload on %s", (backend) => {
  let db: TestDatabase;
  let contestId: string;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    contestId = (await loadContestFile(db.prisma, SAMPLE_CONTEST_FILE, new Date("2026-11-23T03:00:00Z"))).contestId;
  });
  afterAll(async () => db?.destroy());

  it("changes nothing when a row is invalid, and writes only valid rows with force", async () => {
    const bank = parseBankRows([
      HEADER,
      ["NEW1", "CCHC", "Câu hỏi mới một?", "Đúng", "Sai", "A", "Vì", "Nguồn", "approved"],
      ["CCHC01", "CCHC", "Câu hỏi sửa lại?", "Đúng", "Sai", "B", "Vì", "Nguồn", "retired"],
      ["BAD", "CCHC", "Câu hỏi lỗi?", "Đúng", "Sai", "Z", "Vì", "Nguồn", "approved"],
    ]);
    const before = await db.prisma.question.count({ where: { contestId } });
    const refused = await importQuestionBank(db.prisma, contestId, bank);
    expect(refused).toMatchObject({ written: false, created: 0, updated: 0 });
    expect(await db.prisma.question.count({ where: { contestId } })).toBe(before);
    const forced = await importQuestionBank(db.prisma, contestId, bank, { force: true });
    expect(forced).toMatchObject({ written: true, created: 1, updated: 1 });
    expect(await db.prisma.question.count({ where: { contestId } })).toBe(before + 1);
    const updated = await db.prisma.question.findUniqueOrThrow({ where: { contestId_code: { contestId, code: "CCHC01" } } });
    expect(updated).toMatchObject({ status: "RETIRED", correct: 1, text: "Câu hỏi sửa lại?" });
  });

  it("reloads the same definition in place, keeping round and unit ids", async () => {
    const rounds = await db.prisma.round.findMany({ where: { contestId }, orderBy: { number: "asc" } });
    const again = await loadContestFile(db.prisma, SAMPLE_CONTEST_FILE, new Date("2026-11-23T03:00:00Z"));
    expect(again.contestId).toBe(contestId);
    const after = await db.prisma.round.findMany({ where: { contestId }, orderBy: { number: "asc" } });
    expect(after.map((r) => r.id)).toEqual(rounds.map((r) => r.id));
    expect(await db.prisma.unit.count({ where: { contestId } })).toBe(11);
    const tdp01 = await db.prisma.unit.findFirstOrThrow({ where: { contestId, code: "TDP01" }, include: { parent: true } });
    expect(tdp01.parent?.code).toBe("KP1");
  });

  it("imports 20,000 rows in one all-or-nothing transaction and reports progress", async () => {
    const rows = [HEADER];
    for (let i = 0; i < 20_000; i++)
      rows.push([`BULK${i}`, `Chủ đề ${i % 7}`, `Câu hỏi số ${i}?`, "Đúng", "Sai", i % 2 ? "A" : "B", "Vì", "Nguồn", "draft"]);
    const bank = parseBankRows(rows);
    expect(bank.rejected).toEqual([]);
    const seen: number[] = [];
    const started = Date.now();
    const report = await importQuestionBank(db.prisma, contestId, bank, { onProgress: (done) => seen.push(done) });
    console.log(`20,000-row import on ${backend}: ${Date.now() - started} ms`);
    expect(report).toMatchObject({ written: true, created: 20_000, updated: 0 });
    expect(seen.at(-1)).toBe(20_000);
    expect(seen.length).toBe(20);
    expect(await db.prisma.question.count({ where: { contestId, code: { startsWith: "BULK" } } })).toBe(20_000);
    const again = await importQuestionBank(db.prisma, contestId, bank);
    expect(again).toMatchObject({ created: 0, updated: 20_000 });
    const one = await db.prisma.question.findUniqueOrThrow({ where: { contestId_code: { contestId, code: "BULK1" } } });
    expect(one).toMatchObject({ text: "Câu hỏi số 1?", options: ["Đúng", "Sai"], correct: 0, status: "DRAFT", audiences: [] });
  }, 180_000);
});
