// POST /webhooks/zalo: the signature is checked on the raw bytes before anything else: only a
// missing or wrong signature gets 401. A correctly signed event is always answered 200 (Zalo
// retries anything else, with the original timestamp, and may disable the webhook); a stale
// one is dropped with a log line. Zalo wants the answer within 2 s: the event is recorded in
// the inbox and answered; the inbox workers process it.
import { Router } from "express";
import type { Logger } from "../../logger.js";
import type { ZaloChannel } from "./channel.js";
import { verifySignature } from "./protocol.js";

export function zaloWebhookRouter(
  channel: ZaloChannel,
  config: { appId: string; oaSecretKey: string },
  logger: Logger,
  clock: () => number = Date.now,
): Router {
  const router = Router();
  router.post("/webhooks/zalo", async (req, res) => {
    const verified = verifySignature(
      req.header("X-ZEvent-Signature"),
      req.rawBody ?? Buffer.alloc(0),
      config.oaSecretKey,
      config.appId,
      clock(),
    );
    if (!verified.ok) {
      logger.warn({ reason: verified.reason }, "Zalo webhook rejected");
      res.status(401).json({ error: "invalid signature" });
      return;
    }
    if (verified.stale) {
      logger.warn({ event: verified.body.event_name, timestamp: verified.body.timestamp }, "stale Zalo event acknowledged and dropped");
      return void res.json({ ok: true });
    }
    // Recorded before the answer: what Zalo sees acknowledged is never lost.
    await channel.receive(verified.body);
    res.json({ ok: true });
  });
  return router;
}
