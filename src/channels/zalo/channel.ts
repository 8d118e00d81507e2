// The Zalo OA channel: a signed webhook event is recorded in the inbox before it is
// acknowledged (a redelivery is a no-op; an event acknowledged by a process that then died is
// processed after a restart, by any instance); the inbox worker hands it back here to become
// a conversation turn, whose replies the outbox sends through the Zalo adapter. People who
// unfollow the OA are recorded on their account.
import type { Actor } from "../../engine/types.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { ClaimedEvent } from "../../inbox/inbox.js";
import type { Logger } from "../../logger.js";
import type { InboxHandler, Pipeline } from "../../pipeline/pipeline.js";
import type { TurnRunner } from "../../pipeline/turn-runner.js";
import type { SessionStore } from "../../sessions/store.js";
import { pendingChoicesKey } from "./adapter.js";
import { type PendingChoice, parseZaloEvent, zaloEventKey } from "./events.js";
import type { ZaloEvent } from "./protocol.js";

export class ZaloChannel {
  constructor(
    private readonly deps: {
      runner: TurnRunner;
      pipeline: Pipeline;
      prisma: PrismaClient;
      sessions: SessionStore;
      logger: Logger;
    },
  ) {}

  /** Records a verified event in the inbox (before it is acknowledged); false for a redelivery or an event we ignore. */
  async receive(body: ZaloEvent): Promise<boolean> {
    const key = zaloEventKey(body);
    if (!key) return false;
    const id = await this.deps.pipeline.receive("ZALO", key.eventKey, `zalo:${key.userId}`, body as object);
    if (!id) this.deps.logger.info({ event: body.event_name }, "duplicate Zalo event ignored");
    return id !== null;
  }

  /** What the inbox worker calls for a Zalo event. */
  readonly process: InboxHandler = async (claimed: ClaimedEvent) => {
    const body = claimed.payload as ZaloEvent;
    const senderId = body.sender?.id ?? body.follower?.id;
    const pending = typeof senderId === "string" ? await this.deps.sessions.get<PendingChoice[]>(pendingChoicesKey(senderId)) : undefined;
    const inbound = parseZaloEvent(body, pending);
    if (!inbound) return "handled";
    if (inbound.unfollow) {
      await this.deps.prisma.platformAccount.updateMany({
        where: { platform: "ZALO", externalId: inbound.userId },
        data: { unreachableReason: "unfollowed the OA", blockedAt: new Date() },
      });
      return "handled";
    }
    const actor: Actor = {
      platform: "ZALO",
      externalId: inbound.userId,
      chatId: inbound.userId,
      canShareContact: true,
      canTypePhone: true,
      startsOnAnyMessage: true,
    };
    await this.deps.runner.apply({ actor, event: inbound.event!, inboundId: claimed.id });
    return "applied";
  };
}
