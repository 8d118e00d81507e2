// POST /webhooks/telegram. Authenticated and answered without waiting on Telegram: the secret
// token is compared in constant time (401 otherwise), a body that is not JSON gets 400, an
// update of a shape the bot cannot read gets 200 and a log line (a 4xx/5xx would only make
// Telegram redeliver it for a day). Until the bot knows who it is (getMe, retried in the
// background at start-up) updates get 503 so Telegram keeps them. A handler still running
// after 25 s is answered 200 and left to finish; its failure is logged, never left unhandled.
import { type Request, Router } from "express";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../logger.js";
import { sameSecret } from "../../server/client-address.js";
import { TIMED_OUT, within } from "../../server/deadline.js";
import { checkUpdate } from "./update-shape.js";

const HANDLER_TIMEOUT_MS = 25_000;

const secretMatches = (req: Request, secret: string) => sameSecret(req.header("X-Telegram-Bot-Api-Secret-Token"), secret);

export function telegramWebhookRouter(bot: Bot, secretToken: string, logger: Logger, options: { handlerTimeoutMs?: number } = {}): Router {
  const timeoutMs = options.handlerTimeoutMs ?? HANDLER_TIMEOUT_MS;
  const router = Router();
  router.post("/webhooks/telegram", async (req, res) => {
    if (!secretMatches(req, secretToken)) return void res.status(401).json({ error: "wrong secret token" });
    if (!req.is("application/json") || typeof req.body !== "object" || req.body === null) {
      return void res.status(400).json({ error: "expected a JSON update" });
    }
    const checked = checkUpdate(req.body);
    if (!checked.ok) {
      logger.warn({ reasons: checked.reasons }, "Telegram update of an unexpected shape dropped");
      return void res.json({ ok: true });
    }
    if (!bot.isInited()) return void res.status(503).set("Retry-After", "5").json({ error: "bot is starting" });
    const updateId = checked.update.update_id;
    const task = bot.handleUpdate(checked.update as unknown as Update).then(
      () => true,
      (error: unknown) => {
        logger.error({ err: error, updateId }, "Telegram update failed");
        return false;
      },
    );
    const outcome = await within(task, timeoutMs);
    if (outcome === TIMED_OUT) logger.warn({ updateId, timeoutMs }, "Telegram update still running; answered 200");
    // A failure is answered 500 so Telegram redelivers (the dedupe key was released).
    res.status(outcome === false ? 500 : 200).json({ ok: outcome !== false });
  });
  return router;
}

/**
 * getMe at start-up without holding the server: one bounded first try, then retries in the
 * background with back-off until it succeeds or the server stops.
 */
export function initBotInBackground(bot: Bot, logger: Logger, firstTryMs = 3_000): { ready: Promise<void>; stop(): void } {
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
  return { ready: Promise.race([loop, first]), stop: () => abort.abort() };
}
