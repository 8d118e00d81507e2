// The Zalo OA channel: signed webhook events → engine → replies through the Zalo adapter.
// Redelivered events are recognised and ignored; users who unfollowed or cannot be reached
// are recorded on their account.
import { RecipientUnreachableError } from "../../broadcast/messenger.js";
import type { ConversationEngine } from "../../engine/engine.js";
import type { Actor } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import type { SessionStore } from "../../sessions/store.js";
import { pendingChoicesKey, type ZaloAdapter } from "./adapter.js";
import { parseZaloEvent } from "./events.js";
import type { ZaloEvent } from "./protocol.js";

const DEDUPE_TTL_SECONDS = 60 * 60 * 24 * 3;

export class ZaloChannel {
  constructor(
    private readonly deps: {
      engine: ConversationEngine;
      adapter: ZaloAdapter;
      prisma: PrismaClient;
      sessions: SessionStore;
      logger: Logger;
    },
  ) {}

  /** Handles one verified event; redeliveries are recognised and ignored. */
  async process(body: ZaloEvent): Promise<void> {
    const senderId = body.sender?.id ?? body.follower?.id;
    const pending = senderId ? await this.deps.sessions.get<string[]>(pendingChoicesKey(senderId)) : undefined;
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
      if (reply.notice && reply.messages.length === 0) await this.deps.adapter.send(inbound.userId, { text: reply.notice });
      for (const message of reply.messages) await this.deps.adapter.send(inbound.userId, message);
    } catch (error) {
      if (!(error instanceof RecipientUnreachableError)) throw error;
      await this.markUnreachable(inbound.userId, error.message, error.permanent);
    }
  }

  private async markUnreachable(userId: string, reason: string, blocked: boolean): Promise<void> {
    await this.deps.prisma.platformAccount.updateMany({
      where: { platform: "ZALO", externalId: userId },
      data: { unreachableReason: reason, ...(blocked ? { blockedAt: new Date() } : {}) },
    });
  }
}
