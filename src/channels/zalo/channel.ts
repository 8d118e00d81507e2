// The Zalo OA channel: signed webhook events → engine → replies in Zalo's idiom. Zalo cannot
// edit messages, so every question is a new message; buttons are `oa.query.hide` taps (at
// most 5 a message) and, where Zalo refuses them, a numbered list answered by typing.

import type { ConversationEngine } from "../../engine/engine.js";
import type { Actor, Button, OutboundMessage } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { BUTTONS, M } from "../../messages/index.js";
import type { SessionStore } from "../../sessions/store.js";
import { ZaloApiError, type ZaloClient, ZaloUnreachableError } from "./client.js";
import { parseZaloEvent } from "./events.js";
import { BUTTONS_REFUSED_ERRORS, PERMANENT_UNREACHABLE_ERRORS, ZALO, type ZaloEvent } from "./protocol.js";

const DEDUPE_TTL_SECONDS = 60 * 60 * 24 * 3;
const PENDING_TTL_SECONDS = 60 * 60 * 24;

/** Splits long text at line ends so each part fits Zalo's limit (NFC text, code points). */
export function splitText(text: string, limit: number = ZALO.textLimit - 100): string[] {
  const parts: string[] = [];
  let current = "";
  for (const line of text.normalize("NFC").split("\n")) {
    const candidate = current ? `${current}\n${line}` : line;
    if ([...candidate].length <= limit) current = candidate;
    else {
      if (current) parts.push(current);
      current = [...line].length <= limit ? line : [...line].slice(0, limit).join("");
    }
  }
  if (current) parts.push(current);
  return parts;
}

export class ZaloChannel {
  constructor(
    private readonly deps: {
      engine: ConversationEngine;
      client: ZaloClient;
      prisma: PrismaClient;
      sessions: SessionStore;
      logger: Logger;
    },
  ) {}

  /** Handles one verified event; redeliveries are recognised and ignored. */
  async process(body: ZaloEvent): Promise<void> {
    const pendingKey = (userId: string) => `zalo:pending:${userId}`;
    const senderId = body.sender?.id ?? body.follower?.id;
    const pending = senderId ? await this.deps.sessions.get<string[]>(pendingKey(senderId)) : undefined;
    const inbound = parseZaloEvent(body, pending);
    if (!inbound) return;
    if (!(await this.deps.sessions.setIfAbsent(`zalo:event:${inbound.eventKey}`, 1, DEDUPE_TTL_SECONDS))) {
      this.deps.logger.info({ event: body.event_name }, "duplicate Zalo event ignored");
      return;
    }
    if (inbound.unfollow) {
      await this.markUnreachable(inbound.userId, "unfollowed the OA", true);
      return;
    }
    const actor: Actor = { platform: "ZALO", externalId: inbound.userId, chatId: inbound.userId, canShareContact: true };
    const reply = await this.deps.engine.handle(actor, inbound.event!);
    try {
      if (reply.notice && reply.messages.length === 0) await this.deps.client.sendText(inbound.userId, reply.notice);
      for (const message of reply.messages) await this.send(inbound.userId, message, pendingKey(inbound.userId));
    } catch (error) {
      if (!(error instanceof ZaloUnreachableError)) throw error;
      await this.markUnreachable(inbound.userId, error.message, PERMANENT_UNREACHABLE_ERRORS.has(error.code));
    }
  }

  private async markUnreachable(userId: string, reason: string, blocked: boolean): Promise<void> {
    await this.deps.prisma.platformAccount.updateMany({
      where: { platform: "ZALO", externalId: userId },
      data: { unreachableReason: reason, ...(blocked ? { blockedAt: new Date() } : {}) },
    });
  }

  private async send(userId: string, message: OutboundMessage, pendingKey: string): Promise<void> {
    const { client } = this.deps;
    if (message.contactRequest) {
      try {
        await client.requestUserInfo(userId, BUTTONS.shareContact, message.text);
        return;
      } catch (error) {
        if (!(error instanceof ZaloApiError) || error instanceof ZaloUnreachableError) throw error;
        this.deps.logger.warn({ code: error.code }, "Zalo refused the user-info form; sent as text");
      }
    }
    const buttons = (message.buttons ?? []).flat();
    const parts = splitText(message.text);
    for (const part of parts.slice(0, -1)) await client.sendText(userId, part);
    const last = parts.at(-1) ?? "";
    if (buttons.length === 0) {
      await this.deps.sessions.delete(pendingKey);
      await client.sendText(userId, last);
      return;
    }
    const state = await this.deps.prisma.zaloState.findUnique({ where: { id: "oa" } });
    if (!state?.buttonsUnsupported) {
      try {
        await this.sendButtonChunks(userId, last, buttons);
        await this.deps.sessions.delete(pendingKey);
        return;
      } catch (error) {
        if (!(error instanceof ZaloApiError) || !BUTTONS_REFUSED_ERRORS.has(error.code)) throw error;
        // Remember for the OA: consultation messages with buttons are refused here.
        await this.deps.prisma.zaloState.updateMany({ where: { id: "oa" }, data: { buttonsUnsupported: true } });
        this.deps.logger.warn({ code: error.code }, "Zalo refused buttons; switching to numbered choices");
      }
    }
    await this.deps.sessions.set(
      pendingKey,
      buttons.map((b) => b.data),
      PENDING_TTL_SECONDS,
    );
    await client.sendText(userId, `${last}\n\n${buttons.map((b, i) => `${i + 1}. ${b.label}`).join("\n")}\n${M.numberedChoiceHint}`);
  }

  private async sendButtonChunks(userId: string, text: string, buttons: Button[]): Promise<void> {
    for (let i = 0; i < buttons.length; i += ZALO.maxButtons) {
      const chunk = buttons.slice(i, i + ZALO.maxButtons);
      await this.deps.client.sendButtons(
        userId,
        i === 0 ? text : "…",
        chunk.map((b) => ({ title: b.label, payload: `${ZALO.buttonPrefix}${b.data}` })),
      );
    }
  }
}
