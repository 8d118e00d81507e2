// The durable inbox: an inbound platform event is recorded in the database before it is
// acknowledged, so nothing acknowledged is lost. A redelivery meets the unique key and is a
// no-op; the process working on an event holds it with a lease; an event whose lease ran out
// unfinished (the process died) is due again; one that keeps failing becomes DEAD for an
// organizer to see. Used by the Zalo channel; the Telegram pipeline is to follow (README).
import type { Platform, PrismaClient } from "../generated/prisma/client.js";
import { isUniqueViolation } from "../storage/errors.js";

export interface InboxOptions {
  /** How long a claim holds an event (default 60 s). */
  leaseMs?: number;
  /** Tries before an event is DEAD (default 5). */
  maxTries?: number;
  clock?: () => Date;
}

export class Inbox {
  private readonly leaseMs: number;
  private readonly maxTries: number;
  private readonly clock: () => Date;

  constructor(
    private readonly prisma: PrismaClient,
    options: InboxOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxTries = options.maxTries ?? 5;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Records an event; null when it was recorded before (a redelivery). */
  async record(platform: Platform, externalKey: string, payload: object): Promise<string | null> {
    try {
      const row = await this.prisma.inboundEvent.create({ data: { platform, externalKey, payload }, select: { id: true } });
      return row.id;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Takes the event for this process if it is pending and nobody holds it; its payload, or null. */
  async claim(id: string): Promise<unknown | null> {
    const now = this.clock();
    const { count } = await this.prisma.inboundEvent.updateMany({
      where: { id, status: "PENDING", OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      data: { lockedUntil: new Date(now.getTime() + this.leaseMs), tries: { increment: 1 } },
    });
    if (count === 0) return null;
    return (await this.prisma.inboundEvent.findUniqueOrThrow({ where: { id }, select: { payload: true } })).payload;
  }

  async done(id: string): Promise<void> {
    await this.prisma.inboundEvent.update({ where: { id }, data: { status: "DONE", processedAt: this.clock(), lockedUntil: null } });
  }

  /** Releases a failed event for a later try, or marks it DEAD after the last one. */
  async failed(id: string, error: unknown): Promise<void> {
    const row = await this.prisma.inboundEvent.findUniqueOrThrow({ where: { id }, select: { tries: true } });
    await this.prisma.inboundEvent.update({
      where: { id },
      data: {
        lockedUntil: null,
        lastError: String((error as Error)?.message ?? error).slice(0, 500),
        ...(row.tries >= this.maxTries ? { status: "DEAD" } : {}),
      },
    });
  }

  /** Pending events nobody holds, received more than `graceMs` ago, oldest first. */
  async due(platform: Platform, graceMs: number, limit = 50): Promise<string[]> {
    const now = this.clock();
    const rows = await this.prisma.inboundEvent.findMany({
      where: {
        platform,
        status: "PENDING",
        receivedAt: { lt: new Date(now.getTime() - graceMs) },
        OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
      },
      orderBy: { receivedAt: "asc" },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  async counts(platform: Platform): Promise<{ pending: number; dead: number }> {
    const [pending, dead] = await Promise.all([
      this.prisma.inboundEvent.count({ where: { platform, status: "PENDING" } }),
      this.prisma.inboundEvent.count({ where: { platform, status: "DEAD" } }),
    ]);
    return { pending, dead };
  }
}
