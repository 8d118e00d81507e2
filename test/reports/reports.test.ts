import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { writeReport } from "../../src/reports/render.js";
import { rankingReport, unitReport } from "../../src/reports/reports.js";
import { actor, register, takeAttempt, useSampleHarness } from "../helpers/contest.js";
import { BACKENDS } from "../helpers/db.js";

describe.each(BACKENDS)("reports and exports on %s", (backend) => {
  const h = useSampleHarness(backend);

  it("exports unit participation and the ranking to XLSX and CSV that read back as expected", async () => {
    const people = [
      { id: "rp-1", name: "Phạm Thị An", phone: "0944000001", unit: "TDP01", right: 10 },
      { id: "rp-2", name: "Phạm Thị Bình", phone: "0944000002", unit: "TDP01", right: 7 },
      { id: "rp-3", name: "Phạm Thị Chi", phone: "0944000003", unit: "UBND", right: 8 },
    ];
    for (const p of people) {
      const who = actor("SIMULATOR", p.id);
      await register(h.engine, who, { phone: p.phone, unit: p.unit, name: p.name });
      await takeAttempt(h, who, `+84${p.phone.slice(1)}`, p.right, 1);
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-report-"));
    try {
      const units = await unitReport(h.db.prisma, h.contest, h.services.results, 1);
      await writeReport(units, path.join(dir, "units.xlsx"), h.contest.timezone);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(dir, "units.xlsx"));
      const sheet = wb.worksheets[0]!;
      expect(sheet.getRow(1).values).toEqual(
        expect.arrayContaining(["Mã đơn vị", "Tên đơn vị", "Đã dự thi", "Tỷ lệ tham gia (%)", "Hạng tập thể", "Giải tập thể"]),
      );
      expect(sheet.getRow(1).font?.bold).toBe(true);
      const byCode = new Map<string, unknown[]>();
      sheet.eachRow((row, n) => {
        if (n > 1) byCode.set(String(row.getCell(1).value), row.values as unknown[]);
      });
      // values[] is 1-based: code, name, kind, base, registered, attempted, rate, avg score, perfect, avg time
      expect(byCode.get("TDP01")!.slice(4, 10)).toEqual([50, 2, 2, 4, 8.5, 1]);
      expect(byCode.get("TDP01")!.slice(11, 13)).toEqual([1, "Giải Nhất tập thể"]); // the sample's collective prizes
      expect(byCode.get("KP1")![11]).toBeUndefined(); // a neighbourhood does not compete: no place
      expect(byCode.get("KP1")!.slice(5, 7)).toEqual([2, 2]);
      expect(byCode.get("PHUONG")!.slice(5, 7)).toEqual([3, 3]);

      const ranking = await rankingReport(h.db.prisma, h.contest, h.services.results, 1);
      await writeReport(ranking, path.join(dir, "ranking.csv"), h.contest.timezone);
      const csv = await readFile(path.join(dir, "ranking.csv"), "utf8");
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const lines = csv.slice(1).trim().split("\r\n");
      expect(lines[0]).toBe(
        "Hạng,Họ và tên,Đơn vị,Số câu đúng,Dự đoán,Chênh lệch dự đoán,Thời gian (giây),Nộp bài lúc,Giải,SĐT đã xác minh",
      );
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(/^1,Phạm Thị An,Tổ dân phố số 1,10,1,0,10,\d{2}\/\d{2}\/2026 \d{2}:\d{2}:\d{2},Giải Nhất,Không$/); // typed phones: unverified
      expect(lines[3]).toMatch(/^3,Phạm Thị Bình,/);

      // A contest asking further fields exports them as columns of their own.
      h.contest.def.registration.extra = [{ field: "gender", required: false, keepFullIdCard: false }];
      await h.db.prisma.participant.updateMany({ where: { phone: "+84944000001" }, data: { details: { gender: "Nữ" } } });
      const withDetails = await rankingReport(h.db.prisma, h.contest, h.services.results, 1);
      expect(withDetails.columns.at(-1)).toMatchObject({ header: "Giới tính" });
      const rows: Record<string, unknown>[] = [];
      await withDetails.batches(async (batch) => void rows.push(...batch));
      expect(rows.map((r) => r["extra.gender"])).toEqual(["Nữ", "", ""]);
      h.contest.def.registration.extra = [];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
