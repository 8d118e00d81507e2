import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import { ZipArchive } from "archiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBankFile } from "../../src/contest/bank-file.js";

type Run = string | { text: string; bold?: boolean; underline?: boolean; highlight?: boolean; color?: string };

/** A minimal Word document: paragraphs of runs (marked as asked), and table rows of cells. */
async function docx(file: string, body: (Run[] | { row: string[] })[]): Promise<void> {
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const run = (r: Run) => {
    const x = typeof r === "string" ? { text: r } : r;
    const props = `${x.bold ? "<w:b/>" : ""}${x.underline ? '<w:u w:val="single"/>' : ""}${x.highlight ? '<w:highlight w:val="yellow"/>' : ""}${x.color ? `<w:color w:val="${x.color}"/>` : ""}`;
    return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ""}<w:t xml:space="preserve">${esc(x.text)}</w:t></w:r>`;
  };
  const xml = body
    .map((p) =>
      Array.isArray(p)
        ? `<w:p>${p.map(run).join("")}</w:p>`
        : `<w:tbl><w:tr>${p.row.map((c) => `<w:tc><w:p>${run(c)}</w:p></w:tc>`).join("")}</w:tr></w:tbl>`,
    )
    .join("");
  const zip = new ZipArchive();
  const out = createWriteStream(file);
  zip.pipe(out);
  zip.append(
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    { name: "[Content_Types].xml" },
  );
  zip.append(
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    { name: "_rels/.rels" },
  );
  zip.append(
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${xml}</w:body></w:document>`,
    { name: "word/document.xml" },
  );
  await zip.finalize();
  await finished(out);
}

