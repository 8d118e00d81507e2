// Certificates issued by the transaction that closes a round, checked against places and
// prizes worked out by hand; a repeated close issues nothing more; the last round adds the
// contest's own unit prizes; a participant gets theirs in chat as file messages.
import { describe, expect, it } from "vitest";
import { DATA } from "../../src/engine/keyboards.js";
import { M } from "../../src/messages/index.js";
import { BOARD_PHONE, certificateContestFile } from "../helpers/certificate-contest.js";
import { actor, contestHarness, type Harness, register, takeAttempt, useContestHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

const players = [
  { id: "cn-1", name: "Nguyễn Thị Hồng Nhung", phone: "0938000001", unit: "TDP01", audience: "DAN", right: 10 },
  { id: "cn-2", name: "Trần Văn Bình", phone: "0938000002", unit: "UBND", audience: "CBCC", right: 9 },
  { id: "cn-3", name: "Phạm Thị Lụa", phone: "0938000003", unit: "TDP02", audience: "DAN", right: 8 },
  { id: "cn-4", name: "Lê Quang Đạo", phone: "0938000004", unit: "CAP", audience: "CBCC", right: 5 },
  { id: "cn-9", name: "Đỗ Thành Viên", phone: BOARD_PHONE, unit: "TDP01", audience: "DAN", right: 10 },
];
const e164 = (phone: string) => `+84${phone.slice(1)}`;

async function closeRound(h: Harness, number: number): Promise<string> {
  const round = await h.db.prisma.round.findFirstOrThrow({ where: { contestId: h.contest.id, number } });
  h.clock.current = new Date(round.closesAt.getTime() + 1);
  await h.services.closer.close(round.id, h.clock.now());
  return round.id;
}

const issued = (h: Harness, scope: string) =>
  h.db.prisma.certificate.findMany({
    where: { contestId: h.contest.id, scope },
    orderBy: [{ kind: "asc" }, { serial: "asc" }],
    select: { kind: true, serial: true, holderName: true, unitName: true, prize: true, detail: true },
  });

describe.each(BACKENDS)("certificates on %s", (backend) => {
  const h = useContestHarness(backend, async (db) => contestHarness(db, await certificateContestFile(), new Date("2026-11-23T03:00:00Z")));

  it("issues the round's individual, audience, participation and unit certificates once, then the contest's with the last round", async () => {
    for (const p of players) {
      const who = actor("SIMULATOR", p.id);
      await register(h.engine, who, { name: p.name, phone: p.phone, unit: p.unit, audience: p.audience });
      h.clock.advance(60_000);
      await takeAttempt(h, who, e164(p.phone), p.right, 0);
    }
    await closeRound(h, 1);
    const round1 = await issued(h, "round:1");
    // Ranked by correct answers (the board member plays unranked); prizes 1 Nhất, 2 Nhì, 3 Ba…
    expect(round1.filter((c) => c.kind === "PRIZE").map((c) => [c.serial, c.holderName, c.unitName, c.prize])).toEqual([
      ["V01-G0001", "Nguyễn Thị Hồng Nhung", "Tổ dân phố số 1", "Giải Nhất"],
      ["V01-G0002", "Trần Văn Bình", "UBND phường Mẫu", "Giải Nhì"],
      ["V01-G0003", "Phạm Thị Lụa", "Tổ dân phố số 2", "Giải Nhì"],
      ["V01-G0004", "Lê Quang Đạo", "Công an phường", "Giải Ba"],
    ]);
    expect(round1.find((c) => c.serial === "V01-G0002")!.detail).toBe("Đúng 9/10 câu, xếp thứ 2 trong 4 người dự thi");
    // Only CBCC has prizes of its own.
    expect(round1.filter((c) => c.kind === "AUDIENCE_PRIZE").map((c) => [c.serial, c.holderName, c.prize, c.detail])).toEqual([
      ["V01-D0001", "Trần Văn Bình", "Giải Nhất khối CBCC", "Đối tượng Cán bộ, công chức, viên chức: đúng 9/10 câu, xếp thứ 1"],
      ["V01-D0002", "Lê Quang Đạo", "Giải Nhì khối CBCC", "Đối tượng Cán bộ, công chức, viên chức: đúng 5/10 câu, xếp thứ 2"],
    ]);
    // 8 or more correct, the organizing board excepted; numbered in name order.
    expect(round1.filter((c) => c.kind === "PARTICIPATION").map((c) => [c.serial, c.holderName, c.prize])).toEqual([
      ["V01-C00001", "Nguyễn Thị Hồng Nhung", null],
      ["V01-C00002", "Phạm Thị Lụa", null],
      ["V01-C00003", "Trần Văn Bình", null],
    ]);
    // One participant each: more correct answers first; the khu phố and the ward do not compete.
    expect(round1.filter((c) => c.kind === "UNIT_PRIZE").map((c) => [c.serial, c.holderName, c.prize])).toEqual([
      ["V01-T001", "Tổ dân phố số 1", "Giải Nhất tập thể"],
      ["V01-T002", "UBND phường Mẫu", "Giải Nhì tập thể"],
      ["V01-T003", "Tổ dân phố số 2", "Giải Ba tập thể"],
      ["V01-T004", "Công an phường", "Giải Khuyến khích tập thể"],
    ]);
    expect(await h.db.prisma.certificate.count({ where: { scope: "contest" } })).toBe(0);

    // A repeated close, by hand or by another instance, issues nothing more.
    const round1Id = (await h.db.prisma.round.findFirstOrThrow({ where: { contestId: h.contest.id, number: 1 } })).id;
    await h.restartServices().closer.close(round1Id, h.clock.now());
    expect(await h.db.prisma.certificate.count()).toBe(round1.length);

    // The result notice tells the certified to ask for it, and nobody else.
    const campaign = await h.db.prisma.campaign.findFirstOrThrow({ where: { systemKey: "round-notices:1" } });
    const accounts = await h.db.prisma.platformAccount.findMany({ where: { externalId: { in: ["cn-4", "cn-9"] } } });
    const texts = await h.services.closer.noticeTexts(
      campaign.audience,
      accounts.map((a) => a.id),
    );
    const textOf = (id: string) => texts.get(accounts.find((a) => a.externalId === id)!.id)!;
    expect(textOf("cn-4")).toContain(M.certificateNoticeHint.trim());
    expect(textOf("cn-9")).not.toContain("/chungnhan");

    // Round 2, the last: only the ward's residential group 2 plays; the contest's unit prizes follow.
    const three = players[2]!;
    await takeAttempt(h, actor("SIMULATOR", three.id), e164(three.phone), 10, 0);
    await closeRound(h, 2);
    expect((await issued(h, "round:2")).map((c) => [c.kind, c.serial, c.holderName])).toEqual([
      ["PRIZE", "V02-G0001", "Phạm Thị Lụa"],
      ["UNIT_PRIZE", "V02-T001", "Tổ dân phố số 2"],
      ["PARTICIPATION", "V02-C00001", "Phạm Thị Lụa"],
    ]);
    // Over both rounds: one person each, then correct answers (TDP02: 8 + 10).
    expect((await issued(h, "contest")).map((c) => [c.serial, c.holderName, c.prize])).toEqual([
      ["TC-T001", "Tổ dân phố số 2", "Giải Nhất tập thể"],
      ["TC-T002", "Tổ dân phố số 1", "Giải Nhì tập thể"],
      ["TC-T003", "UBND phường Mẫu", "Giải Ba tập thể"],
      ["TC-T004", "Công an phường", "Giải Khuyến khích tập thể"],
    ]);
  });

  it("sends a participant's certificates in chat as files, newest first, and tells others they have none", async () => {
    const first = actor("SIMULATOR", "cn-1");
    const reply = await h.engine.handle(first, { type: "command", name: "chungnhan" });
    const files = reply.messages.filter((m) => m.document);
    const participant = await h.db.prisma.participant.findFirstOrThrow({ where: { phone: e164(players[0]!.phone) } });
    const mine = await h.db.prisma.certificate.findMany({ where: { participantId: participant.id } });
    expect(files.map((m) => m.document!.code).sort()).toEqual(mine.map((c) => c.code).sort());
    expect(files.map((m) => m.text)).toEqual([
      "🏅 Đã đạt Giải Nhất – Vòng 1\nSố: V01-G0001",
      "🏅 Đã tham gia Vòng 1 và đạt kết quả tốt\nSố: V01-C00001",
    ]);
    expect(files[0]!.document!.filename).toBe("giay-chung-nhan-V01-G0001.pdf");
    // The menu button does the same; the board member has none.
    const byButton = await h.engine.handle(first, { type: "button", data: DATA.menuCertificates });
    expect(byButton.messages.filter((m) => m.document)).toHaveLength(2);
    const board = await h.engine.handle(actor("SIMULATOR", "cn-9"), { type: "command", name: "chungnhan" });
    expect(board.messages[0]!.text).toBe(M.certificatesNone);
    expect(
      board.messages
        .at(-1)!
        .buttons!.flat()
        .map((b) => b.data),
    ).toContain(DATA.menuCertificates);
  });
});
