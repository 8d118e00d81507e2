// Written entries in chat (plan 001's contest file): a group entry built over two sessions days
// apart with text in several messages and files, limits refused in words, submitted for a
// receipt, withdrawn, reopened and submitted again; nothing after the deadline. Both backends.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";
import { EntryService } from "../../src/domain/entries.js";
import { DATA } from "../../src/engine/keyboards.js";
import type { InboundEvent } from "../../src/engine/types.js";
import { M } from "../../src/messages/index.js";
import { actor, allText, buttonData, contestHarness, register, useContestHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

const PLAN_001 = path.join(path.dirname(SAMPLE_CONTEST_FILE), "..", "plan-001-phu-rieng", "contest.yaml");
const E = DATA.entry;
const press = (data: string): InboundEvent => ({ type: "button", data });
const file = (name: string, mime: string, size: number): InboundEvent => ({ type: "file", fileId: `tg-${name}`, name, mime, size });

describe.each(BACKENDS)("written entries on %s", (backend) => {
  const h = useContestHarness(backend, (db) => contestHarness(db, PLAN_001, new Date("2020-08-20T02:00:00Z")));

  it("keeps a group entry's draft across days, refuses files over the limits, and gives a receipt", async () => {
    const who = actor("TELEGRAM", "9101");
    const registered = await register(h.engine, who, { name: "Lê Thị Hương", phone: "0936100001", unit: "PNV" });
    expect(buttonData(registered)).toContain(E.menu); // a written contest: «Bài dự thi» in the menu
    expect(buttonData(registered)).not.toContain(DATA.menuStart);

    expect(allText(await h.engine.handle(who, { type: "command", name: "baithi" }))).toContain(M.entryNone);
    const card = await h.engine.handle(who, press(E.start));
    expect(allText(card)).toMatch(/Bài dự thi BT-[A-Z2-9]{6} – bản nháp/);
    await h.engine.handle(who, press(E.title));
    await h.engine.handle(who, { type: "text", text: "Một cửa điện tử liên thông cấp xã" });
    await h.engine.handle(who, press(E.text));
    await h.engine.handle(who, { type: "text", text: "Thực trạng: người dân phải đi lại nhiều lần." });
    const added = await h.engine.handle(who, { type: "text", text: "Giải pháp: tiếp nhận hồ sơ trực tuyến và trả kết quả qua bưu điện." });
    expect(allText(added)).toContain("Đã thêm vào bài");
    await h.engine.handle(who, press(E.author));
    expect(allText(await h.engine.handle(who, { type: "text", text: "Trần Văn Bình" }))).toBe(M.entryAuthorFormat);
    await h.engine.handle(who, { type: "text", text: "Trần Văn Bình – Xã Bù Nho" });
    await h.engine.handle(who, press(E.files));
    expect(allText(await h.engine.handle(who, file("de-an.pdf", "application/pdf", 2_000_000)))).toContain(
      "Đã đính kèm «de-an.pdf» (1 tệp)",
    );
    expect(allText(await h.engine.handle(who, file("virus.exe", "application/x-msdownload", 1_000)))).toContain(
      "Loại tệp này không được nhận",
    );
    expect(allText(await h.engine.handle(who, file("video.pdf", "application/pdf", 15 * 1024 * 1024)))).toContain("Tệp quá lớn");
    expect(allText(await h.engine.handle(who, file("so-do.jpg", "image/jpeg", 300_000)))).toContain("(2 tệp)");

    // Three days later, after a restart: the draft is all there.
    h.clock.advance(3 * 86_400_000);
    const later = h.restart();
    const back = allText(await later.handle(who, { type: "command", name: "baithi" }));
    expect(back).toContain("Tên bài: Một cửa điện tử liên thông cấp xã");
    expect(back).toContain("Đồng tác giả: Trần Văn Bình (Xã Bù Nho)");
    expect(back).toContain("Tệp đính kèm: de-an.pdf, so-do.jpg");

    const receipt = allText(await later.handle(who, press(E.submit)));
    const entry = await h.db.prisma.entry.findFirstOrThrow({ include: { files: true } });
    expect(receipt).toContain(`Mã bài: ${entry.code}`);
    expect(entry).toMatchObject({ status: "SUBMITTED", title: "Một cửa điện tử liên thông cấp xã" });
    expect(entry.body).toBe(
      "Thực trạng: người dân phải đi lại nhiều lần.\n\nGiải pháp: tiếp nhận hồ sơ trực tuyến và trả kết quả qua bưu điện.",
    );
    expect(entry.files.map((f) => [f.filename, f.platform, f.platformFileId, f.storeKey])).toEqual([
      ["de-an.pdf", "TELEGRAM", "tg-de-an.pdf", null],
      ["so-do.jpg", "TELEGRAM", "tg-so-do.jpg", null],
    ]);
    const unit = await h.db.prisma.unit.findFirstOrThrow({ where: { code: "PNV" } });
    expect(entry.unitId).toBe(unit.id);

    // Withdrawn, reopened, submitted again under the same code.
    expect(allText(await later.handle(who, press(E.withdraw)))).toContain(M.entryWithdrawn(entry.code));
    expect(allText(await later.handle(who, press(E.reopen)))).toContain(M.entryReopened(entry.code));
    expect(allText(await later.handle(who, press(E.submit)))).toContain(`Mã bài: ${entry.code}`);
    expect(await h.db.prisma.entry.count({ where: { status: "SUBMITTED" } })).toBe(1);

    // After the deadline nothing changes.
    h.clock.current = new Date("2020-10-11T00:00:00Z");
    expect(allText(await later.handle(who, press(E.reopen)))).toContain(M.entryRefused.closed);
    expect((await h.db.prisma.entry.findFirstOrThrow()).status).toBe("SUBMITTED");
  });

  it("refuses an incomplete entry and a file with no draft open", async () => {
    const who = actor("ZALO", "z-9102", false);
    await register(h.engine, who, { name: "Phạm Văn Tú", phone: "0936100002", unit: "PTP" });
    h.clock.current = new Date("2020-09-01T02:00:00Z");
    expect(allText(await h.engine.handle(who, file("anh.jpg", "image/jpeg", 1000)))).toBe(M.entryFileNoDraft);
    await h.engine.handle(who, press(E.start));
    expect(allText(await h.engine.handle(who, press(E.submit)))).toContain(M.entryRefused.incomplete);
  });

  it("holds a unit to its number of entries when the contest file sets one", async () => {
    const service = new EntryService(h.db.prisma, {
      ...h.contest,
      def: { ...h.contest.def, entries: { ...h.contest.def.entries, perUnit: 1 } },
    });
    h.clock.current = new Date("2020-09-02T02:00:00Z");
    const results = [];
    for (const [id, phone] of [
      ["9111", "0936100011"],
      ["9112", "0936100012"],
    ] as const) {
      await register(h.engine, actor("TELEGRAM", id), { name: "Nguyễn Văn An", phone, unit: "XBUNHO" });
      const participant = await h.db.prisma.participant.findFirstOrThrow({ where: { phone: `+84${phone.slice(1)}` } });
      const draft = await service.draft(participant, h.clock.now());
      if ("refused" in draft) throw new Error("no draft");
      await service.setTitle(draft.id, `Bài ${id}`);
      await service.appendText(draft, "Nội dung.");
      const fresh = (await service.current(participant.id))!;
      results.push(await service.submit(fresh, participant, h.clock.now()));
    }
    expect(results[0]).toMatchObject({ status: "SUBMITTED" });
    expect(results[1]).toEqual({ refused: "unitLimit", perUnit: 1 });
  });
});
