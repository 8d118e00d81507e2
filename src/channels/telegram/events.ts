// Telegram update → the engine's neutral event.
import type { Context } from "grammy";
import type { InboundEvent } from "../../engine/types.js";
import { textEvent } from "../commands.js";

export function toInboundEvent(ctx: Context): InboundEvent | undefined {
  if (ctx.callbackQuery?.data !== undefined) return { type: "button", data: ctx.callbackQuery.data };
  const message = ctx.message;
  if (!message?.from) return undefined;
  if (message.contact) {
    return { type: "contact", phone: message.contact.phone_number, own: message.contact.user_id === message.from.id };
  }
  return message.text !== undefined ? textEvent(message.text) : { type: "unsupported" };
}
