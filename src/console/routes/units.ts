// Units in the console: the tree with this round's participation; for a unit its links (the
// Telegram deep link, the landing page that serves Zalo), their QR codes, and A4 posters (the
// unit's, or its whole subtree's in one PDF). Unit admins reach their own subtree only.
import { type Request, type Response, Router } from "express";
import { unitSubtreeIds } from "../../contest/context.js";
import { unitLinks } from "../../contest/unit-links.js";
import { CONSOLE } from "../../messages/console.js";
import { writePosters } from "../../pdf/posters.js";
import { qrPng } from "../../pdf/qr.js";
import { unitParticipation } from "../dashboard.js";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { visibleUnitIds } from "../http.js";

export function unitRoutes(deps: ConsoleDeps): Router {
  const { contest } = deps.services;
  const router = Router();
  const linksOf = (code: string) => unitLinks(code, { telegramBot: deps.links.telegramBot, publicUrl: deps.links.publicUrl });

  /** The unit in the path if this person may see it; otherwise answers 404 or 403 and returns undefined. */
  const unitOf = (req: Request, res: Response) => {
    const unit = contest.units.find((u) => u.code === String(req.params.code).toUpperCase());
    if (!unit) return void deps.send(req, res, CONSOLE.notFound, html``, 404);
    if (!visibleUnitIds(req, contest).has(unit.id)) return void deps.send(req, res, CONSOLE.forbiddenUnit, html``, 403);
    return unit;
  };

  router.get("/admin/units", async (req, res) => {
    const visible = visibleUnitIds(req, contest);
    const round = await deps.services.attempts.openRound(new Date());
    const units = await unitParticipation(deps.prisma, deps.services, visible, round?.number);
    const depth = (code: string) => {
      let d = 0;
      for (let u = contest.units.find((x) => x.code === code); u?.parentId; u = contest.units.find((x) => x.id === u!.parentId)) d++;
      return d;
    };
    const rows = units.map(
      (
        u,
      ) => html`<tr><td style="padding-left:${depth(u.code) * 1.2 + 0.4}rem"><a href="/admin/units/${u.code}">${u.name}</a></td><td>${u.code}</td>
<td>${u.kind}</td><td>${u.registered}</td><td>${u.attempted}</td><td>${u.base ?? ""}</td><td>${u.rate ?? ""}</td></tr>`,
    );
    deps.send(
      req,
      res,
      CONSOLE.unitsTitle,
      html`<table><thead><tr><th>${CONSOLE.colUnit}</th><th>${CONSOLE.colCode}</th><th>${CONSOLE.colKind}</th><th>${CONSOLE.colRegistered}</th>
<th>${CONSOLE.colAttempted}</th><th>${CONSOLE.colBase}</th><th>${CONSOLE.colRate}</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  });

  router.get("/admin/units/:code", (req, res) => {
    const unit = unitOf(req, res);
    if (!unit) return;
    const links = linksOf(unit.code);
    const item = (label: string, url: string | undefined, kind: string) =>
      html`<div class="card link"><h2>${label}</h2>${
        url
          ? html`<p><a href="${url}">${url}</a></p><img src="/admin/units/${unit.code}/qr/${kind}" alt="QR ${label}" width="240" height="240">`
          : html`<p class="muted">${CONSOLE.notConfigured}</p>`
      }</div>`;
    deps.send(
      req,
      res,
      CONSOLE.unitTitle(unit.name),
      html`<div class="links">${item(CONSOLE.telegramLink, links.telegram, "telegram")}${item(CONSOLE.zaloLink, links.landing, "landing")}</div>
<p><a href="/admin/units/${unit.code}/poster.pdf">${CONSOLE.poster}</a> · <a href="/admin/units/${unit.code}/poster.pdf?subtree=1">${CONSOLE.postersOfSubtree}</a></p>
${contest.def.kind === "quiz" ? "" : html`<p>${CONSOLE.unitEntries}: <a href="/admin/units/${unit.code}/entries.pdf">PDF</a> · <a href="/admin/units/${unit.code}/entries.zip">${CONSOLE.unitEntriesZip}</a></p>`}`,
    );
  });

  router.get("/admin/units/:code/qr/:kind", async (req, res) => {
    const unit = unitOf(req, res);
    if (!unit) return;
    const links = linksOf(unit.code);
    const url = req.params.kind === "telegram" ? links.telegram : req.params.kind === "landing" ? links.landing : undefined;
    if (!url) return void deps.send(req, res, CONSOLE.notFound, html``, 404);
    res.type("png").send(await qrPng(url, 480));
  });

  router.get("/admin/units/:code/poster.pdf", async (req, res) => {
    const unit = unitOf(req, res);
    if (!unit) return;
    const ids = req.query.subtree === "1" ? unitSubtreeIds(contest.units, unit.id) : [unit.id];
    const units = ids
      .map((id) => contest.units.find((u) => u.id === id)!)
      .map((u) => ({ code: u.code, name: u.name, links: linksOf(u.code) }));
    res.type("application/pdf").attachment(`ap-phich-${unit.code}.pdf`);
    await writePosters(res, { title: contest.title, organizer: contest.organizer }, units);
  });
  return router;
}
