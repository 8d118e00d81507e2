import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { writeXlsxSheet } from "../../src/reports/xlsx-writer.js";

describe("the streaming XLSX writer", () => {
  it("writes batches of rows that Excel readers take back exactly, with the formatted, frozen header", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-xlsx-"));
    try {
      const file = path.join(dir, "sheet.xlsx");
      const tricky = ['Nguyễn "Út" <An> & Co', "  khoảng trắng  ", "tab\tvà\u0001điều khiển", "'=1+1"];
      await writeXlsxSheet(
        createWriteStream(file),
        "Xếp hạng vòng 1",
        [
          { header: "Hạng", width: 8 },
          { header: "Họ và tên", width: 28 },
          { header: "Ghi chú", width: 12 },
        ],
        async (each) => {
          for (let batch = 0; batch < 3; batch++) {
            await each(Array.from({ length: 500 }, (_, i) => [batch * 500 + i + 1, tricky[i % tricky.length]!, i % 3 === 0 ? null : 2.5]));
          }
        },
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.name).toBe("Xếp hạng vòng 1");
      expect(sheet.rowCount).toBe(1_501);
      expect(sheet.getRow(1).values).toEqual([undefined, "Hạng", "Họ và tên", "Ghi chú"]);
      expect(sheet.getRow(1).font?.bold).toBe(true);
      expect(sheet.getCell("A1").fill).toMatchObject({ pattern: "solid", fgColor: { argb: "FF1F4E79" } });
      expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(sheet.getColumn(2).width).toBe(28);
      expect(sheet.getRow(2).values).toEqual([undefined, 1, tricky[0]]);
      expect(sheet.getRow(3).values).toEqual([undefined, 2, tricky[1], 2.5]);
      expect(sheet.getCell("B4").value).toBe("tab\tvàđiều khiển"); // the control character XML forbids is dropped
      expect(sheet.getCell("B5").value).toBe("'=1+1");
      expect(sheet.getCell("A1501").value).toBe(1_500);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
