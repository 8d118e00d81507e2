// Closes rounds on schedule: finalises unfinished attempts, freezes the results, and queues a
// personal notice (score and rank) to every participant of the round as a campaign.

import { writeCampaign } from "../broadcast/campaigns.js";
import type { ContestContext } from "../contest/context.js";
import { formatDuration } from "../engine/format.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { M } from "../messages/index.js";
import type { ResultsService } from "./results.js";

/** "Nguyễn Thị Lan" → "Nguyễn T. L." for public top lists. */
export function maskName(fullName: string): string {
  const [family, ...rest] = fullName.split(" ");
  return [family, ...rest.map((w) => `${w[0] ?? ""}.`)].join(" ");
}

export class RoundCloser {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly contest: ContestContext,
    private readonly results: ResultsService,
    private readonly logger: Logger,
  ) {}

  /** Closes every round whose window has ended; returns the numbers closed. */
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
    const marker = { kind: "roundParticipants", round: round.number };
    const systemKey = `round-notices:${round.number}`;
    const existing = () =>
      this.prisma.campaign.findUnique({ where: { contestId_systemKey: { contestId: this.contest.id, systemKey } }, select: { id: true } });
    const { closedNow } = await this.results.closeRound(roundId, now);
    if (!closedNow) return (await existing())?.id ?? null;
    const { ranking } = await this.results.roundResults(roundId);
    const rankOf = new Map(ranking.map((r) => [r.participantId, r.rank]));
    const attempts = await this.prisma.attempt.findMany({
      where: { roundId, status: { in: ["SUBMITTED", "EXPIRED"] } },
      include: { participant: true, _count: { select: { questions: true } } },
    });
    // One query for every participant's accounts (a person may have several platforms).
    const accounts = await this.prisma.platformAccount.findMany({
      where: { phone: { in: attempts.map((a) => a.participant.phone) } },
      select: { id: true, phone: true },
    });
    const deliveries = attempts.flatMap((a) => {
      const text = M.roundResultNotice(
        round.number,
        a.score ?? 0,
        a._count.questions,
        formatDuration(a.durationMs ?? 0),
        rankOf.get(a.participantId),
        ranking.length,
      );
      return accounts.filter((acc) => acc.phone === a.participant.phone).map((acc) => ({ accountId: acc.id, text }));
    });
    const campaign = await writeCampaign(
      this.prisma,
      this.contest.id,
      {
        name: M.resultsCampaignName(round.number),
        text: M.roundClosedGeneric(round.number),
        audience: marker,
        systemKey,
        scheduledAt: now,
        createdBy: "system",
      },
      deliveries,
    );
    this.logger.info({ round: round.number, notices: attempts.length }, "round closed; result notices queued");
    return campaign?.id ?? (await existing())?.id ?? null;
  }

  /** The public announcement: top of the ranking with masked names and units. */
  async announcement(roundId: string, top = 10): Promise<string> {
    const round = await this.prisma.round.findUniqueOrThrow({ where: { id: roundId } });
    const { ranking, actual } = await this.results.roundResults(roundId);
    const people = await this.prisma.participant.findMany({
      where: { id: { in: ranking.slice(0, top).map((r) => r.participantId) } },
      include: { unit: true },
    });
    const byId = new Map(people.map((p) => [p.id, p]));
    const lines = ranking.slice(0, top).map((r) => {
      const p = byId.get(r.participantId)!;
      return M.announcementLine(r.rank, maskName(p.fullName), p.unit?.name ?? "—", r.score, formatDuration(r.durationMs));
    });
    return M.roundAnnouncement(round.number, ranking.length, actual, lines);
  }
}
