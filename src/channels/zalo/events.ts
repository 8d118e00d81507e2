// Zalo OA webhook event → the engine's neutral event (or nothing, for events we ignore).
// Zalo people do not type slash commands: the words of COMMAND_WORDS (with or without
// diacritics) stand for them, and a numbered list's choice can be typed by its number or text.
import type { CommandName, InboundEvent } from "../../engine/types.js";
import { COMMAND_WORDS } from "../../messages/index.js";
import { fold } from "../../text/normalize.js";
import { textEvent } from "../commands.js";
import { ZALO, type ZaloEvent } from "./protocol.js";

export interface ZaloInbound {
  userId: string;
  /** Dedupe key: the message id, or event + time + user for events without one. */
  eventKey: string;
  event?: InboundEvent;
  unfollow?: boolean;
}

/** The choices of the numbered list last sent to a user (buttons shown as text). */
export interface PendingChoice {
  data: string;
  label: string;
}

/** Letters and digits only, folded: «✅ Tôi đồng ý» and «toi dong y» compare equal. */
const plain = (text: string) =>
  fold(text)
    .replace(/[^\p{L}\p{N} ]/gu, "")
    .replace(/\s+/g, " ")
    .trim();

const WORDS = new Map<string, CommandName>([
  ...Object.entries(COMMAND_WORDS).map(([name, word]) => [plain(word), name as CommandName] as const),
  ["bat dau thi", "thi"],
  ["start", "start"],
]);

function typedText(text: string, pending: PendingChoice[] | undefined): InboundEvent {
  // Choices sent as a numbered list: "2" or the choice's own words pick it.
  if (pending?.length) {
    const n = /^\d{1,2}$/.test(text) ? Number(text) : 0;
    if (n >= 1 && n <= pending.length) return { type: "button", data: pending[n - 1]!.data };
    const byLabel = pending.find((p) => plain(p.label) !== "" && plain(p.label) === plain(text));
    if (byLabel) return { type: "button", data: byLabel.data };
  }
  const command = WORDS.get(plain(text));
  if (command) return command === "start" ? { type: "start" } : { type: "command", name: command };
  return textEvent(text);
}

/** Whose event it is and its dedupe key (the message id, or event + time + user); undefined for events we ignore. */
export function zaloEventKey(body: ZaloEvent): { userId: string; eventKey: string } | undefined {
  const name = body.event_name;
  // Echoes of what the OA itself sent (also a human admin's replies): never act on them.
  if (name.startsWith("oa_send_")) return undefined;
  const userId = name === "follow" || name === "unfollow" ? body.follower?.id : body.sender?.id;
  if (typeof userId !== "string" || userId === "") return undefined;
  const msgId = body.message?.msg_id;
  return { userId, eventKey: typeof msgId === "string" && msgId ? msgId : `${name}:${body.timestamp}:${userId}` };
}

export function parseZaloEvent(body: ZaloEvent, pending?: PendingChoice[]): ZaloInbound | undefined {
  const name = body.event_name;
  const key = zaloEventKey(body);
  if (!key) return undefined;
  const { userId, eventKey } = key;
  switch (name) {
    case "follow":
      return { userId, eventKey, event: { type: "start" } };
    case "unfollow":
      return { userId, eventKey, unfollow: true };
    case "user_send_text": {
      const text = String(body.message?.text ?? "").trim();
      if (text.startsWith(ZALO.buttonPrefix))
        return { userId, eventKey, event: { type: "button", data: text.slice(ZALO.buttonPrefix.length) } };
      return { userId, eventKey, event: typedText(text, pending) };
    }
    case "user_submit_info":
      // The form came back without a phone: the person is asked again and may type it.
      return { userId, eventKey, event: { type: "contact", phone: String(body.info?.phone ?? ""), own: true } };
    case "user_send_file":
    case "user_send_image": {
      const file = attachedFile(body, name === "user_send_image");
      return { userId, eventKey, event: file ?? { type: "unsupported" } };
    }
    default:
      if (name.startsWith("user_send_")) return { userId, eventKey, event: { type: "unsupported" } };
      return undefined;
  }
}

/**
 * The file of a user_send_file / user_send_image event: `attachments[0].payload` with its `url`
 * (the reference kept; fetched after submission) and, for files, `name`, `size`, `type`.
 * UNCONFIRMED beyond `url`: the file fields come from the SDKs; missing ones get defaults.
 */
function attachedFile(body: ZaloEvent, image: boolean): InboundEvent | undefined {
  const payload = (body.message?.attachments?.[0] as { payload?: Record<string, unknown> } | undefined)?.payload;
  const url = typeof payload?.url === "string" ? payload.url : undefined;
  if (!url) return undefined;
  const name = typeof payload?.name === "string" && payload.name ? payload.name : image ? "anh.jpg" : "tep";
  const size = Number(payload?.size);
  const mime = image ? "image/jpeg" : typeof payload?.type === "string" ? payload.type : "application/octet-stream";
  return { type: "file", fileId: url, name, mime, size: Number.isFinite(size) && size > 0 ? size : undefined };
}
