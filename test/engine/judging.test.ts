// Judging rules on both database backends (plan 003's contest file): scores combined as the mean,
// or without the extremes from four judgements; ties at the edge of advancement all go on;
// jurors' scopes; a level closes once.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { createAccount } from "../../src/console/auth/accounts.js";
import { combine, Judging, JudgingError } from "../../src/domain/judging.js";
import { DATA } from "../../src/engine/keyboards.js";
import { M } from "../../src/messages/index.js";
import { actor, contestHarness, register, useContestHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

const PLAN_003 = path.join(path.dirname(SAMPLE_CONTEST_FILE), "..", "plan-003-ha-noi", "contest.yaml");
const UNITS = ["BADINH", "KIMMA", "PTPBD", "CAUGIAY", "DICHVONG", "STP", "HANOI"];

describe("combined scores", () => {
  it("takes the mean, and drops the highest and the lowest from four judgements", () => {
    expect(combine([])).toBe(0);
    expect(combine([80, 66])).toBe(73);
    expect(combine([70, 71, 72])).toBe(71);
    expect(combine([10, 70, 80, 100])).toBe(75);
    expect(combine([60, 61, 62, 63, 99])).toBe(62);
  });
});

describe.each(BACKENDS)("levels on %s", (backend) => {
  const h = useContestHarness(backend, (db) => contestHarness(db, PLAN_003, new Date("2019-08-10T02:00:00Z")));

  it("advances each district's best with ties, keeps jurors to their scope, and closes a level once", async () => {
    const E = DATA.entry;
    const people = [
      { id: "a", unit: "KIMMA" },
      { id: "b", unit: "KIMMA" },
      { id: "c", unit: "PTPBD" },
      { id: "d", unit: "DICHVONG" },
    ];
    for (const [i, p] of people.entries()) {
      const who = actor("TELEGRAM", `94${i}`);
      await register(h.engine, who, { name: "Nguyễn Văn An", phone: `093740000${i}`, unit: p.unit });
      h.clock.advance(60_000); // submitted one after another
      for (const event of [
        { type: "button", data: E.start },
        { type: "button", data: E.title },
        { type: "text", text: `Bài ${p.id}` },
        { type: "button", data: E.text },
        { type: "text", text: "Nội dung." },
        { type: "button", data: E.essay },
        { type: "text", text: "Trả lời câu một." },
        { type: "text", text: "Trả lời câu hai." },
        { type: "button", data: E.submit },
      ] as const)
        await h.engine.handle(who, event);
    }
    const prisma = h.db.prisma;
    const entry = async (title: string) => (await prisma.entry.findFirstOrThrow({ where: { title } })).id;
    const juror = async (login: string, unitCode: string | undefined, home?: string, level = 1) =>
      (
        await createAccount(
          prisma,
          { login, name: login, role: "JURY", juryLevel: level, unitCode, homeUnitCode: home, password: "mat-khau-dai-1" },
          UNITS,
        )
      ).user;
    const judging = new Judging(prisma, h.contest);
    const j1 = await juror("jury1", "BADINH", "PTPBD");
    const j2 = await juror("jury2", "BADINH");
    const j3 = await juror("jury3", "CAUGIAY");
    expect((await judging.forJuror(j1)).map((i) => i.entry.title)).toEqual(expect.arrayContaining(["Bài a", "Bài b"]));
    expect((await judging.forJuror(j1)).map((i) => i.entry.title)).not.toContain("Bài c"); // their own unit's
    expect((await judging.forJuror(j3)).map((i) => i.entry.title)).toEqual(["Bài d"]);
    await expect(judging.score(j1, await entry("Bài c"), [50, 20, 10], "")).rejects.toThrow(JudgingError);
    await expect(judging.score(j1, await entry("Bài a"), [61, 20, 10], "")).rejects.toThrow(JudgingError);
    await expect(judging.score(j1, await entry("Bài a"), [50.3, 20, 10], "")).rejects.toThrow(JudgingError);
    // Bài a and Bài b tie at 80 in Ba Đình, above Bài c (70): both go on (advance 1, ties all go on).
    await judging.score(j1, await entry("Bài a"), [50, 20, 10], "");
    await judging.score(j1, await entry("Bài b"), [50, 20, 10], "");
    await judging.score(j2, await entry("Bài a"), [50, 20, 10], "tốt");
    await judging.score(j2, await entry("Bài b"), [50, 20, 10], "");
    await judging.score(j2, await entry("Bài c"), [40, 20, 10], "");
    await judging.score(j3, await entry("Bài d"), [30, 10, 5.5], "");
    expect((await judging.progress(1)).map((p) => [p.juror.login, p.scored, p.of])).toEqual([
      ["jury1", 2, 2],
      ["jury2", 3, 3],
      ["jury3", 1, 1],
    ]);
    expect(await judging.closeLevel(1)).toBe(4);
    await expect(judging.closeLevel(1)).rejects.toThrow(/closed already/);
    await expect(judging.score(j2, await entry("Bài a"), [1, 1, 1], "")).rejects.toThrow(/closed/);
    const results = await prisma.levelResult.findMany({ where: { level: 1 } });
    const byTitle = new Map(
      await Promise.all(results.map(async (r) => [(await prisma.entry.findUniqueOrThrow({ where: { id: r.entryId } })).title, r] as const)),
    );
    expect(
      ["Bài a", "Bài b", "Bài c", "Bài d"].map((t) => [t, byTitle.get(t)!.score, byTitle.get(t)!.rank, byTitle.get(t)!.advanced]),
    ).toEqual([
      ["Bài a", 80, 1, true],
      ["Bài b", 80, 1, true],
      ["Bài c", 70, 3, false],
      ["Bài d", 45.5, 1, true],
    ]);
    expect((await judging.inPlay(2)).map((i) => i.entry.title).sort()).toEqual(["Bài a", "Bài b", "Bài d"]);

    // The authors are told in chat, once: who goes on to the final, who does not.
    const campaignId = await judging.notifyLevel(1, h.clock.now());
    expect(await judging.notifyLevel(1, h.clock.now())).toBeNull();
    const deliveries = await prisma.delivery.findMany({ where: { campaignId: campaignId! }, include: { account: true } });
    const codeOf = async (title: string) => (await prisma.entry.findFirstOrThrow({ where: { title } })).code;
    expect(deliveries.map((d) => d.text).sort()).toEqual(
      [
        M.entryAdvanced(await codeOf("Bài a"), "Sơ khảo", "Chung khảo"),
        M.entryAdvanced(await codeOf("Bài b"), "Sơ khảo", "Chung khảo"),
        M.entryNotAdvanced(await codeOf("Bài c"), "Sơ khảo"),
        M.entryAdvanced(await codeOf("Bài d"), "Sơ khảo", "Chung khảo"),
      ].sort(),
    );

    // A final where ties go to the earlier submitted and a minimum score is needed.
    const strict = new Judging(prisma, {
      ...h.contest,
      def: {
        ...h.contest.def,
        judging: {
          ...judging.settings,
          levels: [judging.settings.levels[0]!, { name: "Chung khảo", advance: 3, minScore: 60, ties: "earliest" }],
        },
      },
    });
    const finalist = await juror("final1", undefined, undefined, 2);
    await strict.score(finalist, await entry("Bài a"), [60, 20, 10], "");
    await strict.score(finalist, await entry("Bài b"), [60, 20, 10], "");
    await strict.score(finalist, await entry("Bài d"), [30, 10, 10], "");
    await strict.closeLevel(2);
    const final = await prisma.levelResult.findMany({ where: { level: 2 }, orderBy: { rank: "asc" } });
    const titles = new Map((await prisma.entry.findMany()).map((e) => [e.id, e.title]));
    expect(final.map((r) => [titles.get(r.entryId), r.score, r.rank, r.advanced])).toEqual([
      ["Bài a", 90, 1, true], // submitted before Bài b
      ["Bài b", 90, 2, true],
      ["Bài d", 50, 3, false], // under the minimum
    ]);
  });

  it("refuses a mixed contest's entry until every essay question is answered", async () => {
    const who = actor("ZALO", "z-9499", false);
    await register(h.engine, who, { name: "Nguyễn Văn An", phone: "0937409999", unit: "DICHVONG" });
    const E = DATA.entry;
    await h.engine.handle(who, { type: "button", data: E.start });
    await h.engine.handle(who, { type: "button", data: E.title });
    await h.engine.handle(who, { type: "text", text: "Bài còn thiếu" });
    const refused = await h.engine.handle(who, { type: "button", data: E.submit });
    expect(refused.messages.map((m) => m.text)).toContain(M.entryRefused.essays(2));
    const asked = await h.engine.handle(who, { type: "button", data: E.essay });
    expect(asked.messages[0]!.text).toContain("Câu tự luận 1/2");
    await h.engine.handle(who, { type: "text", text: "Một" });
    const second = await h.engine.handle(who, { type: "text", text: "Hai" });
    expect(second.messages.map((m) => m.text)).toContain(M.essaysDone);
    const receipt = await h.engine.handle(who, { type: "button", data: E.submit });
    expect(receipt.messages[0]!.text).toContain("Đã nộp bài dự thi «Bài còn thiếu»");
    expect((await h.db.prisma.entry.findFirstOrThrow({ where: { title: "Bài còn thiếu" } })).essays).toEqual(["Một", "Hai"]);
  });
});
