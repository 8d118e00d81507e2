// Closes rounds on schedule: finalises unfinished attempts, freezes the results, and queues a
// personal notice (score and rank) to every participant of the round as a campaign. Its
// deliveries (one per account, no text) are queued in chunks of accounts: the first with
// the campaign, the rest by the background work ahead of the sender (`queueNoticeChunks`), so
// closing a round of a million attempts does not wait for a million rows and their foreign-key
// checks. Each text is written when it is sent, from the frozen ranking (`noticeTexts`).

import { z } from "zod";
import { roundScope } from "../certificates/issue.js";
import type { ContestContext } from "../contest/context.js";
import { formatDuration } from "../engine/format.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { M } from "../messages/index.js";
import { isUniqueViolation } from "../storage/errors.js";
import type { ResultsService } from "./results.js";

/** "Nguyễn Thị Lan" → "Nguyễn T. L." for public top lists. */
export function maskName(fullName: string): string {
  const [family, ...rest] = fullName.split(" ");
  return [family, ...rest.map((w) => `${w[0] ?? ""}.`)].join(" ");
}

/** The audience marker of a round's notice campaign. */
const noticeMarker = z.object({ kind: z.literal("roundParticipants"), round: z.number() });
const noticeKey = (round: number) => `round-notices:${round}`;
/** Accounts queued per chunk by default (a fraction of a second of database work). */
const CHUNK = 10_000;

