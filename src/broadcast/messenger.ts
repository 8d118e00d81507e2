// What the broadcast sender needs from a platform: send one message to one chat, rendered
// as the conversation renders it, and say in a typed error why it could not. Each channel's
// adapter implements it.
import type { OutboundMessage } from "../engine/types.js";

export interface Messenger {
  send(chatId: string, message: OutboundMessage): Promise<void>;
}

/** The recipient blocked the bot, left the OA, or cannot be reached by this platform's rules. */
export class RecipientUnreachableError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** What an account records when its platform says the person cannot be reached. */
export function unreachableMark(error: RecipientUnreachableError, now: Date) {
  return { unreachableReason: error.message, ...(error.permanent ? { blockedAt: now } : {}) };
}

/** The platform asked us to slow down. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited for ${retryAfterMs} ms`);
  }
}

/** The platform refuses every message of this kind for now (e.g. Zalo billing): pause, tell the organizer. */
export class ChannelBlockedError extends Error {}
