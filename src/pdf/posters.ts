// A4 posters for notice boards, one page per unit: the contest, the unit's name and code, a QR
// code per way in (Telegram's deep link; the landing page, which serves Zalo too) and three
// lines of instructions. Many units go into one PDF (a ward prints all its groups' at once).
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { UnitLinks } from "../contest/unit-links.js";
import { CONSOLE } from "../messages/console.js";
import { newPdf } from "./fonts.js";
import { qrDrawer } from "./qr.js";

export interface PosterUnit {
  code: string;
  name: string;
  links: UnitLinks;
}

export async function writePosters(out: Writable, contest: { title: string; organizer: string }, units: PosterUnit[]): Promise<void> {
  const [doc, drawQr] = await Promise.all([
    newPdf({ size: "A4", margin: 0, autoFirstPage: false, info: { Title: CONSOLE.posterHeading } }),
    qrDrawer(),
  ]);
  doc.pipe(out);
  const finished = once(out, "finish");
  for (const unit of units) {
    doc.addPage();
    const { width: w } = doc.page;
    const center = (text: string, y: number, size: number, face: string, color = "#1a1a1a") =>
      doc
        .font(face)
        .fontSize(size)
        .fillColor(color)
        .text(text, 50, y, { width: w - 100, align: "center" });
    center(contest.organizer.toUpperCase(), 50, 12, "bold");
    center(CONSOLE.posterHeading, 95, 26, "bold", "#a61b1b");
    center(contest.title, doc.y + 8, 15, "regular");
    center(unit.name, doc.y + 24, 24, "bold", "#0d3c7a");
    center(CONSOLE.posterUnitCode(unit.code), doc.y + 6, 14, "regular");
    const codes = [
      unit.links.telegram && { label: "Telegram", url: unit.links.telegram },
      unit.links.landing && { label: "Zalo / Telegram", url: unit.links.landing },
    ].filter((c): c is { label: string; url: string } => Boolean(c));
    const size = 190;
    const top = 380;
    codes.forEach((c, i) => {
      const x = codes.length === 1 ? (w - size) / 2 : w / 2 + (i === 0 ? -size - 30 : 30);
      drawQr(doc, c.url, x, top, size);
      doc
        .font("bold")
        .fontSize(13)
        .fillColor("#1a1a1a")
        .text(c.label, x, top + size + 6, { width: size, align: "center" });
    });
    doc.font("regular").fontSize(13).fillColor("#1a1a1a");
    let y = top + size + 50;
    for (const step of [...CONSOLE.posterSteps, CONSOLE.posterZaloHint(unit.code)]) {
      doc.text(step, 70, y, { width: w - 140 });
      y = doc.y + 8;
    }
  }
  if (units.length === 0) doc.addPage().font("regular").fontSize(14).text(CONSOLE.noData, 60, 60);
  doc.end();
  await finished;
}
