// Zalo rendering of the engine's OutboundMessage, used for conversation replies and for
// broadcasts alike. Zalo cannot edit messages, so each is new; long texts are split to the
// text limit; buttons are `oa.query.hide` taps, at most 5 a message; where Zalo refuses them
// the choices become a numbered list (remembered for the OA) and a typed number acts as the
// tap (the pending choices are kept per user). The contact request is Zalo's user-info form.
import { type Messenger, RecipientUnreachableError } from "../../broadcast/messenger.js";
import type { Button, OutboundMessage } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { BUTTONS, M } from "../../messages/index.js";
import type { SessionStore } from "../../sessions/store.js";
import { splitText } from "../../text/split.js";
import { ZaloApiError, type ZaloClient, ZaloUnreachableError } from "./client.js";
import { BUTTONS_REFUSED_ERRORS, PERMANENT_UNREACHABLE_ERRORS, ZALO } from "./protocol.js";

const PENDING_TTL_SECONDS = 60 * 60 * 24;

/** Where the choices of the last numbered list sent to a user are kept. */
export const pendingChoicesKey = (userId: string) => `zalo:pending:${userId}`;

export class ZaloAdapter implements Messenger {
  constructor(
    private readonly client: ZaloClient,
    private readonly prisma: PrismaClient,
    private readonly sessions: SessionStore,
    private readonly logger: Logger,
  ) {}

  async send(userId: string, message: OutboundMessage): Promise<void> {
    try {
      await this.render(userId, message);
    } catch (error) {
      if (error instanceof ZaloUnreachableError)
        throw new RecipientUnreachableError(error.message, PERMANENT_UNREACHABLE_ERRORS.has(error.code));
      throw error;
    }
  }

  private async render(userId: string, message: OutboundMessage): Promise<void> {
    if (message.contactRequest) {
      try {
        await this.client.requestUserInfo(userId, BUTTONS.shareContact, message.text);
        return;
      } catch (error) {
        if (!(error instanceof ZaloApiError) || error instanceof ZaloUnreachableError) throw error;
        this.logger.warn({ code: error.code }, "Zalo refused the user-info form; sent as text");
      }
    }
    const buttons = (message.buttons ?? []).flat();
    const parts = splitText(message.text, ZALO.textLimit - 100);
    for (const part of parts.slice(0, -1)) await this.client.sendText(userId, part);
    const last = parts.at(-1) ?? "";
    if (buttons.length === 0) {
      await this.sessions.delete(pendingChoicesKey(userId));
      await this.client.sendText(userId, last);
      return;
    }
    const state = await this.prisma.zaloState.findUnique({ where: { id: "oa" } });
    if (!state?.buttonsUnsupported) {
      try {
        await this.sendButtonChunks(userId, last, buttons);
        await this.sessions.delete(pendingChoicesKey(userId));
        return;
      } catch (error) {
        if (!(error instanceof ZaloApiError) || !BUTTONS_REFUSED_ERRORS.has(error.code)) throw error;
        // Remember for the OA: consultation messages with buttons are refused here.
        await this.prisma.zaloState.updateMany({ where: { id: "oa" }, data: { buttonsUnsupported: true } });
        this.logger.warn({ code: error.code }, "Zalo refused buttons; switching to numbered choices");
      }
    }
    await this.sessions.set(
      pendingChoicesKey(userId),
      buttons.map((b) => b.data),
      PENDING_TTL_SECONDS,
    );
    await this.client.sendText(userId, `${last}\n\n${buttons.map((b, i) => `${i + 1}. ${b.label}`).join("\n")}\n${M.numberedChoiceHint}`);
  }

  private async sendButtonChunks(userId: string, text: string, buttons: Button[]): Promise<void> {
    for (let i = 0; i < buttons.length; i += ZALO.maxButtons) {
      const chunk = buttons.slice(i, i + ZALO.maxButtons);
      await this.client.sendButtons(
        userId,
        i === 0 ? text : "…",
        chunk.map((b) => ({ title: b.label, payload: `${ZALO.buttonPrefix}${b.data}` })),
      );
    }
  }
}