describe("question banks as documents", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "cb-docbank-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a .txt bank with a starred option, an «Đáp án» line and an answer table, and reports a broken block", async () => {
    const file = path.join(dir, "cchc.txt");
    await writeFile(
      file,
      [
        "\uFEFFBỘ CÂU HỎI THI TÌM HIỂU CẢI CÁCH HÀNH CHÍNH",
        "Câu 1: Dịch vụ công trực tuyến toàn trình là gì?",
        "A. Chỉ tra cứu thông tin",
        "*B. Thực hiện và nhận kết quả hoàn toàn trên môi trường mạng",
        "C. Nộp hồ sơ giấy",
        "D. Gọi điện thoại",
        "Lời giải: Theo Nghị định 42/2022/NĐ-CP.",
        "Câu 2. Ứng dụng định danh điện tử quốc gia",
        "có tên là gì?",
        "A. Zalo    B. VNeID    C. Sổ sức khỏe    D. Bluezone",
        "Đáp án: B",
        "Giải thích: Ứng dụng của Bộ Công an.",
        "Câu 3: Một cửa liên thông giải quyết thủ tục ở đâu?",
        "A. Bộ phận Một cửa",
        "B. Nhà văn hóa",
        "Lời giải: Nghị định 61/2018.",
        "Câu 4: Câu hỏi không có đáp án đánh dấu nào cả?",
        "A. Có",
        "C. Không",
        "Lời giải: —",
        "Bảng đáp án",
        "1-B 2.B 3a",
      ].join("\r\n"),
    );
    const bank = await readBankFile(file, { prefix: "CCHC", topic: "Cải cách hành chính" });
    expect(bank.accepted.map((a) => [a.question.code, a.question.correct, a.question.options.length])).toEqual([
      ["CCHC-1", 1, 4],
      ["CCHC-2", 1, 4],
      ["CCHC-3", 0, 2],
    ]);
    expect(bank.accepted[1]!.question).toMatchObject({
      question: "Ứng dụng định danh điện tử quốc gia có tên là gì?",
      options: ["Zalo", "VNeID", "Sổ sức khỏe", "Bluezone"],
      explanation: "Ứng dụng của Bộ Công an.",
      topic: "Cải cách hành chính",
      source: "cchc.txt",
    });
    expect(bank.accepted[0]!.question.explanation).toBe("Theo Nghị định 42/2022/NĐ-CP.");
    expect(bank.rejected).toHaveLength(1);
    expect(bank.rejected[0]).toMatchObject({ row: 17, code: "CCHC-4" });
    expect(bank.rejected[0]!.reasons.join("; ")).toMatch(
      /câu 4: options must be A, B, C… in order \(found A, C\).*câu 4: no answer marked/,
    );
  });

  it("reads a .docx bank whose answers are in bold, underlined, highlighted, coloured, on an «Đáp án» line or in a table", async () => {
    const file = path.join(dir, "de-thi.docx");
    const q = (n: number, text: string) => [`Câu ${n}: ${text}`];
    await docx(file, [
      ["ĐỀ THI TRẮC NGHIỆM"],
      q(1, "Cổng Dịch vụ công quốc gia có địa chỉ nào?"),
      ["A. dichvucong.gov.vn"],
      ["B. ", { text: "dichvucong.gov.vn/p/home", bold: true }],
      ["Lời giải: Cổng của Văn phòng Chính phủ."],
      q(2, "Tài khoản định danh mức 2 cần gì?"),
      [{ text: "A.", underline: true }, " Ảnh chân dung và vân tay", "   B. Chỉ số điện thoại"],
      ["Lời giải: Nghị định 59/2022."],
      q(3, "Chữ ký số dùng để làm gì?"),
      ["A. Trang trí văn bản"],
      [{ text: "B. Xác thực người ký", highlight: true }],
      ["Lời giải: Luật Giao dịch điện tử."],
      // Every letter in bold is a layout, not an answer: the «Đáp án» line decides.
      q(4, "Thủ tục hành chính được công khai ở đâu?"),
      [{ text: "A.", bold: true }, " Cơ sở dữ liệu quốc gia về TTHC"],
      [{ text: "B.", bold: true }, " Bảng tin tổ dân phố"],
      ["Đáp án: A"],
      ["Lời giải: Nghị định 63/2010."],
      q(5, "Câu có hai đáp án được đánh dấu khác nhau?"),
      [{ text: "A. Một", bold: true }],
      [{ text: "B. Hai", underline: false }],
      ["Đáp án: B"],
      ["Lời giải: —"],
      q(6, "Đáp án nằm ở bảng cuối tài liệu?"),
      ["A. Không"],
      ["B. Có"],
      ["Lời giải: Xem bảng đáp án."],
      // Red marks the answer; dark grey body text does not.
      q(7, "Ai cấp tài khoản định danh điện tử?"),
      [{ text: "A. Bộ Công an", color: "C00000" }],
      [{ text: "B. Ủy ban nhân dân xã", color: "333333" }],
      ["Lời giải: Nghị định 69/2024."],
      ["Bảng đáp án"],
      { row: ["6", "B"] },
    ]);
    const bank = await readBankFile(file);
    expect(bank.accepted.map((a) => [a.question.code, a.question.correct])).toEqual([
      ["de-thi-1", 1],
      ["de-thi-2", 0],
      ["de-thi-3", 1],
      ["de-thi-4", 0],
      ["de-thi-6", 1],
      ["de-thi-7", 0],
    ]);
    expect(bank.accepted[1]!.question.options).toEqual(["Ảnh chân dung và vân tay", "Chỉ số điện thoại"]);
    expect(bank.rejected).toHaveLength(1);
    expect(bank.rejected[0]!.code).toBe("de-thi-5");
    expect(bank.rejected[0]!.reasons.join("; ")).toContain("câu 5: several answers marked (A, B)");
  });

  it("says what it expected of a document without questions, and of an unknown kind of file", async () => {
    const file = path.join(dir, "empty.txt");
    await writeFile(file, "Chỉ có tiêu đề\nvà không có câu hỏi nào");
    const bank = await readBankFile(file);
    expect(bank.rejected).toEqual([{ row: 1, reasons: ["no question found (blocks start with «Câu 1:»)"] }]);
    await expect(readBankFile(path.join(dir, "bank.pdf"))).rejects.toThrow(/\.csv, \.xlsx, \.docx, \.txt/);
  });
});
