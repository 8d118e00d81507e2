// What a unit admin asks of the bot about their unit, read and written through the turn's
// transaction: the open round's participation of the unit's subtree against its target, its
// place among sibling units and the change over 24 hours; and the reminder to the subtree's
// registered people who have not attempted the open round, at most one per unit per day (a
// campaign whose system key holds the unit and the day: the database refuses a second).
import { DateTime } from "luxon";
import { type AudienceFilter, createCampaign, eachAudiencePage } from "../broadcast/campaigns.js";
import type { ContestContext } from "../contest/context.js";
import type { Button } from "../engine/types.js";
import { Prisma, type Round, type Unit } from "../generated/prisma/client.js";
import { rollUp, type UnitTotals } from "../results/ranking.js";
import type { Db } from "../storage/transaction.js";

export interface UnitStanding {
  round: number;
  unit: Unit;
  attempted: number;
  /** Target, else headcount. */
  base: number | null;
  rate: number | null;
  /** Place among the units with the same parent (by rate when they all have a base, else by people). */
  rank: number;
  siblings: number;
  parent: Unit | undefined;
  /** People who had finished an attempt 24 hours ago. */
  attemptedDayAgo: number;
}

const DAY_MS = 86_400_000;
const percent = (n: number, base: number | null) => (base ? Math.round((n / base) * 1000) / 10 : null);

export class UnitTools {
  constructor(
    private readonly db: Db,
    private readonly contest: ContestContext,
  ) {}

  private openRound(now: Date): Promise<Round | null> {
    return this.db.round.findFirst({ where: { contestId: this.contest.id, opensAt: { lte: now }, closesAt: { gt: now } } });
  }

  /** The unit's standing in the open round; null when no round is open. */
  async standing(unitCode: string, now: Date): Promise<UnitStanding | null> {
    const unit = this.contest.units.find((u) => u.code === unitCode);
    const round = await this.openRound(now);
    if (!unit || !round) return null;
    const rows = await this.db.$queryRaw<{ unitId: string; now: number; before: number }[]>`
      SELECT p."unitId"::text AS "unitId", count(DISTINCT a."participantId")::int AS now,
        count(DISTINCT a."participantId") FILTER (WHERE a."finishedAt" <= ${new Date(now.getTime() - DAY_MS)})::int AS before
      FROM "Attempt" a JOIN "Participant" p ON p.id = a."participantId"
      WHERE a."roundId" = ${round.id}::uuid AND a.status IN ('SUBMITTED', 'EXPIRED') AND p."unitId" IS NOT NULL
      GROUP BY p."unitId"`;
    const totals = (pick: "now" | "before"): UnitTotals[] =>
      rows.map((r) => ({ unitId: r.unitId, people: r[pick], attempts: 0, correct: 0, perfect: 0, durationMs: 0 }));
    const current = rollUp(this.contest.units, totals("now"));
    const dayAgo = rollUp(this.contest.units, totals("before"));
    const siblings = this.contest.units.filter((u) => u.parentId === unit.parentId);
    const byRate = siblings.every((u) => u.target ?? u.headcount);
    const score = (u: Unit) => {
      const people = current.get(u.id)!.people;
      return byRate ? people / (u.target ?? u.headcount)! : people;
    };
    const base = unit.target ?? unit.headcount;
    const attempted = current.get(unit.id)!.people;
    return {
      round: round.number,
      unit,
      attempted,
      base,
      rate: percent(attempted, base),
      rank: 1 + siblings.filter((u) => score(u) > score(unit)).length,
      siblings: siblings.length,
      parent: this.contest.units.find((u) => u.id === unit.parentId),
      attemptedDayAgo: dayAgo.get(unit.id)!.people,
    };
  }

  private reminderAudience(unitCode: string): AudienceFilter {
    return { kind: "unitNotAttempted", unitCode };
  }

  /** How many accounts the unit's reminder would reach now; null when no round is open. */
  async reminderSize(unitCode: string, now: Date): Promise<{ round: number; accounts: number } | null> {
    const round = await this.openRound(now);
    if (!round) return null;
    let accounts = 0;
    await eachAudiencePage(this.db, this.contest, this.reminderAudience(unitCode), now, async (page) => {
      accounts += page.length;
    });
    return { round: round.number, accounts };
  }

  /**
   * Queues the unit's reminder (in the turn's transaction) and records who asked; "already" when
   * the unit sent one today (contest's time zone), "noRound" when no round is open.
   */
  async sendReminder(
    unitCode: string,
    by: string,
    message: { name: string; text: string; buttons: Button[][] },
    now: Date,
  ): Promise<{ queued: number } | "already" | "noRound"> {
    if (!(await this.openRound(now))) return "noRound";
    const systemKey = `unit-reminder:${unitCode}:${DateTime.fromJSDate(now, { zone: this.contest.timezone }).toISODate()}`;
    const sent = await this.db.campaign.findUnique({ where: { contestId_systemKey: { contestId: this.contest.id, systemKey } } });
    if (sent) return "already";
    const campaign = await createCampaign(
      this.db,
      this.contest,
      { ...message, audience: this.reminderAudience(unitCode), createdBy: by, systemKey },
      now,
    );
    await this.db.auditLog.create({ data: { actor: by, action: "unit.reminder", details: { unit: unitCode, campaignId: campaign.id } } });
    const [row] = await this.db.$queryRaw<{ n: number }[]>(
      Prisma.sql`SELECT count(*)::int AS n FROM "Delivery" WHERE "campaignId" = ${campaign.id}::uuid`,
    );
    return { queued: row!.n };
  }
}
