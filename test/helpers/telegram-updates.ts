// Telegram updates as the Bot API sends them to a webhook: private text messages (commands
// carry their bot_command entity), button presses and shared contacts. Ids keep increasing.
let updateId = 1_000_000;

export const tgUser = (id: number) => ({ id, is_bot: false, first_name: "Người", last_name: `Dùng ${id}` });
export const tgChat = (id: number) => ({ id, type: "private", first_name: "Người" });

/** A text message from `id`, in their private chat unless another chat (a group) is given. */
export function textUpdate(id: number, text: unknown, chat: object = tgChat(id)) {
  const command =
    typeof text === "string" && text.startsWith("/")
      ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] }
      : {};
  return {
    update_id: updateId++,
    message: { message_id: updateId, date: 1_795_000_000, chat, from: tgUser(id), text, ...command },
  };
}

export function callbackUpdate(id: number, data: unknown) {
  return {
    update_id: updateId++,
    callback_query: {
      id: `q${updateId}`,
      from: tgUser(id),
      chat_instance: "x",
      data,
      message: { message_id: 1, date: 1_795_000_000, chat: tgChat(id), text: "…" },
    },
  };
}

export function contactUpdate(id: number, phone: string, ownerId = id) {
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: 1_795_000_000,
      chat: tgChat(id),
      from: tgUser(id),
      contact: { phone_number: phone, first_name: "Người", user_id: ownerId },
    },
  };
}

/** The updates of a person going from /start to the unit step. */
export const upToUnit = (id: number, name: string, birth: string, phone: string) => [
  textUpdate(id, "/start"),
  callbackUpdate(id, "c:y"),
  textUpdate(id, name),
  textUpdate(id, birth),
  contactUpdate(id, phone),
];
