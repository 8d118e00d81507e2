// GET /u/<code>: a small public page per unit that unit admins share. Zalo OA links carry no
// start parameter, so it tells people to send the unit's code to the OA, and offers the
// Telegram deep link as well.
import { Router } from "express";
import type { ContestContext } from "../contest/context.js";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function landingRouter(contest: ContestContext, links: { telegramBot?: string; zaloOaId?: string }): Router {
  const router = Router();
  router.get("/u/:code", (req, res) => {
    const unit = contest.units.find((u) => u.code === req.params.code.toUpperCase());
    if (!unit) {
      res
        .status(404)
        .type("html")
        .send(`<!doctype html><meta charset="utf-8"><p>Không tìm thấy đơn vị «${escapeHtml(req.params.code)}».</p>`);
      return;
    }
    const code = escapeHtml(unit.code);
    const zalo = links.zaloOaId
      ? `<li><b>Zalo:</b> mở <a href="https://zalo.me/${escapeHtml(links.zaloOaId)}">Official Account của cuộc thi</a>, bấm Quan tâm rồi gửi tin nhắn <code>#${code}</code>.</li>`
      : "";
    const telegram = links.telegramBot
      ? `<li><b>Telegram:</b> <a href="https://t.me/${escapeHtml(links.telegramBot)}?start=${code}">mở bot và bấm Bắt đầu</a>.</li>`
      : "";
    res.type("html").send(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(contest.title)}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}code{font-size:1.3em;background:#eef;padding:0 .3em}</style></head>
<body><h1>${escapeHtml(contest.title)}</h1><p>${escapeHtml(contest.organizer)}</p>
<p>Đơn vị của bạn: <b>${escapeHtml(unit.name)}</b> – mã <code>${code}</code></p>
<ol>${zalo}${telegram}</ol>
<p>Khi đăng ký, bạn được tính cho đơn vị này.</p></body></html>`);
  });
  return router;
}
