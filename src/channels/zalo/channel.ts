// The Zalo OA channel: signed webhook events → the durable inbox → engine → replies through
// the Zalo adapter. An event is recorded before it is acknowledged, so a redelivery is a no-op
// and an event acknowledged by a process that then died is processed after a restart; users
// who unfollowed or cannot be reached are recorded on their account.
import { RecipientUnreachableError } from "../../broadcast/messenger.js";
import type { ConversationEngine } from "../../engine/engine.js";
import type { Actor } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Inbox } from "../../inbox/inbox.js";
import type { Logger } from "../../logger.js";
import { within } from "../../server/deadline.js";
import type { SessionStore } from "../../sessions/store.js";
import { pendingChoicesKey, type ZaloAdapter } from "./adapter.js";
import { type PendingChoice, parseZaloEvent, type ZaloInbound, zaloEventKey } from "./events.js";
import type { ZaloEvent } from "./protocol.js";

export class ZaloChannel {
  constructor(
    private readonly deps: {
      engine: ConversationEngine;
      adapter: ZaloAdapter;
      prisma: PrismaClient;
      sessions: SessionStore;
      inbox: Inbox;
      logger: Logger;
    },
  ) {}

  private readonly inFlight = new Set<Promise<void>>();

  /**
   * Records a verified event in the inbox (before it is acknowledged) and starts processing
   * it; false for a redelivery or an event we ignore.
   */
  async receive(body: ZaloEvent): Promise<boolean> {
    const key = zaloEventKey(body);
    if (!key) return false;
    const id = await this.deps.inbox.record("ZALO", key.eventKey, body as object);
    if (!id) {
      this.deps.logger.info({ event: body.event_name }, "duplicate Zalo event ignored");
      return false;
    }
    this.accept(id);
    return true;
  }

  /** Picks up events acknowledged but never finished (the process died): at start-up and in the background. */
  async recover(graceMs = 30_000): Promise<number> {
    const due = await this.deps.inbox.due("ZALO", graceMs);
    for (const id of due) this.accept(id);
    if (due.length) this.deps.logger.warn({ events: due.length }, "resuming unfinished Zalo events");
    return due.length;
  }

  /** Processes a recorded event in the background; a graceful stop waits for it (drain). */
  private accept(id: string): void {
    const run = this.run(id)
      .catch((error: unknown) => this.deps.logger.error({ err: error, inboundId: id }, "Zalo event failed"))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async run(id: string): Promise<void> {
    const payload = await this.deps.inbox.claim(id);
    if (payload === null) return; // another process holds it, or it is finished
    try {
      await this.process(payload as ZaloEvent);
      await this.deps.inbox.done(id);
    } catch (error) {
      await this.deps.inbox.failed(id, error);
      throw error;
    }
  }

  /** Waits for the events being processed (bounded by `timeoutMs`). */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    this.deps.logger.info({ events: this.inFlight.size }, "finishing Zalo events before stopping");
    await within(Promise.allSettled([...this.inFlight]), timeoutMs);
  }

  private async process(body: ZaloEvent): Promise<void> {
    const senderId = body.sender?.id ?? body.follower?.id;
    const pending = typeof senderId === "string" ? await this.deps.sessions.get<PendingChoice[]>(pendingChoicesKey(senderId)) : undefined;
    const inbound = parseZaloEvent(body, pending);
    if (inbound) await this.handle(inbound);
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
