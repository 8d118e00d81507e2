// A unit's written entries as one PDF for the jury meeting the plans describe: one entry after
// another from a new page (code, title, authors, unit, submission time, the text flowing over
// as many pages as it needs, the list of attachments).
import { once } from "node:events";
import type { Writable } from "node:stream";
import { DateTime } from "luxon";
import { M } from "../messages/index.js";
import { newPdf } from "./fonts.js";

export interface EntryPrint {
  code: string;
  title: string;
  authors: string[];
  unit: string;
  submittedAt: Date | null;
  body: string;
  /** Essay questions with their answers (mixed contests). */
  essays: { question: string; answer: string }[];
  files: string[];
}

export async function writeEntriesPdf(out: Writable, contest: { title: string; timezone: string }, entries: EntryPrint[]): Promise<void> {
  const doc = await newPdf({ size: "A4", margin: 56, autoFirstPage: false, info: { Title: contest.title } });
  doc.pipe(out);
  const finished = once(out, "finish");
  for (const e of entries) {
    doc.addPage();
    doc.font("regular").fontSize(9).fillColor("#555555").text(contest.title);
    doc.moveDown(0.5).font("bold").fontSize(16).fillColor("#111111").text(`${e.code} – ${e.title}`);
    const at = e.submittedAt ? DateTime.fromJSDate(e.submittedAt, { zone: contest.timezone }).toFormat("dd/MM/yyyy HH:mm") : "";
    doc
      .moveDown(0.3)
      .font("italic")
      .fontSize(11)
      .text(M.entryPrintMeta(e.authors.join("; "), e.unit, at));
    if (e.body || e.essays.length === 0)
      doc
        .moveDown(0.8)
        .font("regular")
        .fontSize(12)
        .text(e.body || "—", { align: "justify" });
    for (const [i, essay] of e.essays.entries()) {
      doc
        .moveDown(0.8)
        .font("bold")
        .fontSize(12)
        .text(M.entryPrintEssay(i + 1, essay.question));
      doc
        .moveDown(0.3)
        .font("regular")
        .fontSize(12)
        .text(essay.answer || "—", { align: "justify" });
    }
    if (e.files.length) doc.moveDown(0.8).font("bold").fontSize(11).text(M.entryPrintFiles(e.files));
  }
  if (entries.length === 0) doc.addPage().font("regular").fontSize(12).text(M.entryPrintNone);
  doc.end();
  await finished;
}
