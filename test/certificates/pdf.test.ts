// Certificates drawn as PDF and read back as a person would: rendered to PNG (page size, ink
// where the text is, the QR code decoded to the verification link), and the text extracted
// with every Vietnamese diacritic intact.
import { PassThrough } from "node:stream";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import type { CertificatePaper } from "../../src/certificates/paper.js";
import { certificatePdf, type PaperStyle, writeCertificatesPdf } from "../../src/certificates/pdf.js";
import { pdfPagePng, pdfPages, pdfText } from "../helpers/poppler.js";

const style: PaperStyle = {
  settings: {
    title: "Giấy khen",
    individual: true,
    units: true,
    place: "Sóc Sơn",
    signer: { title: "Trưởng Ban Tổ chức", name: "Lê Thị Ngọc Ánh" },
  },
  contestTitle: "Tìm hiểu Cải cách hành chính huyện Sóc Sơn năm 2024",
  organizer: "Ban Tổ chức cuộc thi – UBND huyện Sóc Sơn",
  timezone: "Asia/Ho_Chi_Minh",
  verifyUrl: (code) => `https://thi.example.vn/chungnhan/${code}`,
};

const paper = (over: Partial<CertificatePaper> = {}): CertificatePaper => ({
  serial: "V01-G0001",
  code: "0123456789abcdef0123",
  kind: "PRIZE",
  holderName: "Nguyễn Thị Hồng Nhung",
  unitName: "Tổ dân phố Đông Hưng 3",
  prize: "Giải Nhất",
  detail: "Đúng 10/10 câu, xếp thứ 1 trong 812 người dự thi",
  roundNumber: 1,
  // 23:30 on 31/8 in Hà Nội: the date line follows the contest's time zone.
  issuedAt: new Date("2024-08-31T16:30:00Z"),
  ...over,
});

/** Fraction of dark pixels in a rectangle of the page (0–1 fractions of its width and height). */
function ink(png: { width: number; height: number; data: Buffer }, x0: number, y0: number, x1: number, y1: number): number {
  let dark = 0;
  let all = 0;
  for (let y = Math.floor(y0 * png.height); y < y1 * png.height; y++) {
    for (let x = Math.floor(x0 * png.width); x < x1 * png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i]! + png.data[i + 1]! + png.data[i + 2]! < 384) dark++;
      all++;
    }
  }
  return dark / all;
}

describe("certificate PDF", () => {
  it("renders an A4 landscape page whose text reads back with its diacritics and whose QR code opens the verification page", async () => {
    const pdf = await certificatePdf(paper(), style);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(await pdfPages(pdf)).toBe(1);

    const text = (await pdfText(pdf)).normalize("NFC");
    for (const expected of [
      "GIẤY KHEN",
      "Nguyễn Thị Hồng Nhung",
      "Đơn vị: Tổ dân phố Đông Hưng 3",
      "Đã đạt Giải Nhất – Vòng 1",
      "Tìm hiểu Cải cách hành chính huyện Sóc Sơn năm 2024",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập – Tự do – Hạnh phúc",
      "Sóc Sơn, ngày 31 tháng 8 năm 2024",
      "TRƯỞNG BAN TỔ CHỨC",
      "Lê Thị Ngọc Ánh",
      "Số: V01-G0001",
    ]) {
      expect(text).toContain(expected);
    }

    // 72 dpi: one pixel per point, so the page is A4 landscape (841.9 × 595.3 pt, rounded up).
    const { png, bytes } = await pdfPagePng(pdf, 1, 72);
    expect([png.width, png.height]).toEqual([842, 596]);
    expect(bytes).toBeGreaterThan(10_000);
    // Ink where the title and the name are, none in the blank band between the body and the signature.
    expect(ink(png, 0.3, 0.19, 0.7, 0.27)).toBeGreaterThan(0.08);
    expect(ink(png, 0.3, 0.34, 0.7, 0.4)).toBeGreaterThan(0.05);
    expect(ink(png, 0.1, 0.6, 0.9, 0.66)).toBe(0);

    const sharp = (await pdfPagePng(pdf, 1, 200)).png;
    // jsqr is a CommonJS bundle: its function is also its `default`, the one the types know.
    const qr = jsQR.default(new Uint8ClampedArray(sharp.data), sharp.width, sharp.height);
    expect(qr?.data).toBe("https://thi.example.vn/chungnhan/0123456789abcdef0123");
  });

  it("prints a collective certificate without a unit line, and a prize name without «Giải» gets it", async () => {
    const pdf = await certificatePdf(
      paper({ kind: "UNIT_PRIZE", holderName: "Phòng Nội vụ", unitName: null, prize: "Nhất", roundNumber: null, detail: "" }),
      style,
    );
    const text = (await pdfText(pdf)).normalize("NFC");
    expect(text).toContain("Trao tặng tập thể");
    expect(text).toContain("Đã đạt giải Nhất toàn cuộc thi");
    expect(text).not.toContain("Đơn vị:");
  });

  it("writes many certificates as one PDF, a page each, and an empty selection as a one-page notice", async () => {
    const collect = async (papers: CertificatePaper[][]) => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on("data", (c: Buffer) => chunks.push(c));
      await writeCertificatesPdf(out, style, async (each) => {
        for (const batch of papers) await each(batch);
      });
      return Buffer.concat(chunks);
    };
    const many = await collect([
      [paper({ serial: "V01-G0001" }), paper({ serial: "V01-G0002", holderName: "Trần Văn Bình" })],
      [paper({ serial: "V01-G0003", holderName: "Phạm Thị Lụa" })],
    ]);
    expect(await pdfPages(many)).toBe(3);
    const text = (await pdfText(many)).normalize("NFC");
    expect(["V01-G0001", "V01-G0002", "V01-G0003", "Trần Văn Bình", "Phạm Thị Lụa"].every((s) => text.includes(s))).toBe(true);
    expect(await pdfPages(await collect([]))).toBe(1);
  });
});
