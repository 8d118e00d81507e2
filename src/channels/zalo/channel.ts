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
import { type PendingChoice, parseZaloEvent, type ZaloInbound } from "./events.js";
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

  private readonly inFlight = new Set<Promise<void>>();

  /** Processes an acknowledged event in the background; a graceful stop waits for it (drain). */
  accept(body: ZaloEvent): void {
    const run = this.process(body)
      .catch((error: unknown) => this.deps.logger.error({ err: error, event: body.event_name }, "Zalo event failed"))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Waits for the events being processed (bounded by `timeoutMs`). */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    this.deps.logger.info({ events: this.inFlight.size }, "finishing Zalo events before stopping");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
  }

  /** Handles one verified event; redeliveries are recognised and ignored. */
  async process(body: ZaloEvent): Promise<void> {
    const senderId = body.sender?.id ?? body.follower?.id;
    const pending = typeof senderId === "string" ? await this.deps.sessions.get<PendingChoice[]>(pendingChoicesKey(senderId)) : undefined;
    const inbound = parseZaloEvent(body, pending);
    if (!inbound) return;
    const dedupeKey = `zalo:event:${inbound.eventKey}`;
    if (!(await this.deps.sessions.setIfAbsent(dedupeKey, 1, DEDUPE_TTL_SECONDS))) {
      this.deps.logger.info({ event: body.event_name }, "duplicate Zalo event ignored");
      return;
    }
    try {
      await this.handle(inbound);
    } catch (error) {
      // Failed: forget the key so a redelivery of this event is processed, not dropped.
      await this.deps.sessions.delete(dedupeKey);
      throw error;
    }
  }

  private async handle(inbound: ZaloInbound): Promise<void> {
    if (inbound.unfollow) {
      await this.markUnreachable(inbound.userId, "unfollowed the OA", true);
      return;
    }
    const actor: Actor = {
      platform: "ZALO",
      externalId: inbound.userId,
      chatId: inbound.userId,
      canShareContact: true,
      canTypePhone: true,
      startsOnAnyMessage: true,
    };
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
