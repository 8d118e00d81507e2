// The contest plans this project serves, as contest files under contests/, loaded and played
// with the test clock inside each plan's own dates. Expected places and prizes are worked out
// by hand from the plan's rules.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { importRoster, parseRosterRows } from "../../src/contest/roster.js";
import { M } from "../../src/messages/index.js";
import type { Row } from "../../src/reports/reports.js";
import { rosterMissingReport, rosterReport } from "../../src/reports/roster-report.js";
import { actor, contestHarness, type Harness, register, takeAttempt, useContestHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

const plan = (name: string) => path.join(path.dirname(SAMPLE_CONTEST_FILE), "..", name, "contest.yaml");

async function close(h: Harness): Promise<string> {
  const round = await h.db.prisma.round.findFirstOrThrow({ where: { contestId: h.contest.id, number: 1 } });
  h.clock.current = round.closesAt;
  await h.services.closer.close(round.id, round.closesAt);
  return round.id;
}

async function rows(report: { batches(each: (rows: Row[]) => Promise<void>): Promise<void> }): Promise<Row[]> {
  const all: Row[] = [];
  await report.batches(async (batch) => void all.push(...batch));
  return all;
}

describe.each(BACKENDS)("plan 000 (Sóc Sơn 2024) on %s", (backend) => {
  const h = useContestHarness(backend, (db) => contestHarness(db, plan("plan-000-soc-son"), new Date("2024-06-10T03:00:00Z")));

  it("takes staff at any age and citizens from 15, and awards individual and five collective prizes", async () => {
    // Both born in 2010 (14 in June 2024): the citizen is refused, the staff member accepted.
    const young = await register(h.engine, actor("SIMULATOR", "young-citizen"), {
      phone: "0937000001",
      birth: "01/01/2010",
      unit: "TTSS",
      audience: "DAN",
    });
    expect(young.messages.map((m) => m.text)).not.toContain(M.registered("Nguyễn Văn An"));
    await register(h.engine, actor("SIMULATOR", "young-staff"), {
      phone: "0937000002",
      birth: "01/01/2010",
      unit: "PVHTT",
      audience: "CBCC",
    });
    const registered = await h.db.prisma.participant.findMany({ select: { phone: true } });
    expect(registered.map((p) => p.phone)).toEqual(["+84937000002"]);

    const players = [
      { id: "pnv-1", phone: "0937000011", unit: "PNV", audience: "CBCC", right: 10 },
      { id: "vpub-1", phone: "0937000012", unit: "VPUB", audience: "CBCC", right: 10 },
      { id: "ttss-1", phone: "0937000013", unit: "TTSS", audience: "DAN", right: 9 },
      { id: "pnv-2", phone: "0937000014", unit: "PNV", audience: "CBCC", right: 7 },
    ];
    for (const p of players) {
      const who = actor("SIMULATOR", p.id);
      await register(h.engine, who, { phone: p.phone, unit: p.unit, audience: p.audience });
      await takeAttempt(h, who, `+84${p.phone.slice(1)}`, p.right, 0);
    }
    const roundId = await close(h);
    const { rows: top } = await h.services.results.top(roundId, 10);
    const phone = async (id: string) => (await h.db.prisma.participant.findUniqueOrThrow({ where: { id } })).phone;
    // Score, then time (equal here), then who submitted first; the staff member with no attempt is not ranked.
    expect(await Promise.all(top.map(async (r) => [await phone(r.participantId), r.rank, r.prize]))).toEqual([
      ["+84937000011", 1, "Giải Nhất"],
      ["+84937000012", 2, "Giải Nhì"],
      ["+84937000013", 3, "Giải Nhì"],
      ["+84937000014", 4, "Giải Ba"],
    ]);
    const units = await h.services.results.unitRanking(roundId);
    // Most participants, then most perfect attempts, then fastest; offices, communes and the town compete.
    expect(units.filter((u) => u.prize).map((u) => [u.code, u.rank, u.prize])).toEqual([
      ["PNV", 1, "Giải Nhất tập thể"],
      ["VPUB", 2, "Giải Nhì tập thể"],
      ["TTSS", 3, "Giải Nhì tập thể"],
    ]);
    expect(units.find((u) => u.code === "HUYEN")).toMatchObject({ rank: null, participants: 4 }); // the district does not compete
  });
});

describe.each(BACKENDS)("plan 002 (Huế 2022) on %s", (backend) => {
  const h = useContestHarness(backend, (db) => contestHarness(db, plan("plan-002-hue"), new Date("2022-08-02T03:00:00Z")));

  it("runs four weekly rounds and reports each office's compulsory participation after a round", async () => {
    const rounds = await h.db.prisma.round.findMany({ where: { contestId: h.contest.id }, orderBy: { number: "asc" } });
    expect(rounds.map((r) => [r.opensAt.toISOString(), r.closesAt.toISOString()])).toEqual([
      ["2022-07-31T17:00:00.000Z", "2022-08-07T16:59:59.999Z"],
      ["2022-08-07T17:00:00.000Z", "2022-08-14T16:59:59.999Z"],
      ["2022-08-14T17:00:00.000Z", "2022-08-21T16:59:59.999Z"],
      ["2022-08-21T17:00:00.000Z", "2022-08-28T16:59:59.999Z"],
    ]);
    const roster = parseRosterRows(
      [
        ["Họ và tên", "Số điện thoại", "Đơn vị", "Đối tượng"],
        ["Hồ Văn Một", "0938000001", "VP", "CBCC"],
        ["Hồ Thị Hai", "0938000002", "VP", "CBCC"],
        ["Hồ Văn Ba", "0938000003", "QLKH", "CBCC"],
      ],
      h.contest,
    );
    expect(await importRoster(h.db.prisma, h.contest.id, roster)).toEqual({ written: 3 });
    for (const [id, phone, right] of [
      ["vp-1", "0938000001", 10],
      ["qlkh-1", "0938000003", 6],
    ] as const) {
      const who = actor("SIMULATOR", id);
      await register(h.engine, who, { phone });
      await takeAttempt(h, who, `+84${phone.slice(1)}`, right, 1);
    }
    const perUnit = await rows(await rosterReport(h.db.prisma, h.contest, 1));
    expect(perUnit.map((r) => [r.code, r.roster, r.tookPart, r.compliance])).toEqual([
      ["QLKH", 1, 1, 100],
      ["SO", 3, 2, 66.7], // the department: its whole subtree
      ["VP", 2, 1, 50],
    ]);
    expect((await rows(await rosterMissingReport(h.db.prisma, h.contest, 1))).map((r) => r.fullName)).toEqual(["Hồ Thị Hai"]);
    const attempts = await h.db.prisma.attempt.findMany({ include: { participant: { include: { unit: true } } } });
    expect(attempts.map((a) => a.participant.unit?.code).sort()).toEqual(["QLKH", "VP"]); // units came from the roster
  });
});

describe.each(BACKENDS)("plan 004 (Phú Lương 2025) on %s", (backend) => {
  const h = useContestHarness(backend, (db) => contestHarness(db, plan("plan-004-phu-luong"), new Date("2025-12-09T03:00:00Z")));

  it("asks 15 questions and a prediction, and awards residential groups and agencies by participation then quality", async () => {
    const players = [
      { id: "tdp1-a", phone: "0939000001", unit: "TDP01", right: 15 },
      { id: "tdp1-b", phone: "0939000002", unit: "TDP01", right: 12 },
      { id: "ubnd-a", phone: "0939000003", unit: "UBND", right: 14 },
      { id: "tdp2-a", phone: "0939000004", unit: "TDP02", right: 10 },
    ];
    for (const p of players) {
      const who = actor("SIMULATOR", p.id);
      await register(h.engine, who, { phone: p.phone, unit: p.unit });
      await takeAttempt(h, who, `+84${p.phone.slice(1)}`, p.right, 1);
    }
    const attempts = await h.db.prisma.attempt.findMany({ include: { _count: { select: { questions: true } } } });
    expect(attempts.map((a) => [a._count.questions, a.prediction])).toEqual(Array.from({ length: 4 }, () => [15, 1]));
    const roundId = await close(h);
    const units = await h.services.results.unitRanking(roundId);
    // TDP01: 2 people; UBND and TDP02 1 each, UBND with more correct answers (14 > 10).
    expect(units.filter((u) => u.prize).map((u) => [u.code, u.rank, u.prize])).toEqual([
      ["TDP01", 1, "Giải Nhất tập thể"],
      ["UBND", 2, "Giải Nhì tập thể"],
      ["TDP02", 3, "Giải Ba tập thể"],
    ]);
    expect(units.find((u) => u.code === "TDP03")).toMatchObject({ participants: 0, prize: null }); // nobody: no prize
    const { rows: top, actual } = await h.services.results.top(roundId, 4);
    expect(actual).toBe(1); // one perfect paper
    expect(top.map((r) => [r.score, r.prize])).toEqual([
      [15, "Giải Nhất"],
      [14, "Giải Nhì"],
      [12, "Giải Nhì"],
      [10, "Giải Ba"],
    ]);
  });
});
