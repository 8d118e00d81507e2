// The public verification of certificates: GET /chungnhan/<code> (the QR code on the paper
// points here) says whether the certificate is genuine and what it was for, with its PDF at
// /chungnhan/<code>/pdf. Codes are 80 random bits: a page per code cannot be guessed.
import { Router } from "express";
import { DateTime } from "luxon";
import type { ContestContext } from "../contest/context.js";
import { M } from "../messages/index.js";
import { escapeHtml } from "../text/html.js";
import type { CertificateService } from "./certificates.js";
import { achievement } from "./paper.js";

export function certificateRouter(contest: ContestContext, certificates: CertificateService, verifyBase: () => string): Router {
  const router = Router();
  router.get("/chungnhan/:code", async (req, res) => {
    const paper = await certificates.reader.byCode(req.params.code.toLowerCase());
    const rows = paper
      ? [
          [M.verifyHolder, paper.holderName + (paper.unitName && paper.kind !== "UNIT_PRIZE" ? ` – ${paper.unitName}` : "")],
          [M.verifyPrize, `${achievement(paper)}. ${paper.detail}`],
          [M.verifyContest, `${contest.title} (${contest.organizer})`],
          [M.verifySerial, paper.serial],
          [M.verifyIssued, DateTime.fromJSDate(paper.issuedAt, { zone: contest.timezone }).toFormat("dd/MM/yyyy")],
        ]
      : [];
    const table = rows.map(([k, v]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(v!)}</td></tr>`).join("");
    res
      .status(paper ? 200 : 404)
      .type("html")
      .send(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${M.verifyTitle}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}th{text-align:left;padding-right:1rem;vertical-align:top}
.ok{color:#11602b}.bad{color:#a61b1b}</style></head>
<body><h1>${M.verifyTitle}</h1>
<p class="${paper ? "ok" : "bad"}">${paper ? M.verifyGenuine : M.verifyUnknown}</p>
${paper ? `<table>${table}</table><p><a href="/chungnhan/${escapeHtml(req.params.code.toLowerCase())}/pdf">${M.verifyDownload}</a></p>` : ""}
</body></html>`);
  });
  router.get("/chungnhan/:code/pdf", async (req, res) => {
    const file = await certificates.pdf(req.params.code.toLowerCase(), verifyBase());
    if (!file) {
      res.status(404).type("text/plain; charset=utf-8").send(M.verifyUnknown);
      return;
    }
    res.type("application/pdf").attachment(file.filename).send(file.bytes);
  });
  return router;
}
