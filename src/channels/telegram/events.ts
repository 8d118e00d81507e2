// Telegram update → the engine's neutral event. Pure, so it is tested without a bot.
import type { Context } from "grammy";
import type { CommandName, InboundEvent } from "../../engine/types.js";

const COMMANDS: CommandName[] = ["start", "thi", "ketqua", "hoso", "huongdan"];

/** Parses "/cmd@bot payload" (the bot name suffix is how commands look in groups). */
export function parseCommand(text: string): { name: string; payload?: string } | undefined {
  const m = /^\/([a-z_]+)(?:@\w+)?(?:\s+(.+))?$/is.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), payload: m[2]?.trim() } : undefined;
}

export function toInboundEvent(ctx: Context): InboundEvent | undefined {
  if (ctx.callbackQuery?.data !== undefined) return { type: "button", data: ctx.callbackQuery.data };
  const message = ctx.message;
  if (!message) return undefined;
  if (message.contact) {
    return { type: "contact", phone: message.contact.phone_number, own: message.contact.user_id === message.from.id };
  }
  if (message.text !== undefined) {
    const command = parseCommand(message.text);
    if (command?.name === "start") return { type: "start", payload: command.payload };
    if (command && (COMMANDS as string[]).includes(command.name)) return { type: "command", name: command.name as CommandName };
    return { type: "text", text: message.text };
  }
  return { type: "unsupported" };
}
