// The parts of a Telegram update this bot reads, checked before grammY sees it. Telegram's own
// updates always pass; a forged or mangled one (text as an object, ids as strings…) is
// dropped with a log line instead of throwing deep inside a handler and coming back as a
// redelivery storm. Unknown fields and update kinds pass through untouched.
import { z } from "zod";

const user = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
});
const chat = z.looseObject({ id: z.number().int(), type: z.string() });
const entity = z.looseObject({ type: z.string(), offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() });

const message = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int().optional(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  entities: z.array(entity).optional(),
  caption: z.string().optional(),
  contact: z.looseObject({ phone_number: z.string(), first_name: z.string().optional(), user_id: z.number().int().optional() }).optional(),
});

const callbackQuery = z.looseObject({
  id: z.string(),
  from: user,
  data: z.string().optional(),
  message: z.looseObject({ message_id: z.number().int(), chat }).optional(),
});

const chatMember = z.looseObject({ chat, from: user, new_chat_member: z.looseObject({ status: z.string() }) });

export const updateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: callbackQuery.optional(),
  my_chat_member: chatMember.optional(),
});

export type CheckedUpdate = z.infer<typeof updateSchema>;

/** The update if its shape is one the bot can handle, else the reasons (for the log). */
export function checkUpdate(body: unknown): { ok: true; update: CheckedUpdate } | { ok: false; reasons: string[] } {
  const parsed = updateSchema.safeParse(body);
  if (parsed.success) return { ok: true, update: parsed.data };
  return { ok: false, reasons: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) };
}

interface UpdateParts {
  message?: { from?: { id: number }; chat: { id: number } };
  edited_message?: { from?: { id: number }; chat: { id: number } };
  callback_query?: { from: { id: number } };
  my_chat_member?: { from: { id: number } };
}

/**
 * Whose turn the update is, for ordering in the inbox: the person in a private chat (the
 * engine's unit), the chat for group messages, so one group's messages stay in order too.
 */
export function telegramActorKey(update: UpdateParts): string {
  const message = update.message ?? update.edited_message;
  if (message) return message.chat.id < 0 ? `tg:chat:${message.chat.id}` : `tg:${message.from?.id ?? message.chat.id}`;
  const from = update.callback_query?.from ?? update.my_chat_member?.from;
  return from ? `tg:${from.id}` : "tg:other";
}
