// POST /webhooks/zalo: the signature is checked on the raw bytes before anything else (401
// and no processing when missing, wrong or too old). Zalo wants an answer within 2 s, so the
// event is acknowledged first and handled right after.
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
  router.post("/webhooks/zalo", (req, res) => {
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
    res.json({ ok: true });
    channel
      .process(verified.body)
      .catch((error: unknown) => logger.error({ err: error, event: verified.body.event_name }, "Zalo event failed"));
  });
  return router;
}