export class RoundCloser {
  /** Ranked attempts per closed round (frozen, so never stale), for "Xếp hạng: r/N". */
  private readonly rankedCounts = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly contest: ContestContext,
    private readonly results: ResultsService,
    private readonly logger: Logger,
    private readonly chunk = CHUNK,
  ) {}

  /**
   * Closes every round whose window has ended; returns the numbers closed. Also queues the
   * notices of a round closed without them (the process stopped in between).
   */
  async tick(now: Date): Promise<number[]> {
    const due = await this.prisma.round.findMany({
      where: { contestId: this.contest.id, closesAt: { lte: now }, closedAt: null },
      orderBy: { number: "asc" },
    });
    const closed: number[] = [];
    for (const round of due) {
      await this.close(round.id, now);
      closed.push(round.number);
    }
    const unnotified = await this.prisma.$queryRaw<{ id: string; number: number }[]>`
      SELECT r.id::text AS id, r.number FROM "Round" r
      WHERE r."contestId" = ${this.contest.id}::uuid AND r."closedAt" IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM "Campaign" c WHERE c."contestId" = r."contestId" AND c."systemKey" = 'round-notices:' || r.number)`;
    for (const round of unnotified) await this.queueNotices(round, now);
    return closed;
  }

  /**
   * Closes the round and queues the result notices; returns the notice campaign's id. Only the
   * call that actually closed the round queues them (a repeat gets the existing campaign, a
   * racing instance possibly null while the winner is still writing it), so nobody is
   * notified twice.
   */
  async close(roundId: string, now: Date): Promise<string | null> {
    const round = await this.prisma.round.findUniqueOrThrow({ where: { id: roundId } });
    const { closedNow } = await this.results.closeRound(roundId, now);
    if (closedNow) return this.queueNotices(round, now);
    const existing = await this.prisma.campaign.findUnique({
      where: { contestId_systemKey: { contestId: this.contest.id, systemKey: noticeKey(round.number) } },
      select: { id: true },
    });
    return existing?.id ?? null;
  }

  /** The notice campaign and its first chunk of deliveries, in one transaction; null if it exists. */
  private async queueNotices(round: { id: string; number: number }, now: Date): Promise<string | null> {
    try {
      const id = await this.prisma.$transaction(async (tx) => {
        const campaign = await tx.campaign.create({
          data: {
            contestId: this.contest.id,
            name: M.resultsCampaignName(round.number),
            text: M.roundClosedGeneric(round.number),
            audience: { kind: "roundParticipants", round: round.number },
            systemKey: noticeKey(round.number),
            status: "SCHEDULED",
            scheduledAt: now,
            createdBy: "system",
            recipientsQueued: false,
          },
          select: { id: true },
        });
        await this.queueChunk(tx, { id: campaign.id, queuedThrough: null }, round.id);
        return campaign.id;
      });
      this.logger.info({ round: round.number }, "round closed; result notices queued");
      return id;
    } catch (error) {
      if (isUniqueViolation(error)) return null; // another instance queued them
      throw error;
    }
  }

  /**
   * Queues the next chunk of every notice campaign still queuing its recipients (background
   * work; instances take different campaigns, and the unique (campaign, account) would refuse a
   * repeat anyway). Returns the deliveries queued.
   */
  async queueNoticeChunks(): Promise<number> {
    let queued = 0;
    for (;;) {
      const n = await this.prisma.$transaction(async (tx) => {
        const [campaign] = await tx.$queryRaw<{ id: string; queuedThrough: string | null; audience: unknown }[]>`
          SELECT id::text AS id, "queuedThrough"::text AS "queuedThrough", audience FROM "Campaign"
          WHERE "contestId" = ${this.contest.id}::uuid AND NOT "recipientsQueued" AND status IN ('SCHEDULED', 'RUNNING', 'PAUSED')
          ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED`;
        if (!campaign) return -1;
        const marker = noticeMarker.parse(campaign.audience);
        const round = await tx.round.findUniqueOrThrow({
          where: { contestId_number: { contestId: this.contest.id, number: marker.round } },
          select: { id: true },
        });
        return this.queueChunk(tx, campaign, round.id);
      });
      if (n < 0) return queued;
      queued += n;
    }
  }

  /**
   * Queues a delivery for the next `chunk` accounts (in id order, after the campaign's cursor) of
   * people with a finished attempt in the round; marks the campaign queued after the last one.
   */
  private async queueChunk(tx: Prisma.TransactionClient, campaign: { id: string; queuedThrough: string | null }, roundId: string) {
    const [chunk] = await tx.$queryRaw<{ n: number; last: string | null }[]>`
      WITH next AS (
        SELECT acc.id FROM "PlatformAccount" acc
        WHERE (${campaign.queuedThrough}::uuid IS NULL OR acc.id > ${campaign.queuedThrough}::uuid) AND EXISTS (
          SELECT 1 FROM "Participant" p JOIN "Attempt" a ON a."participantId" = p.id
          WHERE p."contestId" = ${this.contest.id}::uuid AND p.phone = acc.phone
            AND a."roundId" = ${roundId}::uuid AND a.status IN ('SUBMITTED', 'EXPIRED'))
        ORDER BY acc.id LIMIT ${this.chunk}
      ), queued AS (
        INSERT INTO "Delivery" (id, "campaignId", "accountId")
        SELECT uuid_v7(), ${campaign.id}::uuid, id FROM next ON CONFLICT DO NOTHING
      )
      SELECT count(*)::int AS n, max(id::text) AS last FROM next`;
    const { n, last } = chunk!;
    await tx.campaign.update({
      where: { id: campaign.id },
      data: { queuedThrough: last ?? campaign.queuedThrough, recipientsQueued: n < this.chunk },
    });
    // An empty last chunk brings no delivery whose sending would finish the campaign: finish it here.
    if (n === 0)
      await tx.$executeRaw`UPDATE "Campaign" c SET status = 'DONE' WHERE c.id = ${campaign.id}::uuid AND c.status = 'RUNNING'
        AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."campaignId" = c.id AND d.status IN ('PENDING', 'SENDING'))`;
    return n;
  }

  /**
   * The personal texts of a batch of a notice campaign's deliveries, by account id (the
   * broadcast sender asks when it sends them); empty for any other campaign.
   */
  async noticeTexts(campaignAudience: unknown, accountIds: string[]): Promise<Map<string, string>> {
    const marker = noticeMarker.safeParse(campaignAudience);
    if (!marker.success || accountIds.length === 0) return new Map();
    const round = await this.prisma.round.findUnique({
      where: { contestId_number: { contestId: this.contest.id, number: marker.data.round } },
    });
    if (!round) return new Map();
    const rows = await this.prisma.$queryRaw<
      { accountId: string; score: number | null; durationMs: number | null; questions: number; rank: number | null; certified: boolean }[]
    >`
      SELECT acc.id::text AS "accountId", a.score, a."durationMs", rr.rank,
        EXISTS (SELECT 1 FROM "Certificate" c WHERE c."participantId" = p.id AND c.scope = ${roundScope(round.number)}) AS certified,
        (SELECT count(*) FROM "AttemptQuestion" q WHERE q."attemptId" = a.id)::int AS questions
      FROM "PlatformAccount" acc
        JOIN "Participant" p ON p.phone = acc.phone AND p."contestId" = ${this.contest.id}::uuid
        JOIN "Attempt" a ON a."participantId" = p.id AND a."roundId" = ${round.id}::uuid
        LEFT JOIN "RoundRanking" rr ON rr."roundId" = a."roundId" AND rr."participantId" = p.id
      WHERE acc.id IN (${Prisma.join(accountIds.map((id) => Prisma.sql`${id}::uuid`))})`;
    const ranked = await this.rankedCount(round.id);
    return new Map(
      rows.map((r) => [
        r.accountId,
        M.roundResultNotice(round.number, r.score ?? 0, r.questions, formatDuration(r.durationMs ?? 0), r.rank ?? undefined, ranked) +
          (r.certified ? M.certificateNoticeHint : ""),
      ]),
    );
  }

  private async rankedCount(roundId: string): Promise<number> {
    let n = this.rankedCounts.get(roundId);
    if (n === undefined) {
      const [row] = await this.prisma.$queryRaw<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM "RoundRanking" WHERE "roundId" = ${roundId}::uuid`;
      n = row!.n;
      this.rankedCounts.set(roundId, n);
    }
    return n;
  }

  /** The public announcement: top of the ranking with masked names and units, then the unit prizes. */
  async announcement(roundId: string, top = 10): Promise<string> {
    const round = await this.prisma.round.findUniqueOrThrow({ where: { id: roundId } });
    const { rows, ranked, actual } = await this.results.top(roundId, top);
    const people = await this.prisma.participant.findMany({
      where: { id: { in: rows.map((r) => r.participantId) } },
      include: { unit: true },
    });
    const byId = new Map(people.map((p) => [p.id, p]));
    const lines = rows.map((r) => {
      const p = byId.get(r.participantId)!;
      return M.announcementLine(r.rank, maskName(p.fullName), p.unit?.name ?? "—", r.score, formatDuration(r.durationMs));
    });
    const unitLines = (await this.results.unitRanking(roundId))
      .filter((u) => u.prize !== null && u.rank !== null)
      .map((u) => M.unitPrizeLine(u.rank!, u.name, u.prize!, u.explanation));
    return M.roundAnnouncement(round.number, ranked, actual, lines, unitLines);
  }
}
