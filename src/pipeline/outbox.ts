// What the outbox holds and what a channel implements to deliver it. A row is the reply of one
// processed event: the engine's messages plus what the channel needs to render them (the
// button press to answer, whether the contact keyboard should go). Delivery is in steps (the
// press answered, each message); a channel reports each finished step, so a retry after a
// failure goes on from the first step not yet done.
import type { DocumentRef, Reply } from "../engine/types.js";

export interface ReplyContext {
  /** Telegram: the button press to answer with the reply's notice. */
  callbackQueryId?: string;
  /** The event was a shared contact: the contact keyboard can go. */
  afterContact?: boolean;
}

export type OutboxPayload = Reply & ReplyContext;

/**
 * The file a message refers to, drawn when it is sent (the outbox keeps the reference only),
 * with the page that serves it for a channel that cannot send the file; undefined when it no
 * longer exists.
 */
export type DocumentLoader = (ref: DocumentRef) => Promise<{ bytes: Buffer; filename: string; link: string } | undefined>;

export interface ReplyChannel {
  /**
   * Delivers the reply from step `from` on, calling `stepDone` after each step. Errors are the
   * sender's typed errors (broadcast/messenger.ts).
   */
  deliver(chatId: string, reply: OutboxPayload, from: number, stepDone: () => void): Promise<void>;
}
