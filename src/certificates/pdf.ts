// Certificates drawn as PDF pages with pdfkit: an A4 landscape page per certificate in the
// layout of Vietnamese administrative certificates (issuer and national motto at the top, the
// title, the holder, the prize, the date line and the signature), with the serial and a QR
// code to the verification page, in the fonts of src/pdf/fonts.ts.

import { once } from "node:events";
import type { Writable } from "node:stream";
import { DateTime } from "luxon";
import type { CertificateSettings } from "../contest/certificate-settings.js";
import { M } from "../messages/index.js";
import { newPdf } from "../pdf/fonts.js";
import { type QrDrawer, qrDrawer } from "../pdf/qr.js";
import { achievement, type CertificatePaper } from "./paper.js";

/** What every page of a contest shares. */
export interface PaperStyle {
  settings: CertificateSettings;
  contestTitle: string;
  organizer: string;
  timezone: string;
  /** The verification page of a certificate code (printed as a QR code and in words). */
  verifyUrl: (code: string) => string;
}

const RED = "#a61b1b";
const INK = "#1a1a1a";
const PAGE = { size: "A4", layout: "landscape", margin: 0 } as const;

const newDocument = () => newPdf({ ...PAGE, autoFirstPage: false, info: { Title: "Giấy chứng nhận", Producer: "contest-bot" } });

/** One certificate as a PDF file (sent in chat, downloaded from the verification page). */
export async function certificatePdf(paper: CertificatePaper, style: PaperStyle): Promise<Buffer> {
  const [doc, drawQr] = await Promise.all([newDocument(), qrDrawer()]);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = once(doc, "end");
  drawPage(doc, drawQr, paper, style);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * Many certificates as one PDF written to `out` (organizers' download), page by page as the
 * batches come, waiting for a slow reader: memory stays bounded whatever the count.
 */
export async function writeCertificatesPdf(
  out: Writable,
  style: PaperStyle,
  batches: (each: (papers: CertificatePaper[]) => Promise<void>) => Promise<void>,
): Promise<void> {
  const [doc, drawQr] = await Promise.all([newDocument(), qrDrawer()]);
  doc.pipe(out);
  const finished = once(out, "finish");
  let pages = 0;
  await batches(async (papers) => {
    for (const paper of papers) {
      if (out.destroyed) throw new Error("the download was closed before the end");
      drawPage(doc, drawQr, paper, style);
      pages++;
      if (out.writableNeedDrain) await Promise.race([once(out, "drain"), once(out, "close")]);
    }
  });
  // An empty file is not a valid PDF: one page says there is nothing.
  if (pages === 0) doc.addPage().font("regular").fontSize(16).text(M.certificatesNone, 60, 60, { width: 700 });
  doc.end();
  await finished;
}

function drawPage(doc: PDFKit.PDFDocument, drawQr: QrDrawer, paper: CertificatePaper, style: PaperStyle): void {
  doc.addPage();
  const { width: w, height: h } = doc.page;
  const issuer = style.settings.issuer ?? style.organizer;
  doc
    .lineWidth(4)
    .strokeColor(RED)
    .rect(18, 18, w - 36, h - 36)
    .stroke();
  doc
    .lineWidth(1)
    .rect(27, 27, w - 54, h - 54)
    .stroke();

  // Header: the issuer on the left, the nation and motto on the right, as official papers do.
  const col = (w - 100) / 2;
  doc.fillColor(INK).font("bold").fontSize(11).text(issuer.toUpperCase(), 50, 48, { width: col, align: "center" });
  doc
    .font("bold")
    .fontSize(11)
    .text(M.certNation, 50 + col, 48, { width: col, align: "center" });
  doc
    .font("bold")
    .fontSize(11)
    .text(M.certMotto, 50 + col, 64, { width: col, align: "center", underline: true });

  const center = (text: string, y: number, size: number, face: "regular" | "bold" | "italic", color = INK) =>
    doc
      .font(face)
      .fontSize(size)
      .fillColor(color)
      .text(text, 60, y, { width: w - 120, align: "center" });
  center(style.settings.title.toUpperCase(), 118, 34, "bold", RED);
  const collective = paper.kind === "UNIT_PRIZE";
  center(collective ? M.certCollectiveTo : M.certAwardedTo, 176, 14, "italic");
  center(paper.holderName, 200, 26, "bold", "#0d3c7a");
  let y = doc.y + 6;
  if (paper.unitName && !collective) {
    center(`${M.certUnitLabel}: ${paper.unitName}`, y, 14, "regular");
    y = doc.y + 6;
  }
  center(achievement(paper), y, 17, "bold");
  center(M.certContestLine(style.contestTitle), doc.y + 4, 14, "regular");
  if (paper.detail) center(paper.detail, doc.y + 4, 11, "italic");

  // Signature block on the right.
  const issued = DateTime.fromJSDate(paper.issuedAt, { zone: style.timezone });
  const right = { x: w / 2 + 40, width: w / 2 - 90 };
  doc.font("italic").fontSize(12).fillColor(INK);
  doc.text(M.certDateLine(style.settings.place, issued.day, issued.month, issued.year), right.x, 400, { ...right, align: "center" });
  doc
    .font("bold")
    .fontSize(12)
    .text(M.certOnBehalf(issuer), right.x, doc.y + 4, { width: right.width, align: "center" });
  if (style.settings.signer) {
    doc.text(style.settings.signer.title.toUpperCase(), right.x, doc.y + 2, { width: right.width, align: "center" });
    if (style.settings.signer.name) doc.text(style.settings.signer.name, right.x, 525, { width: right.width, align: "center" });
  }

  // Verification on the left: the QR code, the serial and the link in words.
  const url = style.verifyUrl(paper.code);
  drawQr(doc, url, 56, 420, 96);
  doc.font("bold").fontSize(11).fillColor(INK).text(M.certSerial(paper.serial), 162, 424, { width: 250 });
  doc
    .font("regular")
    .fontSize(9)
    .text(M.certVerify, 162, doc.y + 4, { width: 250 });
  doc.text(url, 162, doc.y + 2, { width: 250 });
}
