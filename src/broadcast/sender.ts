// Drains deliveries. Each worker claims a batch with FOR UPDATE SKIP LOCKED, so with several
// instances every delivery is sent by exactly one of them; a claim has a lease that the worker
// renews (heartbeat) while it is alive, however slowly it sends, so a live worker's batch is
// never taken over; a worker that crashed mid-batch stops renewing and its rows are reclaimed
// when the lease runs out (only what was in flight at the crash can go out twice). Rates are
// respected per platform.
import { randomUUID } from "node:crypto";
import type { Platform, PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { campaignButtons, ZALO_WINDOW_MS } from "./campaigns.js";
import { ChannelBlockedError, type Messenger, RateLimitedError, RecipientUnreachableError, unreachableMark } from "./messenger.js";
import { type Pacer, platformPacers } from "./rate-limiter.js";

const LEASE_MS = 60_000;
const MAX_TRIES = 5;

export interface SenderOptions {
  prisma: PrismaClient;
  messengers: Partial<Record<Platform, Messenger>>;
  logger: Logger;
  clock?: () => Date;
  /** Pacing per platform (default: local spacing at the documented rates). */
  limiters?: Partial<Record<Platform, Pacer>>;
  workerId?: string;
  /** How long a claim lasts without renewal (default 60 s); renewed every third of it. */
  leaseMs?: number;
  /**
   * Personal texts of deliveries stored without one, by account id, for campaigns that write
   * them when sent (round result notices, see RoundCloser.noticeTexts).
   */
  personalTexts?: (campaignAudience: unknown, accountIds: string[]) => Promise<Map<string, string>>;
  /** Told every delivery's outcome (metrics). */
  onOutcome?: (platform: Platform, outcome: "sent" | "failed" | "skipped" | "retried") => void;
}

export interface BatchResult {
  claimed: number;
  sent: number;
  failed: number;
  skipped: number;
  retried: number;
}

export class DeliverySender {
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly clock: () => Date;
  private readonly limiters: Partial<Record<Platform, Pacer>>;

  constructor(private readonly options: SenderOptions) {
    this.workerId = options.workerId ?? randomUUID();
    this.leaseMs = options.leaseMs ?? LEASE_MS;
    this.clock = options.clock ?? (() => new Date());
    this.limiters = options.limiters ?? platformPacers();
  }

  private async claim(limit: number): Promise<string[]> {
    const now = this.clock();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const rows = await this.options.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "Delivery" SET status = 'SENDING', "lockedBy" = ${this.workerId}, "lockedUntil" = ${leaseUntil}, tries = tries + 1
      WHERE id IN (
        SELECT d.id FROM "Delivery" d JOIN "Campaign" c ON c.id = d."campaignId"
        WHERE c.status IN ('SCHEDULED', 'RUNNING') AND (c."scheduledAt" IS NULL OR c."scheduledAt" <= ${now})
          AND ((d.status = 'PENDING' AND (d."notBefore" IS NULL OR d."notBefore" <= ${now}))
               OR (d.status = 'SENDING' AND d."lockedUntil" < ${now}))
        ORDER BY d."campaignId", d.id
        LIMIT ${limit}
        FOR UPDATE OF d SKIP LOCKED)
      RETURNING id::text AS id`;
    return rows.map((r) => r.id);
  }

  /** Claims and sends up to `limit` deliveries; returns what happened. */
  async runOnce(limit = 50): Promise<BatchResult> {
    const ids = await this.claim(limit);
    const result: BatchResult = { claimed: ids.length, sent: 0, failed: 0, skipped: 0, retried: 0 };
    if (ids.length === 0) return result;
    const heartbeat = setInterval(() => {
      this.renewLease().catch((error: unknown) => this.options.logger.warn({ err: error }, "delivery lease renewal failed"));
    }, this.leaseMs / 3);
    try {
      await this.sendBatch(ids, result);
    } finally {
      clearInterval(heartbeat);
    }
    return result;
  }

  /** Keeps this worker's claims alive while it sends. */
  private async renewLease(): Promise<void> {
    await this.options.prisma.delivery.updateMany({
      where: { lockedBy: this.workerId, status: "SENDING" },
      data: { lockedUntil: new Date(this.clock().getTime() + this.leaseMs) },
    });
  }

  private async sendBatch(ids: string[], result: BatchResult): Promise<void> {
    const { prisma } = this.options;
    const deliveries = await prisma.delivery.findMany({ where: { id: { in: ids } }, include: { account: true, campaign: true } });
    await prisma.campaign.updateMany({
      where: { id: { in: [...new Set(deliveries.map((d) => d.campaignId))] }, status: "SCHEDULED" },
      data: { status: "RUNNING" },
    });
    const personal = await this.personalTexts(deliveries);
    const paused = new Set<string>();
    for (const d of deliveries) {
      const text = d.text ?? personal.get(d.id) ?? d.campaign.text;
      const outcome = paused.has(d.campaignId) ? await this.putBack(d.id, "campaign paused") : await this.deliver({ ...d, text }, paused);
      result[outcome]++;
      this.options.onOutcome?.(d.account.platform, outcome);
    }
    await this.finishCampaigns([...new Set(deliveries.map((d) => d.campaignId))]);
  }

  /** Texts by delivery id for the deliveries stored without one, asked per campaign. */
  private async personalTexts(
    deliveries: { id: string; accountId: string; campaignId: string; text: string | null; campaign: { audience: unknown } }[],
  ): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    const ask = this.options.personalTexts;
    if (!ask) return texts;
    const untexted = deliveries.filter((d) => d.text === null);
    for (const campaignId of new Set(untexted.map((d) => d.campaignId))) {
      const mine = untexted.filter((d) => d.campaignId === campaignId);
      const byAccount = await ask(
        mine[0]!.campaign.audience,
        mine.map((d) => d.accountId),
      );
      for (const d of mine) {
        const text = byAccount.get(d.accountId);
        if (text !== undefined) texts.set(d.id, text);
      }
    }
    return texts;
  }

  private async settle(id: string, data: Record<string, unknown>): Promise<void> {
    // Only the worker holding the lease may settle: a reclaimed row belongs to someone else.
    await this.options.prisma.delivery.updateMany({ where: { id, lockedBy: this.workerId }, data: { lockedUntil: null, ...data } });
  }

  /** Back to the queue without counting the try (the campaign was paused, not the recipient's fault). */
  private async putBack(id: string, reason: string): Promise<"retried"> {
    await this.settle(id, { status: "PENDING", tries: { decrement: 1 }, lastError: reason });
    return "retried";
  }

  private async deliver(
    d: {
      id: string;
      campaignId: string;
      tries: number;
      text: string;
      account: { id: string; platform: Platform; chatId: string; blockedAt: Date | null; lastInteractionAt: Date | null };
      campaign: { buttons: unknown };
    },
    paused: Set<string>,
  ): Promise<"sent" | "failed" | "skipped" | "retried"> {
    const now = this.clock();
    const { account } = d;
    if (account.blockedAt) {
      await this.settle(d.id, { status: "SKIPPED", lastError: "recipient blocked or unreachable" });
      return "skipped";
    }
    if (
      account.platform === "ZALO" &&
      (!account.lastInteractionAt || now.getTime() - account.lastInteractionAt.getTime() > ZALO_WINDOW_MS)
    ) {
      await this.settle(d.id, { status: "SKIPPED", lastError: "outside Zalo's 7-day messaging window" });
      return "skipped";
    }
    const messenger = this.options.messengers[account.platform];
    if (!messenger) {
      await this.settle(d.id, { status: "SKIPPED", lastError: `no ${account.platform} channel configured` });
      return "skipped";
    }
    try {
      await this.limiters[account.platform]?.take();
      await messenger.send(account.chatId, { text: d.text, buttons: campaignButtons(d.campaign.buttons) });
      await this.settle(d.id, { status: "SENT", sentAt: this.clock(), lastError: null });
      return "sent";
    } catch (error) {
      if (error instanceof RecipientUnreachableError) {
        await this.options.prisma.platformAccount.update({
          where: { id: account.id },
          data: unreachableMark(error, now),
        });
        await this.settle(d.id, { status: "FAILED", lastError: error.message });
        return "failed";
      }
      if (error instanceof ChannelBlockedError) {
        // Nothing of this campaign can go out (e.g. Zalo billing): pause it with the reason for
        // the organizer instead of burning every delivery's tries.
        paused.add(d.campaignId);
        await this.options.prisma.campaign.updateMany({
          where: { id: d.campaignId, status: { in: ["SCHEDULED", "RUNNING"] } },
          data: { status: "PAUSED", pausedReason: error.message },
        });
        this.options.logger.error({ campaignId: d.campaignId, reason: error.message }, "campaign paused: the platform refuses to send");
        return this.putBack(d.id, error.message);
      }
      const retryAfterMs = error instanceof RateLimitedError ? error.retryAfterMs : 1000 * 2 ** d.tries;
      if (error instanceof RateLimitedError) await this.limiters[account.platform]?.pauseFor(retryAfterMs);
      if (d.tries >= MAX_TRIES) {
        await this.settle(d.id, { status: "FAILED", lastError: (error as Error).message });
        return "failed";
      }
      this.options.logger.warn({ deliveryId: d.id, err: (error as Error).message, retryAfterMs }, "delivery will be retried");
      await this.settle(d.id, {
        status: "PENDING",
        notBefore: new Date(this.clock().getTime() + retryAfterMs),
        lastError: (error as Error).message,
      });
      return "retried";
    }
  }

  private async finishCampaigns(campaignIds: string[]): Promise<void> {
    for (const campaignId of campaignIds) {
      const open = await this.options.prisma.delivery.count({ where: { campaignId, status: { in: ["PENDING", "SENDING"] } } });
      if (open === 0)
        await this.options.prisma.campaign.updateMany({
          where: { id: campaignId, status: "RUNNING", recipientsQueued: true },
          data: { status: "DONE" },
        });
    }
  }
}
