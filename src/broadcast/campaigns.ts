// Campaigns: an audience resolved to one delivery per recipient account (unique per campaign
// and account, so re-running a fan-out never duplicates), previewed before it is confirmed.
// Audiences, writing and progress stay together: they share the one audience query.

import { z } from "zod";
import { type ContestContext, unitSubtreeIds } from "../contest/context.js";
import type { Button } from "../engine/types.js";
import { type Platform, Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { isUniqueViolation } from "../storage/errors.js";
import { atomically, type Db } from "../storage/transaction.js";

export const buttonRowsSchema = z.array(z.array(z.object({ label: z.string().min(1).max(64), data: z.string().min(1).max(64) })));

/** A campaign's buttons column, read through its schema. */
export function campaignButtons(value: unknown): Button[][] | undefined {
  return value === null || value === undefined ? undefined : buttonRowsSchema.parse(value);
}

export type AudienceFilter =
  | { kind: "all"; platform?: Platform }
  | { kind: "unit"; unitCode: string; platform?: Platform }
  | { kind: "notAttempted"; platform?: Platform }
  /** Roster members (registered) without an attempt in the open round: the compulsory ones to remind. */
  | { kind: "rosterNotAttempted"; platform?: Platform }
  /** A unit admin's reminder: their subtree's registered people without an attempt in the open round. */
  | { kind: "unitNotAttempted"; unitCode: string; platform?: Platform };

export interface CampaignInput {
  name: string;
  text: string;
  buttons?: Button[][];
  audience: AudienceFilter;
  scheduledAt?: Date;
  createdBy: string;
}

function subtreeIds(contest: ContestContext, rootCode: string): string[] {
  const root = contest.units.find((u) => u.code === rootCode.toUpperCase());
  if (!root) throw new Error(`unknown unit ${rootCode}`);
  return unitSubtreeIds(contest.units, root.id);
}

export interface AudienceAccount {
  id: string;
  platform: Platform;
  blockedAt: Date | null;
  lastInteractionAt: Date | null;
}

/** Accounts per page: a page's deliveries go in one statement well under PostgreSQL's 65,535 parameters. */
const PAGE = 5_000;

/**
 * Accounts of registered participants matching the filter (blocked ones included: they are
 * skipped when sending), a page at a time in id order. The filter is SQL over the join: no list
 * of phones or ids is held in memory or sent back in a statement (the previous version loaded
 * every phone, then every account), so a province-wide audience costs a page of memory.
 */
export async function eachAudiencePage(
  db: Db,
  contest: ContestContext,
  filter: AudienceFilter,
  now: Date,
  each: (accounts: AudienceAccount[]) => Promise<void>,
): Promise<void> {
  const conditions: Prisma.Sql[] = [Prisma.sql`p."contestId" = ${contest.id}::uuid`];
  if (filter.platform) conditions.push(Prisma.sql`a.platform = ${filter.platform}::"Platform"`);
  if (filter.kind === "unit" || filter.kind === "unitNotAttempted")
    conditions.push(Prisma.sql`p."unitId" = ANY(${subtreeIds(contest, filter.unitCode)}::uuid[])`);
  if (filter.kind === "notAttempted" || filter.kind === "rosterNotAttempted" || filter.kind === "unitNotAttempted") {
    const round = await db.round.findFirst({ where: { contestId: contest.id, opensAt: { lte: now }, closesAt: { gt: now } } });
    if (round)
      conditions.push(
        Prisma.sql`NOT EXISTS (SELECT 1 FROM "Attempt" t WHERE t."participantId" = p.id AND t."roundId" = ${round.id}::uuid)`,
      );
  }
  if (filter.kind === "rosterNotAttempted")
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "RosterEntry" r WHERE r."contestId" = p."contestId" AND r.phone = p.phone)`);
  let after: string | null = null;
  for (;;) {
    const page: AudienceAccount[] = await db.$queryRaw<AudienceAccount[]>`
      SELECT a.id::text AS id, a.platform::text AS platform, a."blockedAt", a."lastInteractionAt"
      FROM "PlatformAccount" a JOIN "Participant" p ON p.phone = a.phone
      WHERE ${Prisma.join(conditions, " AND ")} AND (${after}::uuid IS NULL OR a.id > ${after}::uuid)
      ORDER BY a.id LIMIT ${PAGE}`;
    if (page.length > 0) await each(page);
    if (page.length < PAGE) return;
    after = page.at(-1)!.id;
  }
}

const HOUR_MS = 3_600_000;
/** Zalo consultation messages reach only people who interacted in the last 7 days… */
export const ZALO_WINDOW_MS = 7 * 24 * HOUR_MS;
/** …and are free within 48 h of that interaction, billed after. */
const ZALO_FREE_WINDOW_MS = 48 * HOUR_MS;

/**
 * Zalo recipients by messaging window: free within 48 h of their last interaction, billed by
 * Zalo from 48 h to 7 days, unreachable after (or blocked/unfollowed).
 */
function zaloWindows(accounts: { platform: Platform; blockedAt: Date | null; lastInteractionAt: Date | null }[], now: Date) {
  const counts = { within48h: 0, billed48hTo7d: 0, unreachable: 0 };
  for (const a of accounts) {
    if (a.platform !== "ZALO") continue;
    const age = a.lastInteractionAt ? now.getTime() - a.lastInteractionAt.getTime() : Number.POSITIVE_INFINITY;
    if (a.blockedAt || age > ZALO_WINDOW_MS) counts.unreachable++;
    else if (age > ZALO_FREE_WINDOW_MS) counts.billed48hTo7d++;
    else counts.within48h++;
  }
  return counts;
}

export async function previewCampaign(prisma: PrismaClient, contest: ContestContext, input: CampaignInput, now: Date) {
  const counts = { recipients: 0, blocked: 0, byPlatform: { TELEGRAM: 0, ZALO: 0, SIMULATOR: 0 } as Record<Platform, number> };
  const zalo = { within48h: 0, billed48hTo7d: 0, unreachable: 0 };
  await eachAudiencePage(prisma, contest, input.audience, now, async (accounts) => {
    counts.recipients += accounts.length;
    counts.blocked += accounts.filter((a) => a.blockedAt).length;
    for (const a of accounts) counts.byPlatform[a.platform]++;
    const windows = zaloWindows(accounts, now);
    for (const k of Object.keys(zalo) as (keyof typeof zalo)[]) zalo[k] += windows[k];
  });
  return { text: input.text, buttons: input.buttons ?? [], ...counts, zalo };
}

export interface CampaignRecord {
  name: string;
  text: string;
  buttons?: Button[][];
  /** The filter as given, or a marker for system campaigns (round notices, reminders). */
  audience: object;
  scheduledAt: Date;
  createdBy: string;
  /** For campaigns the system creates once (see the Campaign model): a second write is refused. */
  systemKey?: string;
}

export interface DeliveryRecord {
  accountId: string;
  /** Personal text instead of the campaign's. */
  text?: string;
  /** Not before this time (per-recipient timing). */
  notBefore?: Date;
}

/**
 * The deliveries of a campaign, handed to `write` a page at a time (an audience is read in
 * pages), reading through `db`: the writing transaction (on PGlite, its only connection).
 */
export type DeliverySource = (db: Db, write: (deliveries: DeliveryRecord[]) => Promise<void>) => Promise<void>;

/**
 * Writes a campaign and its deliveries (one per account) in one transaction. Returns null, and
 * writes nothing, when a campaign with the same `systemKey` exists (another instance won).
 */
export async function writeCampaign(prisma: PrismaClient, contestId: string, campaign: CampaignRecord, deliveries: DeliverySource) {
  try {
    return await insertCampaign(prisma, contestId, campaign, deliveries);
  } catch (error) {
    if (campaign.systemKey && isUniqueViolation(error)) return null;
    throw error;
  }
}

/** A transaction long enough for a province-wide audience (the default 5 s is not). */
const WRITE_TIMEOUT_MS = 10 * 60_000;

/** In a transaction of its own, or in the caller's (a conversation turn's) when `db` is one. */
function insertCampaign(db: Db, contestId: string, campaign: CampaignRecord, deliveries: DeliverySource) {
  return atomically(
    db,
    async (tx) => {
      const row = await tx.campaign.create({
        data: {
          contestId,
          name: campaign.name,
          text: campaign.text,
          // Plain rows of {label, data}: JSON as they are (read back through buttonRowsSchema).
          buttons: campaign.buttons?.map((row) => row.map((b) => ({ label: b.label, data: b.data }))),
          audience: campaign.audience,
          systemKey: campaign.systemKey,
          status: "SCHEDULED",
          scheduledAt: campaign.scheduledAt,
          createdBy: campaign.createdBy,
        },
      });
      await deliveries(tx, async (page) => {
        await tx.delivery.createMany({ data: page.map((d) => ({ campaignId: row.id, ...d })), skipDuplicates: true });
      });
      return row;
    },
    { timeout: WRITE_TIMEOUT_MS, maxWait: 60_000 },
  );
}

export async function createCampaign(db: Db, contest: ContestContext, input: CampaignInput & { systemKey?: string }, now: Date) {
  return insertCampaign(db, contest.id, { ...input, scheduledAt: input.scheduledAt ?? now }, (tx, write) =>
    eachAudiencePage(tx, contest, input.audience, now, (accounts) => write(accounts.map((a) => ({ accountId: a.id })))),
  );
}

export interface Progress {
  status: string;
  /** Why the sender paused the campaign by itself (e.g. Zalo billing). */
  pausedReason: string | null;
  /** false while recipients are still being queued (total grows until then). */
  recipientsQueued: boolean;
  total: number;
  sent: number;
  failed: number;
  skipped: number;
  pending: number;
  /** Messages per second over the last minute. */
  ratePerSecond: number;
  /** Seconds until the pending ones are out at that rate; null when nothing is moving. */
  secondsLeft: number | null;
}

export async function campaignProgress(prisma: PrismaClient, campaignId: string, now: Date = new Date()): Promise<Progress> {
  const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const groups = await prisma.delivery.groupBy({ by: ["status"], where: { campaignId }, _count: { _all: true } });
  const count = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  const total = groups.reduce((n, g) => n + g._count._all, 0);
  const lastMinute = await prisma.delivery.count({
    where: { campaignId, status: "SENT", sentAt: { gt: new Date(now.getTime() - 60_000) } },
  });
  const ratePerSecond = Math.round((lastMinute / 60) * 100) / 100;
  const pending = count("PENDING") + count("SENDING");
  return {
    status: campaign.status,
    pausedReason: campaign.pausedReason,
    recipientsQueued: campaign.recipientsQueued,
    total,
    sent: count("SENT"),
    failed: count("FAILED"),
    skipped: count("SKIPPED"),
    pending,
    ratePerSecond,
    secondsLeft: pending === 0 ? 0 : ratePerSecond > 0 ? Math.ceil(pending / ratePerSecond) : null,
  };
}

export async function setCampaignStatus(prisma: PrismaClient, campaignId: string, status: "PAUSED" | "SCHEDULED" | "CANCELLED") {
  await prisma.campaign.update({ where: { id: campaignId }, data: { status, pausedReason: null } });
  if (status === "CANCELLED") {
    await prisma.delivery.updateMany({
      where: { campaignId, status: "PENDING" },
      data: { status: "SKIPPED", lastError: "campaign cancelled" },
    });
  }
}

/** Deliveries waiting to be sent or being sent, over every campaign (the outbox backlog). */
export function pendingDeliveries(prisma: PrismaClient): Promise<number> {
  return prisma.delivery.count({ where: { status: { in: ["PENDING", "SENDING"] } } });
}
