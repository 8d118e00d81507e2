import { describe, expect, it } from "vitest";
import { previewCampaign } from "../../src/broadcast/campaigns.js";
import { importRoster, parseRosterRows } from "../../src/contest/roster.js";
import { DATA } from "../../src/engine/keyboards.js";
import type { InboundEvent } from "../../src/engine/types.js";
import { type Report, type Row, unitReport } from "../../src/reports/reports.js";
import { rosterMissingReport, rosterReport } from "../../src/reports/roster-report.js";
import { actor, allText, takeAttempt, useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

async function rowsOf(report: Report): Promise<Row[]> {
  const rows: Row[] = [];
  await report.batches(async (batch) => void rows.push(...batch));
  return rows;
}

describe.each(BACKENDS)("the mandatory roster on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("imports a roster, proposes members' units, reports who has not taken part and reminds only them", async () => {
    const sheet = [
      ["Họ và tên", "Số điện thoại", "Đơn vị", "Đối tượng"],
      ["Đỗ Văn Một", "0936 000 001", "TDP01", "CBCC"],
      ["Đỗ Thị Hai", "0936000002", "Tổ dân phố số 1", "cbcc"],
      ["Đỗ Văn Ba", "+84936000003", "TDP02", "CBCC"],
      ["Người Sai Số", "12345", "TDP01", ""],
      ["Đỗ Văn Một", "0936000001", "TDP01", ""],
      ["Đơn Vị Lạ", "0936000009", "XYZ", ""],
    ];
    const roster = parseRosterRows(sheet, h.contest);
    expect(roster.accepted).toHaveLength(3);
    expect(roster.rejected.map((r) => [r.row, r.reasons.join("; ")])).toEqual([
      [5, '"12345" is not a Vietnamese mobile number'],
      [6, "phone repeats row 2"],
      [7, 'unknown unit "XYZ"'],
    ]);
    expect(await importRoster(h.db.prisma, h.contest.id, roster)).toEqual({ written: 0 }); // refused rows: nothing written
    expect(await importRoster(h.db.prisma, h.contest.id, roster, { force: true })).toEqual({ written: 3 });

    // A member registers: unit and audience come from the roster.
    const one = actor("SIMULATOR", "roster-1");
    await h.engine.handle(one, { type: "start" });
    await h.engine.handle(one, { type: "button", data: "c:y" });
    await h.engine.handle(one, { type: "text", text: "Đỗ Văn Một" });
    await h.engine.handle(one, { type: "text", text: "01/01/1980" });
    const proposed = await h.engine.handle(one, { type: "text", text: "0936000001" });
    expect(allText(proposed)).toContain("có trong danh sách dự thi của đơn vị: Tổ dân phố số 1");
    await h.engine.handle(one, { type: "button", data: "cf:ok" });
    const member = await h.db.prisma.participant.findFirstOrThrow({
      where: { phone: "+84936000001" },
      include: { unit: true, audience: true },
    });
    expect([member.unit?.code, member.audience?.code]).toEqual(["TDP01", "CBCC"]);
    await takeAttempt(h, one, "+84936000001", 8, 0);
    // Another corrects the proposed unit to another one, and has not taken part yet.
    const three = actor("SIMULATOR", "roster-3");
    for (const event of [
      { type: "start" },
      { type: "button", data: DATA.consentYes },
      { type: "text", text: "Đỗ Văn Ba" },
      { type: "text", text: "03/03/1983" },
      { type: "text", text: "0936000003" },
      { type: "button", data: DATA.edit("unit") },
      { type: "button", data: DATA.unitChoose("TDP03") },
      { type: "button", data: DATA.confirm },
    ] as InboundEvent[])
      await h.engine.handle(three, event);

    const perUnit = await rowsOf(await rosterReport(h.db.prisma, h.contest, 1));
    expect(perUnit.find((r) => r.code === "TDP01")).toMatchObject({ roster: 2, registered: 1, tookPart: 1, notYet: 1, compliance: 50 });
    expect(perUnit.find((r) => r.code === "KP1")).toMatchObject({ roster: 3, registered: 2, tookPart: 1, notYet: 2 });
    expect(perUnit.find((r) => r.code === "UBND")).toBeUndefined(); // nobody of its roster
    // The unit report carries the same compliance next to the participation figures.
    const units = await rowsOf(await unitReport(h.db.prisma, h.contest, h.services.results, 1));
    expect(units.find((r) => r.code === "TDP01")).toMatchObject({ attempted: 1, roster: 2, compliance: 50 });
    expect(units.find((r) => r.code === "KP1")).toMatchObject({ roster: 3, compliance: 33.3 });
    expect(units.find((r) => r.code === "UBND")).toMatchObject({ roster: 0, compliance: null });

    const missing = await rowsOf(await rosterMissingReport(h.db.prisma, h.contest, 1));
    expect(missing.map((r) => [r.unitCode, r.fullName, r.registered, r.registeredElsewhere])).toEqual([
      ["TDP01", "Đỗ Thị Hai", "Không", ""],
      ["TDP02", "Đỗ Văn Ba", "Có", "Tổ dân phố số 3"],
    ]);
    const ownOnly = await rowsOf(await rosterMissingReport(h.db.prisma, h.contest, 1, new Set(["TDP02"])));
    expect(ownOnly.map((r) => r.fullName)).toEqual(["Đỗ Văn Ba"]);

    // The reminder reaches the registered members without an attempt in the open round only.
    const preview = await previewCampaign(
      h.db.prisma,
      h.contest,
      { name: "nhắc", text: "Mời anh chị dự thi", audience: { kind: "rosterNotAttempted" }, createdBy: "test" },
      h.clock.now(),
    );
    expect(preview.recipients).toBe(1);
  });
});
