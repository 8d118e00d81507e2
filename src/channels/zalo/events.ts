// Zalo OA webhook event → the engine's neutral event (or nothing, for events we ignore).
import type { InboundEvent } from "../../engine/types.js";
import { textEvent } from "../commands.js";
import { ZALO, type ZaloEvent } from "./protocol.js";

export interface ZaloInbound {
  userId: string;
  /** Dedupe key: the message id, or event + time + user for events without one. */
  eventKey: string;
  event?: InboundEvent;
  unfollow?: boolean;
}

export function parseZaloEvent(body: ZaloEvent, pendingButtons?: string[]): ZaloInbound | undefined {
  const name = body.event_name;
  // Echoes of what the OA itself sent (also a human admin's replies): never act on them.
  if (name.startsWith("oa_send_")) return undefined;
  const userId = name === "follow" || name === "unfollow" ? body.follower?.id : body.sender?.id;
  if (!userId) return undefined;
  const eventKey = body.message?.msg_id ?? `${name}:${body.timestamp}:${userId}`;
  switch (name) {
    case "follow":
      return { userId, eventKey, event: { type: "start" } };
    case "unfollow":
      return { userId, eventKey, unfollow: true };
    case "user_send_text": {
      const text = (body.message?.text ?? "").trim();
      if (text.startsWith(ZALO.buttonPrefix))
        return { userId, eventKey, event: { type: "button", data: text.slice(ZALO.buttonPrefix.length) } };
      // Choices sent as a numbered list (buttons refused): "2" picks the second.
      const n = /^\d{1,2}$/.test(text) ? Number(text) : 0;
      if (pendingButtons && n >= 1 && n <= pendingButtons.length)
        return { userId, eventKey, event: { type: "button", data: pendingButtons[n - 1]! } };
      return { userId, eventKey, event: textEvent(text) };
    }
    case "user_submit_info":
      return body.info?.phone ? { userId, eventKey, event: { type: "contact", phone: body.info.phone, own: true } } : undefined;
    default:
      if (name.startsWith("user_send_")) return { userId, eventKey, event: { type: "unsupported" } };
      return undefined;
  }
}
