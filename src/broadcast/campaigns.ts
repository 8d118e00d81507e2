// Campaigns: an audience resolved to one delivery per recipient account (unique per campaign
// and account, so re-running a fan-out never duplicates), previewed before it is confirmed.

import { z } from "zod";
import { type ContestContext, unitSubtreeIds } from "../contest/context.js";
import type { Button } from "../engine/types.js";
import type { Platform, PrismaClient } from "../generated/prisma/client.js";
import { isUniqueViolation } from "../storage/errors.js";

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
  | { kind: "rosterNotAttempted"; platform?: Platform };

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

/** Accounts of registered participants matching the filter (blocked ones included: they are skipped when sending). */
export async function audienceAccounts(prisma: PrismaClient, contest: ContestContext, filter: AudienceFilter, now: Date) {
  const participantWhere: Record<string, unknown> = { contestId: contest.id };
  if (filter.kind === "unit") participantWhere.unitId = { in: subtreeIds(contest, filter.unitCode) };
  if (filter.kind === "notAttempted" || filter.kind === "rosterNotAttempted") {
    const round = await prisma.round.findFirst({ where: { contestId: contest.id, opensAt: { lte: now }, closesAt: { gt: now } } });
    if (round) participantWhere.attempts = { none: { roundId: round.id } };
  }
  if (filter.kind === "rosterNotAttempted") {
    const roster = await prisma.rosterEntry.findMany({ where: { contestId: contest.id }, select: { phone: true } });
    participantWhere.phone = { in: roster.map((r) => r.phone) };
  }
  const phones = (await prisma.participant.findMany({ where: participantWhere, select: { phone: true } })).map((p) => p.phone);
  return prisma.platformAccount.findMany({
    where: { phone: { in: phones }, ...(filter.platform ? { platform: filter.platform } : {}) },
    select: { id: true, platform: true, blockedAt: true, lastInteractionAt: true },
  });
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
  const accounts = await audienceAccounts(prisma, contest, input.audience, now);
  return {
    text: input.text,
    buttons: input.buttons ?? [],
    recipients: accounts.length,
    blocked: accounts.filter((a) => a.blockedAt).length,
    byPlatform: Object.fromEntries(["TELEGRAM", "ZALO", "SIMULATOR"].map((p) => [p, accounts.filter((a) => a.platform === p).length])),
    zalo: zaloWindows(accounts, now),
  };
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
 * Writes a campaign and its deliveries (one per account) in one transaction. Returns null, and
 * writes nothing, when a campaign with the same `systemKey` exists (another instance won).
 */
export async function writeCampaign(prisma: PrismaClient, contestId: string, campaign: CampaignRecord, deliveries: DeliveryRecord[]) {
  try {
    return await insertCampaign(prisma, contestId, campaign, deliveries);
  } catch (error) {
    if (campaign.systemKey && isUniqueViolation(error)) return null;
    throw error;
  }
}

function insertCampaign(prisma: PrismaClient, contestId: string, campaign: CampaignRecord, deliveries: DeliveryRecord[]) {
  return prisma.$transaction(async (tx) => {
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
    await tx.delivery.createMany({ data: deliveries.map((d) => ({ campaignId: row.id, ...d })), skipDuplicates: true });
    return row;
  });
}

export async function createCampaign(prisma: PrismaClient, contest: ContestContext, input: CampaignInput, now: Date) {
  const accounts = await audienceAccounts(prisma, contest, input.audience, now);
  return insertCampaign(
    prisma,
    contest.id,
    { ...input, scheduledAt: input.scheduledAt ?? now },
    accounts.map((a) => ({ accountId: a.id })),
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
