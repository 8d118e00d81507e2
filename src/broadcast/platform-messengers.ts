// Broadcast messengers for the real platforms, translating their errors into the sender's.
import { type Api, GrammyError, InlineKeyboard } from "grammy";
import { isBlockedError } from "../channels/telegram/bot.js";
import { type ZaloClient, ZaloUnreachableError } from "../channels/zalo/client.js";
import { PERMANENT_UNREACHABLE_ERRORS, ZALO } from "../channels/zalo/protocol.js";
import type { Button } from "../engine/types.js";
import { type Messenger, RateLimitedError, RecipientUnreachableError } from "./messenger.js";

export function telegramMessenger(api: Api): Messenger {
  return {
    async send(chatId: string, text: string, buttons?: Button[][]) {
      try {
        await api.sendMessage(chatId, text, {
          reply_markup: buttons?.length
            ? InlineKeyboard.from(buttons.map((r) => r.map((b) => InlineKeyboard.text(b.label, b.data))))
            : undefined,
        });
      } catch (error) {
        if (isBlockedError(error)) throw new RecipientUnreachableError(error.description, true);
        if (error instanceof GrammyError && error.error_code === 429) {
          throw new RateLimitedError((error.parameters.retry_after ?? 1) * 1000);
        }
        throw error;
      }
    },
  };
}

export function zaloMessenger(client: ZaloClient): Messenger {
  return {
    async send(chatId: string, text: string, buttons?: Button[][]) {
      try {
        const flat = (buttons ?? []).flat().slice(0, ZALO.maxButtons);
        if (flat.length)
          await client.sendButtons(
            chatId,
            text,
            flat.map((b) => ({ title: b.label, payload: `${ZALO.buttonPrefix}${b.data}` })),
          );
        else await client.sendText(chatId, text);
      } catch (error) {
        if (error instanceof ZaloUnreachableError)
          throw new RecipientUnreachableError(error.message, PERMANENT_UNREACHABLE_ERRORS.has(error.code));
        throw error;
      }
    },
  };
}
