// POST /webhooks/telegram. Authenticated, recorded and answered without waiting on anything
// else: the secret token is compared in constant time (401 otherwise), a body that is not JSON
// gets 400, an update of a shape the bot cannot read gets 200 and a log line (a 4xx/5xx would
// only make Telegram redeliver it for a day). A readable update is recorded in the inbox
// (a redelivery is a no-op) and answered 200 at once; the inbox workers process it. If the
// inbox cannot record it (database down) the answer is 503 so Telegram keeps it.
import { Router } from "express";
import type { Bot } from "grammy";
import type { Logger } from "../../logger.js";
import type { Pipeline } from "../../pipeline/pipeline.js";
import { sameSecret } from "../../server/client-address.js";
import { checkUpdate, telegramActorKey } from "./update-shape.js";

export function telegramWebhookRouter(pipeline: Pipeline, secretToken: string, logger: Logger): Router {
  const router = Router();
  router.post("/webhooks/telegram", async (req, res) => {
    if (!sameSecret(req.header("X-Telegram-Bot-Api-Secret-Token"), secretToken)) {
      return void res.status(401).json({ error: "wrong secret token" });
    }
    if (!req.is("application/json") || typeof req.body !== "object" || req.body === null) {
      return void res.status(400).json({ error: "expected a JSON update" });
    }
    const checked = checkUpdate(req.body);
    if (!checked.ok) {
      logger.warn({ reasons: checked.reasons }, "Telegram update of an unexpected shape dropped");
      return void res.json({ ok: true });
    }
    const update = checked.update;
    try {
      const id = await pipeline.receive("TELEGRAM", String(update.update_id), telegramActorKey(update), update);
      if (!id) logger.info({ updateId: update.update_id }, "duplicate Telegram update ignored");
      res.json({ ok: true });
    } catch (error) {
      logger.error({ err: error, updateId: update.update_id }, "Telegram update could not be recorded");
      res.status(503).set("Retry-After", "5").json({ error: "cannot record the update now" });
    }
  });
  return router;
}

/**
 * getMe at start-up without holding the server: one bounded first try, then retries in the
 * background with back-off until it succeeds or the server stops. `inited` resolves then:
 * the inbox worker holds Telegram updates until it has.
 */
export function initBotInBackground(
  bot: Bot,
  logger: Logger,
  firstTryMs = 3_000,
): { ready: Promise<void>; inited: Promise<void>; stop(): void } {
  const abort = new AbortController();
  const loop = (async () => {
    for (let attempt = 0; !abort.signal.aborted; attempt++) {
      try {
        await bot.api.getMe(abort.signal as Parameters<typeof bot.api.getMe>[0]).then((me) => {
          bot.botInfo = me;
        });
        logger.info({ username: bot.botInfo.username }, "Telegram bot ready");
        return;
      } catch (error) {
        if (abort.signal.aborted) return;
        logger.warn({ err: error, attempt }, "Telegram getMe failed; retrying");
        await new Promise((r) => setTimeout(r, Math.min(60_000, 1_000 * 2 ** attempt)).unref());
      }
    }
  })();
  const first = new Promise<void>((resolve) => setTimeout(resolve, firstTryMs).unref());
  return { ready: Promise.race([loop, first]), inited: loop, stop: () => abort.abort() };
}
