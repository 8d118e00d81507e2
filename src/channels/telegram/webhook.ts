// POST /webhooks/telegram through grammY's express adapter, which checks the secret-token
// header in constant time and answers 401 without processing when it is wrong.
import { Router } from "express";
import { webhookCallback, type Bot } from "grammy";

export function telegramWebhookRouter(bot: Bot, secretToken: string): Router {
  const router = Router();
  router.post(
    "/webhooks/telegram",
    webhookCallback(bot, "express", {
      secretToken,
      // Telegram waits up to 60 s; past 25 s answer 200 and let the handler finish, so a slow
      // database does not turn into a redelivery storm (the update id is already recorded).
      timeoutMilliseconds: 25_000,
      onTimeout: "return",
    }),
  );
  return router;
}
