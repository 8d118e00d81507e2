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
  if (message.text !== undefined) return textEvent(message.text);
  if (message.document) {
    const d = message.document;
    return {
      type: "file",
      fileId: d.file_id,
      name: d.file_name ?? "tep",
      mime: d.mime_type ?? "application/octet-stream",
      size: d.file_size,
    };
  }
  // A photo comes in several sizes: the largest is the one worth keeping.
  const photo = message.photo?.at(-1);
  if (photo)
    return { type: "file", fileId: photo.file_id, name: `anh-${photo.file_unique_id}.jpg`, mime: "image/jpeg", size: photo.file_size };
  return { type: "unsupported" };
}
