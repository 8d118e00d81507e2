// Zalo rendering of the engine's OutboundMessage, used for conversation replies and for
// broadcasts alike. Zalo cannot edit messages, so each is new; texts are split to the 2,000-
// character limit at boundaries; slash commands are written as the words Zalo people type.
// Choices follow ZALO_BUTTONS: `on` sends `oa.query.hide` buttons; `off` writes a numbered list
// in the text; `auto` sends buttons and, when Zalo refuses that one message, sends it again
// as a numbered list (recorded for the organizer, never switched off for the whole OA). More
// than 5 choices are always a numbered list. The choices are kept per user in every mode, so a
// typed number or the choice's words act as the tap whether or not the buttons showed. A file
// (a certificate) follows its text as an uploaded attachment, or as a link where Zalo refuses it.
import { isAxiosError } from "axios";
import { ChannelBlockedError, type Messenger, RecipientUnreachableError } from "../../broadcast/messenger.js";
import type { Button, OutboundMessage } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { BUTTONS, COMMAND_WORDS, M } from "../../messages/index.js";
import type { DocumentLoader, OutboxPayload, ReplyChannel } from "../../pipeline/outbox.js";
import type { SessionStore } from "../../sessions/store.js";
import { splitText } from "../../text/split.js";
import { ZaloApiError, ZaloBillingError, type ZaloClient, ZaloUnreachableError } from "./client.js";
import type { PendingChoice } from "./events.js";
import { BUTTONS_REFUSED_ERRORS, PERMANENT_UNREACHABLE_ERRORS, ZALO } from "./protocol.js";

const PENDING_TTL_SECONDS = 60 * 60 * 24 * 7;
/** Room left under the text limit for the "…" continuation and safety. */
const PART_LIMIT = ZALO.textLimit - 100;

export type ZaloButtonMode = "auto" | "on" | "off";

/** Where the choices last offered to a user are kept. */
export const pendingChoicesKey = (userId: string) => `zalo:pending:${userId}`;

// A slash command standing alone: not a path in a link (https://thi.example.vn, /u/thi).
const SLASH_COMMAND = new RegExp(`(?<![\\w/:.])/(${Object.keys(COMMAND_WORDS).join("|")})\\b(?!\\.\\w|/)`, "g");

/** "/thi" → «Thi»: Zalo people do not type slash commands, and no Zalo text may ask them to. */
export const withCommandWords = (text: string) =>
  text.replace(SLASH_COMMAND, (_m, name: keyof typeof COMMAND_WORDS) => `«${COMMAND_WORDS[name]}»`);

const numbered = (text: string, buttons: Button[]) =>
  `${text}\n\n${buttons.map((b, i) => `${i + 1}. ${b.label}`).join("\n")}\n${M.numberedChoiceHint}`;

export class ZaloAdapter implements Messenger, ReplyChannel {
  constructor(
    private readonly client: ZaloClient,
    private readonly prisma: PrismaClient,
    private readonly sessions: SessionStore,
    private readonly logger: Logger,
    private readonly mode: ZaloButtonMode = "auto",
    private readonly documents?: DocumentLoader,
  ) {}

  async send(userId: string, message: OutboundMessage): Promise<void> {
    try {
      await this.render(userId, { ...message, text: withCommandWords(message.text) });
    } catch (error) {
      if (error instanceof ZaloUnreachableError)
        throw new RecipientUnreachableError(error.message, PERMANENT_UNREACHABLE_ERRORS.has(error.code));
      if (error instanceof ZaloBillingError) throw new ChannelBlockedError(`Zalo billing: ${error.message}`);
      throw error;
    }
  }

  /** A conversation reply from the outbox, one message per step (a lone notice becomes a message). */
  async deliver(userId: string, reply: OutboxPayload, from: number, stepDone: () => void): Promise<void> {
    const messages = reply.messages.length === 0 && reply.notice ? [{ text: reply.notice }] : reply.messages;
    for (const message of messages.slice(from)) {
      await this.send(userId, message);
      stepDone();
    }
  }

  private async render(userId: string, message: OutboundMessage): Promise<void> {
    if (message.document) return this.sendDocument(userId, message);
    if (message.contactRequest) return this.askContact(userId, message.text);
    const buttons = (message.buttons ?? []).flat();
    if (buttons.length === 0) {
      await this.sessions.delete(pendingChoicesKey(userId));
      return this.sendTexts(userId, message.text);
    }
    const choices: PendingChoice[] = buttons.map((b) => ({ data: b.data, label: b.label }));
    await this.sessions.set(pendingChoicesKey(userId), choices, PENDING_TTL_SECONDS);
    if (this.mode === "off" || buttons.length > ZALO.maxButtons) return this.sendTexts(userId, numbered(message.text, buttons));
    const parts = splitText(message.text, PART_LIMIT);
    for (const part of parts.slice(0, -1)) await this.client.sendText(userId, part);
    const last = parts.at(-1) ?? "";
    try {
      await this.client.sendButtons(
        userId,
        last,
        buttons.map((b) => ({ title: b.label, payload: `${ZALO.buttonPrefix}${b.data}` })),
      );
    } catch (error) {
      if (this.mode === "on" || !(error instanceof ZaloApiError) || !BUTTONS_REFUSED_ERRORS.has(error.code)) throw error;
      await this.recordFallback(error.code);
      await this.sendTexts(userId, numbered(last, buttons));
    }
  }

  private async sendDocument(userId: string, message: OutboundMessage): Promise<void> {
    const { document, ...rest } = message;
    await this.render(userId, rest);
    const file = document && (await this.documents?.(document));
    if (!file) {
      this.logger.warn({ document }, "a message's file no longer exists; sent its text alone");
      return;
    }
    try {
      if (file.filename.endsWith(".png")) await this.client.sendImage(userId, file.bytes, file.filename);
      else await this.client.sendFile(userId, file.bytes, file.filename);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      this.logger.warn({ err: (error as Error).message }, "Zalo refused the file; sent its link instead");
      await this.sendTexts(userId, M.zaloFileFailed(file.link));
    }
  }

  /** Zalo's user-info form; where it is refused, the person is asked to type the number. */
  private async askContact(userId: string, text: string): Promise<void> {
    try {
      await this.client.requestUserInfo(userId, BUTTONS.shareContact, text);
    } catch (error) {
      if (!(error instanceof ZaloApiError) || error instanceof ZaloUnreachableError || error instanceof ZaloBillingError) throw error;
      this.logger.warn({ code: error.code }, "Zalo refused the user-info form; asking for the number as text");
      await this.sendTexts(userId, M.askPhoneTyped);
    }
  }

  private async sendTexts(userId: string, text: string): Promise<void> {
    for (const part of splitText(text, PART_LIMIT)) await this.client.sendText(userId, part);
  }

  /** The organizer sees this in the admin API's Zalo status and in the log. */
  private async recordFallback(code: number): Promise<void> {
    await this.prisma.zaloState.updateMany({
      where: { id: "oa" },
      data: { buttonFallbackAt: new Date(), buttonFallbacks: { increment: 1 } },
    });
    this.logger.warn({ code }, "Zalo refused a message with buttons; sent it as a numbered list (ZALO_BUTTONS=auto)");
  }
}

/** Zalo said no to this request (an error code, or a 4xx for an unknown path): retrying will not help. */
function isRefusal(error: unknown): boolean {
  if (error instanceof ZaloUnreachableError || error instanceof ZaloBillingError) return false;
  if (error instanceof ZaloApiError) return true;
  const status = isAxiosError(error) ? error.response?.status : undefined;
  return status !== undefined && status >= 400 && status < 500;
}
