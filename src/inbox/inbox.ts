// The durable inbox: an inbound platform event is recorded in the database before it is
// acknowledged, so nothing acknowledged is lost. A redelivery meets the unique key and is a
// no-op. Workers claim events with a lease they renew while they work; an actor's events are
// claimed one at a time in arrival order (never two of one person at once, on any instance),
// enforced by the claim query itself. A failed event is retried with back-off and becomes
// DEAD after the last try, for an organizer to see (/readyz, /metrics, the admin API).
import type { Platform, PrismaClient } from "../generated/prisma/client.js";
import type { SqlRunner } from "../storage/migrate.js";
import { RecordBatcher, type Recorded } from "./record-batcher.js";

export interface InboxOptions {
  /** How long a claim holds an event without renewal (default 60 s). */
  leaseMs?: number;
  /** Tries before an event is DEAD (default 5). */
  maxTries?: number;
  clock?: () => Date;
}

export interface ClaimedEvent {
  id: string;
  platform: Platform;
  payload: unknown;
  tries: number;
}

export interface InboxCounts {
  pending: number;
  dead: number;
  /** Age in seconds of the oldest pending event (0 when none). */
  lagSeconds: number;
}

export class Inbox {
  readonly leaseMs: number;
  private readonly maxTries: number;
  private readonly clock: () => Date;
  private readonly records: RecordBatcher;

  constructor(
    private readonly prisma: PrismaClient,
    /** Where records are written, apart from the busy pool (Database.urgent). */
    private readonly urgent: SqlRunner,
    options: InboxOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxTries = options.maxTries ?? 5;
    this.clock = options.clock ?? (() => new Date());
    this.records = new RecordBatcher(urgent);
  }

  /**
   * Records an event (grouped with those arriving meanwhile); null when it was recorded before (a
   * redelivery). With `claimFor`, claimed for that worker in the same statement when it may be
   * (RecordBatcher): only for a database one process owns.
   */
  record(platform: Platform, externalKey: string, actorKey: string, payload: object, claimFor?: string): Promise<Recorded | null> {
    const claim = claimFor ? { workerId: claimFor, lockedUntil: new Date(this.clock().getTime() + this.leaseMs) } : undefined;
    return this.records.record(platform, externalKey, actorKey, payload, claim);
  }

  /**
   * Claims up to `limit` due events for `workerId`: each the oldest unfinished event of its
   * actor, so a batch never holds two events of one person and a person's next event waits
   * until the previous one is DONE or DEAD. "The oldest" is a scalar subquery, one probe of the
   * pending index per candidate: run prepared, on a generic plan, a NOT EXISTS had become a join
   * over every pending event (9 ms a claim at 100 webhooks in flight on PGlite), and a one-pass
   * DISTINCT ON costs ~60 ms on a backlog of 50,000 (measured; docs/pipeline.md).
   */
  async claim(workerId: string, limit: number): Promise<ClaimedEvent[]> {
    const now = this.clock();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    return this.urgent.query<ClaimedEvent & Record<string, unknown>>(
      `UPDATE "InboundEvent" SET "lockedBy" = $1, "lockedUntil" = $2, tries = tries + 1
       WHERE id IN (
         SELECT e.id FROM "InboundEvent" e
         WHERE e.status = 'PENDING'
           AND (e."lockedUntil" IS NULL OR e."lockedUntil" < $3)
           AND (e."notBefore" IS NULL OR e."notBefore" <= $3)
           AND e.seq = (SELECT p.seq FROM "InboundEvent" p WHERE p."actorKey" = e."actorKey" AND p.status = 'PENDING'
                        ORDER BY p.seq LIMIT 1)
         ORDER BY e.seq
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING id::text AS id, platform::text AS platform, payload, tries`,
      [workerId, leaseUntil, now, limit],
    );
  }

  /** Frees the claims of every other worker (only where this process is the database's only one). */
  async releaseOthers(workerId: string): Promise<void> {
    await this.prisma.inboundEvent.updateMany({
      where: { status: "PENDING", lockedBy: { not: workerId } },
      data: { lockedBy: null, lockedUntil: null },
    });
  }

  /** Keeps the worker's claims alive while it works. */
  async renew(workerId: string): Promise<void> {
    await this.prisma.inboundEvent.updateMany({
      where: { lockedBy: workerId, status: "PENDING" },
      data: { lockedUntil: new Date(this.clock().getTime() + this.leaseMs) },
    });
  }

  /** Marks an event handled outside a conversation turn (turns mark it in their transaction). */
  async done(id: string): Promise<void> {
    await this.prisma.inboundEvent.updateMany({
      where: { id, status: "PENDING" },
      data: { status: "DONE", processedAt: this.clock(), lockedUntil: null },
    });
  }

  /** Releases a failed event for a later try (back-off 1, 2, 4… s), or marks it DEAD after the last. */
  async failed(event: ClaimedEvent, error: unknown): Promise<"retry" | "dead"> {
    const dead = event.tries >= this.maxTries;
    await this.prisma.inboundEvent.updateMany({
      where: { id: event.id, status: "PENDING" },
      data: {
        lockedUntil: null,
        lockedBy: null,
        lastError: String((error as Error)?.message ?? error).slice(0, 500),
        notBefore: new Date(this.clock().getTime() + 1_000 * 2 ** (event.tries - 1)),
        ...(dead ? { status: "DEAD" } : {}),
      },
    });
    return dead ? "dead" : "retry";
  }

  async counts(platform?: Platform): Promise<InboxCounts> {
    const where = platform ? { platform } : {};
    const [pending, dead, oldest] = await Promise.all([
      this.prisma.inboundEvent.count({ where: { ...where, status: "PENDING" } }),
      this.prisma.inboundEvent.count({ where: { ...where, status: "DEAD" } }),
      this.prisma.inboundEvent.findFirst({ where: { ...where, status: "PENDING" }, orderBy: { seq: "asc" }, select: { receivedAt: true } }),
    ]);
    const lagSeconds = oldest ? Math.max(0, (this.clock().getTime() - oldest.receivedAt.getTime()) / 1000) : 0;
    return { pending, dead, lagSeconds };
  }

  /** The DEAD events, newest first, without their payloads (personal data stays in the database). */
  dead(limit = 100) {
    return this.prisma.inboundEvent.findMany({
      where: { status: "DEAD" },
      orderBy: { seq: "desc" },
      take: limit,
      select: { id: true, platform: true, externalKey: true, receivedAt: true, tries: true, lastError: true },
    });
  }

  /** Puts a DEAD event back in line for a fresh series of tries (after its cause was fixed); false if it is not DEAD. */
  async revive(id: string): Promise<boolean> {
    const { count } = await this.prisma.inboundEvent.updateMany({
      where: { id, status: "DEAD" },
      data: { status: "PENDING", tries: 0, notBefore: null, lockedUntil: null, lockedBy: null },
    });
    return count === 1;
  }

  /** Forgets finished events once no redelivery can come (Telegram keeps updates 24 h). */
  async prune(olderThanMs = 48 * 3_600_000): Promise<number> {
    const { count } = await this.prisma.inboundEvent.deleteMany({
      where: { status: "DONE", processedAt: { lt: new Date(this.clock().getTime() - olderThanMs) } },
    });
    return count;
  }
}
