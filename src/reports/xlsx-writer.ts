// A streaming XLSX writer with back-pressure: one worksheet, a formatted header row (bold white
// on dark blue, frozen), column widths, text and number cells. Why not ExcelJS's streaming
// writer: it does not wait for its zip compressor, which fell 430 MiB behind on a ranking of a
// million rows (measured, docs/dependencies.md); here every row waits for the compressor
// (archiver) to take it, so memory stays at a few batches whatever the size. ExcelJS still
// reads workbooks (question banks) and checks these files in the tests.

import { once } from "node:events";
import { PassThrough, type Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { ZipArchive } from "archiver";

export interface SheetColumn {
  header: string;
  width: number;
}

const NS = "http://schemas.openxmlformats.org";
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const PARTS: Record<string, string> = {
  "[Content_Types].xml": `${XML}<Types xmlns="${NS}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
  "_rels/.rels": `${XML}<Relationships xmlns="${NS}/package/2006/relationships"><Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  "xl/_rels/workbook.xml.rels": `${XML}<Relationships xmlns="${NS}/package/2006/relationships"><Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  // Style 0: plain; style 1: the header (bold white Calibri on 1F4E79, centred vertically, wrapped).
  "xl/styles.xml": `${XML}<styleSheet xmlns="${NS}/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF1F4E79"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
};

/** Text as XML character data: escaped, and without the control characters XML 1.0 forbids. */
function xmlText(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
  );
}

/** 0 → A, 25 → Z, 26 → AA. */
function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function rowXml(values: readonly (string | number | null)[], rowNumber: number, style = 0): string {
  const cells = values.map((value, i) => {
    const ref = `${columnName(i)}${rowNumber}`;
    const s = style ? ` s="${style}"` : "";
    if (value === null) return style ? `<c r="${ref}"${s}/>` : "";
    if (typeof value === "number" && Number.isFinite(value)) return `<c r="${ref}"${s}><v>${value}</v></c>`;
    return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${xmlText(String(value))}</t></is></c>`;
  });
  const rowStyle = style ? ` s="${style}" customFormat="1"` : "";
  return `<row r="${rowNumber}"${rowStyle}>${cells.join("")}</row>`;
}

/** Writes one sheet: `rows` hands its batches to the callback it is given, each awaited. */
export async function writeXlsxSheet(
  out: Writable,
  sheetName: string,
  columns: readonly SheetColumn[],
  rows: (each: (batch: (string | number | null)[][]) => Promise<void>) => Promise<void>,
): Promise<void> {
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const failed = new Promise<never>((_, reject) => zip.on("error", reject));
  failed.catch(() => undefined); // observed below; never an unhandled rejection
  zip.pipe(out);
  for (const [name, body] of Object.entries(PARTS)) zip.append(body, { name });
  zip.append(
    `${XML}<workbook xmlns="${NS}/spreadsheetml/2006/main" xmlns:r="${NS}/officeDocument/2006/relationships"><sheets><sheet name="${xmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    { name: "xl/workbook.xml" },
  );
  const sheet = new PassThrough();
  zip.append(sheet, { name: "xl/worksheets/sheet1.xml" });
  const put = async (chunk: string) => {
    if (!sheet.write(chunk)) await Promise.race([once(sheet, "drain"), failed]);
  };
  const widths = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join("");
  await put(
    `${XML}<worksheet xmlns="${NS}/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>${widths}</cols><sheetData>${rowXml(
      columns.map((c) => c.header),
      1,
      1,
    )}`,
  );
  let rowNumber = 1;
  await rows(async (batch) => {
    await put(batch.map((values) => rowXml(values, ++rowNumber)).join(""));
  });
  sheet.end("</sheetData></worksheet>");
  await Promise.race([zip.finalize(), failed]);
  await finished(out);
}
