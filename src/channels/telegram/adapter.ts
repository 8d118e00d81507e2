// Telegram rendering of the engine's OutboundMessage, used for conversation replies (from the
// outbox) and for broadcasts alike: inline keyboards, the contact button, the question edited in place,
// texts over 4,096 characters split (buttons on the last part). Telegram's refusals come out
// as the sender's typed errors (blocked → RecipientUnreachableError, 429 → RateLimitedError).
import { type Api, GrammyError, InlineKeyboard, InputFile } from "grammy";
import { type Messenger, RateLimitedError, RecipientUnreachableError } from "../../broadcast/messenger.js";
import type { OutboundMessage } from "../../engine/types.js";
import type { Logger } from "../../logger.js";
import { M } from "../../messages/index.js";
import type { DocumentLoader, OutboxPayload, ReplyChannel } from "../../pipeline/outbox.js";
import type { SessionStore } from "../../sessions/store.js";
import { splitText } from "../../text/split.js";

/** Telegram's limit on a message's text. */
export const TEXT_LIMIT = 4096;
/** Telegram's limit on a file's caption. */
const CAPTION_LIMIT = 1024;
// A question message is edited in place only within one attempt's lifetime.
const QUESTION_MESSAGE_TTL_SECONDS = 60 * 60 * 6;

export const isBlockedError = (error: unknown): error is GrammyError => error instanceof GrammyError && error.error_code === 403;
const isNotModified = (error: unknown) => error instanceof GrammyError && error.description.includes("message is not modified");

function keyboard(message: OutboundMessage): InlineKeyboard | undefined {
  if (!message.buttons?.length) return undefined;
  return InlineKeyboard.from(message.buttons.map((row) => row.map((b) => InlineKeyboard.text(b.label, b.data))));
}

/** Runs a Bot API call, translating refusals into the sender's errors. */
async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isBlockedError(error)) throw new RecipientUnreachableError(error.description, true);
    if (error instanceof GrammyError && error.error_code === 429) throw new RateLimitedError((error.parameters.retry_after ?? 1) * 1000);
    throw error;
  }
}

export class TelegramAdapter implements Messenger, ReplyChannel {
  constructor(
    private readonly api: Api,
    private readonly sessions: SessionStore,
    private readonly logger: Logger,
    private readonly documents?: DocumentLoader,
  ) {}

  /** One message as a broadcast or a reply: split to the limit, buttons on the last part. */
  async send(chatId: string, message: OutboundMessage): Promise<void> {
    await translated(() => this.sendPlain(chatId, message));
  }

  /**
   * A conversation reply from the outbox, in steps: the contact keyboard removed after a shared
   * number, then each message, the question edited in place. The button press is answered
   * alongside, on every try (a failure there is ignored: a press answered already, or older
   * than Telegram keeps it, cannot be answered again), so the spinner stops at once.
   */
  async deliver(chatId: string, reply: OutboxPayload, from: number, stepDone: () => void): Promise<void> {
    const { callbackQueryId } = reply;
    const answering = callbackQueryId
      ? this.api
          .answerCallbackQuery(callbackQueryId, reply.notice ? { text: reply.notice.slice(0, 200) } : undefined)
          .catch((error: unknown) => this.logger.debug({ err: (error as Error).message }, "answerCallbackQuery failed"))
      : undefined;
    const steps: (() => Promise<unknown>)[] = [];
    // Take the contact keyboard away once the number was accepted (not when asked again).
    if (reply.afterContact && !reply.messages.some((m) => m.contactRequest)) {
      steps.push(() => this.api.sendMessage(chatId, M.contactReceived, { reply_markup: { remove_keyboard: true } }));
    }
    for (const message of reply.messages) {
      steps.push(async () => {
        if (message.slot === "question") return this.sendQuestion(chatId, message);
        // Anything between questions ends the run of edits: the next question is a new message.
        await this.sessions.delete(questionKey(chatId));
        await this.sendPlain(chatId, message);
      });
    }
    try {
      await translated(async () => {
        for (const step of steps.slice(from)) {
          await step();
          stepDone();
        }
      });
    } finally {
      await answering;
    }
  }

  private async sendPlain(chatId: string, message: OutboundMessage): Promise<number> {
    if (message.document) return this.sendDocument(chatId, message);
    const parts = splitText(message.text, TEXT_LIMIT);
    for (const part of parts.slice(0, -1)) await this.api.sendMessage(chatId, part);
    const last = parts.at(-1) ?? "";
    const markup = message.contactRequest
      ? { keyboard: [[{ text: message.contactRequest, request_contact: true }]], resize_keyboard: true, one_time_keyboard: true }
      : keyboard(message);
    return (await this.api.sendMessage(chatId, last, { reply_markup: markup })).message_id;
  }

  /** A file (or a photo) with the text as its caption (or before it, when longer than a caption may be). */
  private async sendDocument(chatId: string, message: OutboundMessage): Promise<number> {
    const { document, ...rest } = message;
    const file = document && (await this.documents?.(document));
    if (!file) {
      this.logger.warn({ document }, "a message's file no longer exists; sending its text alone");
      return this.sendPlain(chatId, rest);
    }
    const fits = [...message.text].length <= CAPTION_LIMIT;
    if (!fits) await this.sendPlain(chatId, { text: message.text });
    const input = new InputFile(file.bytes, file.filename);
    const extra = { caption: fits ? message.text : undefined, reply_markup: keyboard(message) };
    // An image (a unit's QR code) shows as a photo, to forward as it is; anything else as a file.
    const sent = file.filename.endsWith(".png")
      ? await this.api.sendPhoto(chatId, input, extra)
      : await this.api.sendDocument(chatId, input, extra);
    return sent.message_id;
  }

  private async sendQuestion(chatId: string, message: OutboundMessage): Promise<void> {
    const key = questionKey(chatId);
    const previous = await this.sessions.get<number>(key);
    if (previous !== undefined && [...message.text].length <= TEXT_LIMIT) {
      try {
        await this.api.editMessageText(chatId, previous, message.text, { reply_markup: keyboard(message) });
        return;
      } catch (error) {
        if (isNotModified(error)) return;
        if (isBlockedError(error)) throw error;
        // The old message is gone or too old to edit: send a new one instead.
        this.logger.debug({ err: error }, "question edit failed; sending anew");
      }
    }
    await this.sessions.set(key, await this.sendPlain(chatId, message), QUESTION_MESSAGE_TTL_SECONDS);
  }
}

const questionKey = (chatId: string) => `tg:question:${chatId}`;
