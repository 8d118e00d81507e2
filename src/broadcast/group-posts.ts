// Messages to Telegram groups tied to a unit (/donvi): the unit's standing when a round closes
// (participants, rate against target, place among the competing units), and, when the contest
// file sets `groupDigest.hour`, a daily digest while a round is open. A post is a row unique per
// group and key, so several instances write it once; sending claims rows with a lease (like the
// broadcast deliveries), so each is sent once unless a sender dies mid-send.
import { DateTime } from "luxon";
import type { ContestContext } from "../contest/context.js";
import { UnitTools } from "../domain/unit-tools.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { M } from "../messages/index.js";
import type { ResultsService } from "../results/results.js";
import { type Messenger, RateLimitedError, RecipientUnreachableError } from "./messenger.js";

const LEASE_MS = 60_000;
const MAX_TRIES = 5;
const BATCH = 20;
/** A round's standing goes to groups for a day after its close (not to groups tied later). */
const FRESH_MS = 86_400_000;

export class GroupPosts {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly contest: ContestContext,
    private readonly results: ResultsService,
    private readonly telegram: Messenger,
    private readonly logger: Logger,
  ) {}

  async tick(now: Date): Promise<void> {
    const groups = await this.prisma.telegramGroup.findMany();
    if (groups.length > 0) {
      await this.queueRoundStandings(groups, now);
      await this.queueDailyDigest(groups, now);
    }
    await this.sendPending(now);
  }

  private async queueRoundStandings(groups: { chatId: string; unitCode: string }[], now: Date): Promise<void> {
    const round = await this.prisma.round.findFirst({
      where: { contestId: this.contest.id, closedAt: { gt: new Date(now.getTime() - FRESH_MS) } },
      orderBy: { number: "desc" },
    });
    if (!round) return;
    const key = `round:${round.number}`;
    // Every tick for a day after the close: only groups without the post yet cost anything.
    const waiting = await this.unposted(groups, key);
    if (waiting.length === 0) return;
    const units = await this.results.unitRanking(round.id);
    const competing = units.filter((u) => u.rank !== null).length;
    const posts = waiting.flatMap((g) => {
      const u = units.find((x) => x.code === g.unitCode);
      if (!u) return [];
      return [
        {
          chatId: g.chatId,
          key,
          text: M.groupRoundStanding(round.number, u.name, u.participants, u.rate, u.rank, competing),
        },
      ];
    });
    await this.prisma.groupPost.createMany({ data: posts, skipDuplicates: true });
  }

  private async queueDailyDigest(groups: { chatId: string; unitCode: string }[], now: Date): Promise<void> {
    const hour = this.contest.def.groupDigest?.hour;
    const local = DateTime.fromJSDate(now, { zone: this.contest.timezone });
    if (hour === undefined || local.hour < hour) return;
    const key = `day:${local.toISODate()}`;
    const tools = new UnitTools(this.prisma, this.contest);
    const posts = [];
    for (const g of await this.unposted(groups, key)) {
      const s = await tools.standing(g.unitCode, now);
      if (!s) return; // no round open: no digest today
      posts.push({
        chatId: g.chatId,
        key,
        text: M.groupDailyDigest(s.round, s.unit.name, s.attempted, s.base, s.rate, s.attempted - s.attemptedDayAgo),
      });
    }
    await this.prisma.groupPost.createMany({ data: posts, skipDuplicates: true });
  }

  /** The groups that have no post under this key yet. */
  private async unposted<G extends { chatId: string }>(groups: G[], key: string): Promise<G[]> {
    const done = new Set((await this.prisma.groupPost.findMany({ where: { key }, select: { chatId: true } })).map((p) => p.chatId));
    return groups.filter((g) => !done.has(g.chatId));
  }

  /** Claims and sends pending posts; a refused one is retried a few times, a group the bot left is given up. */
  private async sendPending(now: Date): Promise<void> {
    const claimed = await this.prisma.$queryRaw<{ id: string; chatId: string; text: string; tries: number }[]>`
      UPDATE "GroupPost" SET status = 'SENDING', "lockedUntil" = ${new Date(now.getTime() + LEASE_MS)}, tries = tries + 1
      WHERE id IN (SELECT id FROM "GroupPost" WHERE status = 'PENDING' OR (status = 'SENDING' AND "lockedUntil" < ${now})
        ORDER BY "createdAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id, "chatId", text, tries`;
    for (const post of claimed) {
      try {
        await this.telegram.send(post.chatId, { text: post.text });
        await this.prisma.groupPost.update({ where: { id: post.id }, data: { status: "SENT", sentAt: new Date(), lockedUntil: null } });
      } catch (error) {
        const gone = error instanceof RecipientUnreachableError;
        const giveUp = gone || (!(error instanceof RateLimitedError) && post.tries >= MAX_TRIES);
        this.logger.warn({ err: (error as Error).message, chatId: post.chatId, giveUp }, "group post not sent");
        await this.prisma.groupPost.update({
          where: { id: post.id },
          data: { status: giveUp ? "FAILED" : "PENDING", lastError: (error as Error).message.slice(0, 500), lockedUntil: null },
        });
        if (error instanceof RateLimitedError) return;
      }
    }
  }
}
