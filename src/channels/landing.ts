// GET /u/<code>: a small public page per unit that unit admins share. Zalo OA links carry no
// start parameter, so it tells people to send the unit's code to the OA, and offers the
// Telegram deep link as well.
import { Router } from "express";
import type { ContestContext } from "../contest/context.js";
import { PAGES } from "../messages/pages.js";
import { escapeHtml } from "../text/html.js";

export function landingRouter(contest: ContestContext, links: { telegramBot?: string; zaloOaId?: string }): Router {
  const router = Router();
  router.get("/u/:code", (req, res) => {
    const unit = contest.units.find((u) => u.code === req.params.code.toUpperCase());
    if (!unit) {
      res
        .status(404)
        .type("html")
        .send(`<!doctype html><meta charset="utf-8"><p>${PAGES.unitNotFound(escapeHtml(req.params.code))}</p>`);
      return;
    }
    const code = escapeHtml(unit.code);
    const zalo = links.zaloOaId
      ? `<li>${PAGES.unitZalo(`<a href="https://zalo.me/${escapeHtml(links.zaloOaId)}">${PAGES.unitZaloLinkText}</a>`, code)}</li>`
      : "";
    const telegram = links.telegramBot
      ? `<li>${PAGES.unitTelegram(`<a href="https://t.me/${escapeHtml(links.telegramBot)}?start=${code}">${PAGES.unitTelegramLinkText}</a>`)}</li>`
      : "";
    res.type("html").send(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(contest.title)}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}code{font-size:1.3em;background:#eef;padding:0 .3em}</style></head>
<body><h1>${escapeHtml(contest.title)}</h1><p>${escapeHtml(contest.organizer)}</p>
<p>${PAGES.unitYours} <b>${escapeHtml(unit.name)}</b> – ${PAGES.unitCode} <code>${code}</code></p>
<ol>${zalo}${telegram}</ol>
<p>${PAGES.unitCredited}</p></body></html>`);
  });
  return router;
}
