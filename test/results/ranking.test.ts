import { describe, expect, it } from "vitest";
import { rankUnits } from "../../src/results/ranking.js";
import { assignPrizes, type RankInput, rankAttempts } from "../helpers/ranking-oracle.js";

const KEYS = ["score", "prediction", "duration", "submittedAt"] as const;
const at = (ms: number) => new Date(Date.UTC(2026, 10, 23, 3, 0, 0, ms));
const row = (id: string, score: number, prediction: number | null, durationMs: number, submittedMs: number): RankInput => ({
  participantId: id,
  score,
  prediction,
  durationMs,
  submittedAt: at(submittedMs),
});

// The plain-code rules that the SQL ranking is checked against (ranking-sql.test.ts).
describe("individual ranking rules", () => {
  it("applies every tie-break level in order and shares remaining ties", () => {
    const rows = [
      row("low-score", 8, 100, 1_000, 0),
      row("far-guess", 10, 150, 1_000, 0),
      row("no-guess", 10, null, 1_000, 0),
      row("slow", 10, 98, 9_000, 0),
      row("late", 10, 98, 5_000, 7),
      row("early", 10, 102, 5_000, 3),
      row("twin-a", 9, 100, 2_000, 1),
      row("twin-b", 9, 100, 2_000, 1),
    ];
    const ranked = rankAttempts(rows, 100, KEYS);
    expect(ranked.map((r) => [r.participantId, r.rank])).toEqual([
      ["early", 1], // 10, |diff| 2, 5 s, submitted 3 ms
      ["late", 2], // same but submitted 4 ms later (millisecond precision)
      ["slow", 3], // |diff| 2 but slower
      ["far-guess", 4], // |diff| 50
      ["no-guess", 5], // no prediction ranks after any guess
      ["twin-a", 6],
      ["twin-b", 6], // identical on every key: shared rank
      ["low-score", 8],
    ]);
    expect(ranked[0]!.explanation).toBe(`đúng 10; lệch dự đoán 2; thời gian 5000 ms; nộp lúc ${at(3).toISOString()}`);
    expect(ranked[0]!.predictionDiff).toBe(2);
  });

  it("follows a contest's own key order", () => {
    const ranked = rankAttempts([row("fast", 7, null, 1_000, 0), row("accurate", 9, null, 9_000, 0)], null, ["duration", "score"]);
    expect(ranked.map((r) => r.participantId)).toEqual(["fast", "accurate"]);
  });

  it("assigns prize tiers in ranking order without splitting ties, optionally only to perfect scores", () => {
    const ranked = rankAttempts(
      [row("a", 10, 5, 1, 0), row("b", 10, 5, 2, 0), row("c", 10, 5, 2, 0), row("d", 9, 5, 1, 0), row("e", 8, 5, 1, 0)],
      5,
      KEYS,
    );
    const tiers = [
      { name: "Nhất", count: 1 },
      { name: "Nhì", count: 1 },
      { name: "Ba", count: 2 },
    ];
    expect(assignPrizes(ranked, tiers).map((p) => [p.participantId, p.prize])).toEqual([
      ["a", "Nhất"],
      ["b", "Nhì"],
      ["c", "Nhì"],
      ["d", "Ba"],
    ]);
    expect(assignPrizes(ranked, tiers, { perfectScore: 10 }).map((p) => p.participantId)).toEqual(["a", "b", "c"]);
  });
});

describe("unit ranking", () => {
  const units = [
    { id: "w", code: "W", name: "Phường", kind: "phường", parentId: null, headcount: null, target: null },
    { id: "k1", code: "K1", name: "Khu phố 1", kind: "khu phố", parentId: "w", headcount: null, target: null },
    { id: "t1", code: "T1", name: "Tổ 1", kind: "tổ dân phố", parentId: "k1", headcount: null, target: 4 },
    { id: "t2", code: "T2", name: "Tổ 2", kind: "tổ dân phố", parentId: "k1", headcount: 10, target: null },
    { id: "s", code: "S", name: "Trường", kind: "trường học", parentId: "w", headcount: 2, target: null },
  ];

  it("rolls participants up the tree and ranks by participants, correct answers, duration", () => {
    // Per unit of the participants: t1 has p1 (8 right, 100 ms) and p2 (6, 300 ms), t2 p3 (9, 200),
    // s p4 (9, 100) and p5 (5, 100); a participant without a unit counts nowhere.
    const rows = rankUnits(units, [
      { unitId: "t1", people: 2, attempts: 2, correct: 14, perfect: 0, durationMs: 400 },
      { unitId: "t2", people: 1, attempts: 1, correct: 9, perfect: 0, durationMs: 200 },
      { unitId: "s", people: 2, attempts: 2, correct: 14, perfect: 0, durationMs: 200 },
    ]);
    const byCode = Object.fromEntries(rows.map((r) => [r.code, r]));
    expect(byCode.W).toMatchObject({ participants: 5, totalCorrect: 37, rank: 1 });
    expect(byCode.K1).toMatchObject({ participants: 3, totalCorrect: 23, averageDurationMs: 200, rank: 2 });
    expect(byCode.T1).toMatchObject({ participants: 2, totalCorrect: 14, rate: 0.5, rank: 4 });
    expect(byCode.S).toMatchObject({ participants: 2, totalCorrect: 14, rate: 1, averageDurationMs: 100, rank: 3 });
    expect(byCode.T2).toMatchObject({ participants: 1, rate: 0.1, rank: 5 });
  });

  it("places only the competing units by the contest's keys, without subtrees, and hands out unit prizes without splitting ties", () => {
    // Plan 000: most participants, most perfect attempts, fastest; residential groups and schools compete.
    const rows = rankUnits(
      units,
      [
        { unitId: "t1", people: 2, attempts: 2, correct: 14, perfect: 1, durationMs: 400 },
        { unitId: "t2", people: 2, attempts: 2, correct: 12, perfect: 1, durationMs: 400 },
        { unitId: "s", people: 2, attempts: 2, correct: 20, perfect: 2, durationMs: 600 },
        { unitId: "w", people: 1, attempts: 1, correct: 10, perfect: 1, durationMs: 50 },
      ],
      {
        keys: ["participants", "perfect", "averageDuration"],
        subtree: false,
        competing: { kinds: ["tổ dân phố", "trường học"] },
        prizes: [
          { name: "Nhất", count: 1 },
          { name: "Nhì", count: 1 },
          { name: "Ba", count: 1 },
        ],
      },
    );
    expect(rows.map((r) => [r.code, r.rank, r.prize])).toEqual([
      ["S", 1, "Nhất"],
      ["T1", 2, "Nhì"],
      ["T2", 2, "Nhì"], // equal on every key: the same place and the same tier (the tier overflows)
      ["W", null, null], // does not compete: listed after, in the same order
      ["K1", null, null], // (without its subtree it counts nobody)
    ]);
    expect(rows[0]!.explanation).toBe("2 người dự thi; 2 bài đúng hết; thời gian 300 ms");
    expect(rows.find((r) => r.code === "W")).toMatchObject({ participants: 1, perfect: 1 }); // its own only
  });
});
