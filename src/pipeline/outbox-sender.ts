// Delivers the outbox: each chat's replies in order (a chat's next row waits until the one
// before it is sent or given up, whichever instance holds it), different chats in parallel.
// Claims use FOR UPDATE SKIP LOCKED and a lease the worker renews while it sends, so a live
// worker's rows are never taken over; rows of a worker that died are taken again when the
// lease runs out and go on from the last step reported done. A 429 holds every send of the
// platform for its retry-after (shared with broadcasts); a recipient who blocked the bot is
// recorded and the row FAILED; anything else is retried with back-off, then FAILED.
import { randomUUID } from "node:crypto";
import { RateLimitedError, RecipientUnreachableError, unreachableMark } from "../broadcast/messenger.js";
import type { Pacer } from "../broadcast/rate-limiter.js";
import type { Platform, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { GroupCommit } from "../storage/group-commit.js";
import type { SqlRunner } from "../storage/migrate.js";
import type { OutboxPayload, ReplyChannel } from "./outbox.js";

export interface OutboxRow {
  id: string;
  platform: Platform;
  chatId: string;
  payload: OutboxPayload;
  progress: number;
  tries: number;
}

export type SendOutcome = "sent" | "failed" | "retried";

/** Who takes a reply at once when nothing of its chat is waiting elsewhere (see queueReply). */
export interface ReplyClaimant {
  workerId: string;
  leaseMs: number;
  /** Told of each reply queued once its transaction committed: sends it if claimed, else looks for it later. */
  queued(row: OutboxRow & { status: string }): void;
}

/**
 * Inserts a reply in the outbox inside the turn's transaction. When `claimant` is given and
 * every earlier unsent reply of the chat is the claimant's own (being sent by this process,
 * which sends a chat's replies in order: OutboxSender.send), the row is claimed for it at once
 * (SENDING, its lease), so the sender needs no claim query; otherwise it waits in line (PENDING).
 * A person who answers as soon as a reply arrives would otherwise find it still SENDING, its
 * SENT mark on its way, and every reply would wait for a claim.
 */
export async function queueReply(
  tx: Prisma.TransactionClient,
  reply: { platform: Platform; chatId: string; eventId: string; payload: OutboxPayload },
  claimant?: ReplyClaimant,
): Promise<OutboxRow & { status: string }> {
  const leaseUntil = claimant ? new Date(Date.now() + claimant.leaseMs) : null;
  const rows = await tx.$queryRaw<(OutboxRow & { status: string })[]>`
    INSERT INTO "OutboxMessage" (id, platform, "chatId", "eventId", payload, status, "lockedBy", "lockedUntil", tries)
    SELECT gen_random_uuid(), ${reply.platform}::"Platform", ${reply.chatId}, ${reply.eventId}::uuid, ${JSON.stringify(reply.payload)}::jsonb,
           (CASE WHEN c.mine THEN 'SENDING' ELSE 'PENDING' END)::"DeliveryStatus",
           CASE WHEN c.mine THEN ${claimant?.workerId ?? null} END,
           CASE WHEN c.mine THEN ${leaseUntil}::timestamptz END,
           CASE WHEN c.mine THEN 1 ELSE 0 END
    FROM (SELECT ${claimant !== undefined} AND NOT EXISTS (
            SELECT 1 FROM "OutboxMessage" p
            WHERE p.platform = ${reply.platform}::"Platform" AND p."chatId" = ${reply.chatId}
              AND (p.status = 'PENDING' OR (p.status = 'SENDING' AND p."lockedBy" IS DISTINCT FROM ${claimant?.workerId ?? null})))
          AS mine) c
    RETURNING id::text AS id, platform::text AS platform, "chatId", payload, progress, tries, status::text AS status`;
  return rows[0]!;
}

export interface OutboxSenderOptions {
  prisma: PrismaClient;
  /** Short statements outside transactions (Database.urgent). */
  sql: SqlRunner;
  channels: Partial<Record<Platform, ReplyChannel>>;
  pacers?: Partial<Record<Platform, Pacer>>;
  logger: Logger;
  workerId?: string;
  leaseMs?: number;
  maxTries?: number;
  clock?: () => Date;
  onOutcome?: (platform: Platform, outcome: SendOutcome) => void;
}

export interface OutboxCounts {
  pending: number;
  failed: number;
  /** Age in seconds of the oldest reply not yet sent (0 when none). */
  lagSeconds: number;
}

export class OutboxSender {
  readonly workerId: string;
  readonly leaseMs: number;
  private readonly maxTries: number;
  private readonly clock: () => Date;
  /** What this process is sending per chat, so a chat's next reply waits for it (see send). */
  private readonly chats = new Map<string, Promise<SendOutcome>>();
  /** Replies marked SENT by group commit: under load one UPDATE for many. */
  private readonly sentMarks: GroupCommit<{ id: string; progress: number; at: Date }, undefined>;

  constructor(private readonly options: OutboxSenderOptions) {
    this.workerId = options.workerId ?? randomUUID();
    this.leaseMs = options.leaseMs ?? 60_000;
    // Back-off 0.5 s doubling to a minute: about ten minutes of outage before a reply is given up.
    this.maxTries = options.maxTries ?? 15;
    this.clock = options.clock ?? (() => new Date());
    this.sentMarks = new GroupCommit(async (marks) => {
      // Plain SQL outside Prisma (Database.urgent); only the holder settles.
      await options.sql.query(
        `UPDATE "OutboxMessage" o SET status = 'SENT', "sentAt" = m.at, progress = m.progress, "lastError" = NULL, "lockedUntil" = NULL
         FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS m(id, progress, at)
         WHERE o.id = m.id AND o."lockedBy" = $4 AND o.status = 'SENDING'`,
        [marks.map((m) => m.id), marks.map((m) => m.progress), marks.map((m) => m.at), this.workerId],
      );
      return marks.map(() => undefined);
    });
  }

  /** Claims up to `limit` rows, each the first unsent row of its chat (raw pool, like the inbox's claims). */
  claim(limit: number): Promise<OutboxRow[]> {
    const now = this.clock();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    return this.options.sql.query<OutboxRow & Record<string, unknown>>(
      `UPDATE "OutboxMessage" SET status = 'SENDING', "lockedBy" = $1, "lockedUntil" = $2, tries = tries + 1
       WHERE id IN (
         SELECT o.id FROM "OutboxMessage" o
         WHERE ((o.status = 'PENDING' AND (o."notBefore" IS NULL OR o."notBefore" <= $3))
                OR (o.status = 'SENDING' AND o."lockedUntil" < $3))
           AND NOT EXISTS (
             SELECT 1 FROM "OutboxMessage" p
             WHERE p.platform = o.platform AND p."chatId" = o."chatId" AND p.seq < o.seq AND p.status IN ('PENDING', 'SENDING'))
         ORDER BY o.seq
         LIMIT $4
         FOR UPDATE OF o SKIP LOCKED)
       RETURNING id::text AS id, platform::text AS platform, "chatId", payload, progress, tries`,
      [this.workerId, leaseUntil, now, limit],
    );
  }

  async renew(): Promise<void> {
    await this.options.prisma.outboxMessage.updateMany({
      where: { lockedBy: this.workerId, status: "SENDING" },
      data: { lockedUntil: new Date(this.clock().getTime() + this.leaseMs) },
    });
  }

  /**
   * Sends one claimed row and records the outcome, after the chat's rows this process is
   * already sending. Should one of those not go out now (to be retried), the row is put back in
   * line (PENDING, the try not counted) instead of overtaking it.
   */
  send(row: OutboxRow): Promise<SendOutcome> {
    const chat = `${row.platform}:${row.chatId}`;
    const before = this.chats.get(chat);
    const outcome = (async () => {
      const previous = before && (await before);
      if (previous === "retried") return this.settle(row.id, "retried", { status: "PENDING", tries: { decrement: 1 } });
      const result = await this.attempt(row);
      this.options.onOutcome?.(row.platform, result);
      return result;
    })();
    // Settled outcomes only: a failure is the row's own (logged by the queue), the next goes on.
    const tail = outcome.catch((): SendOutcome => "retried");
    this.chats.set(chat, tail);
    void tail.then(() => {
      if (this.chats.get(chat) === tail) this.chats.delete(chat);
    });
    return outcome;
  }

  private async attempt(row: OutboxRow): Promise<SendOutcome> {
    const channel = this.options.channels[row.platform];
    if (!channel) return this.settle(row.id, "failed", { status: "FAILED", lastError: `no ${row.platform} channel configured` });
    const pacer = this.options.pacers?.[row.platform];
    let progress = row.progress;
    try {
      await pacer?.hold();
      await channel.deliver(row.chatId, row.payload, progress, () => {
        progress++;
      });
      // Every reply ends here.
      await this.sentMarks.add({ id: row.id, progress, at: this.clock() });
      return "sent";
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      if (error instanceof RecipientUnreachableError) {
        await this.options.prisma.platformAccount.updateMany({
          where: { platform: row.platform, chatId: row.chatId },
          data: unreachableMark(error, this.clock()),
        });
        return this.settle(row.id, "failed", { status: "FAILED", progress, lastError: message });
      }
      if (error instanceof RateLimitedError) {
        await pacer?.pauseFor(error.retryAfterMs);
        // Not the row's fault: the try is not counted.
        return this.settle(row.id, "retried", {
          status: "PENDING",
          progress,
          tries: { decrement: 1 },
          notBefore: new Date(this.clock().getTime() + error.retryAfterMs),
          lastError: message,
        });
      }
      if (row.tries >= this.maxTries) {
        this.options.logger.error({ err: error, outboxId: row.id, platform: row.platform }, "reply given up after its last try");
        return this.settle(row.id, "failed", { status: "FAILED", progress, lastError: message });
      }
      const backoffMs = Math.min(60_000, 500 * 2 ** (row.tries - 1));
      this.options.logger.warn({ err: message, outboxId: row.id, backoffMs }, "reply will be retried");
      return this.settle(row.id, "retried", {
        status: "PENDING",
        progress,
        notBefore: new Date(this.clock().getTime() + backoffMs),
        lastError: message,
      });
    }
  }

  private async settle(id: string, outcome: SendOutcome, data: Record<string, unknown>): Promise<SendOutcome> {
    // Only the holder settles: a row taken over after a lost lease belongs to someone else.
    await this.options.prisma.outboxMessage.updateMany({
      where: { id, lockedBy: this.workerId, status: "SENDING" },
      data: { lockedUntil: null, ...data },
    });
    return outcome;
  }

  async counts(): Promise<OutboxCounts> {
    const { prisma } = this.options;
    const [pending, failed, oldest] = await Promise.all([
      prisma.outboxMessage.count({ where: { status: { in: ["PENDING", "SENDING"] } } }),
      prisma.outboxMessage.count({ where: { status: "FAILED" } }),
      prisma.outboxMessage.findFirst({
        where: { status: { in: ["PENDING", "SENDING"] } },
        orderBy: { seq: "asc" },
        select: { createdAt: true },
      }),
    ]);
    const lagSeconds = oldest ? Math.max(0, (this.clock().getTime() - oldest.createdAt.getTime()) / 1000) : 0;
    return { pending, failed, lagSeconds };
  }

  /** Forgets sent replies after a day (they are the record of what went out until then). */
  async prune(olderThanMs = 24 * 3_600_000): Promise<number> {
    const { count } = await this.options.prisma.outboxMessage.deleteMany({
      where: { status: "SENT", sentAt: { lt: new Date(this.clock().getTime() - olderThanMs) } },
    });
    return count;
  }
}
