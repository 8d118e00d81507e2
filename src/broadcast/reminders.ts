// Reminders for the next round, timed per recipient. Zalo consultation messages reach only
// people who interacted in the last 7 days, and a weekly contest puts last week's participants
// right at that edge when the next round opens; so a Zalo recipient whose window would close
// before the opening is reminded on day 6 after their last interaction ("round N opens at …"),
// everyone else when the round opens.

import type { ContestContext } from "../contest/context.js";
import { formatDateTime } from "../engine/format.js";
import { DATA } from "../engine/keyboards.js";
import type { PrismaClient, Round } from "../generated/prisma/client.js";
import { BUTTONS, M } from "../messages/index.js";
import { eachAudiencePage, writeCampaign } from "./campaigns.js";

const DAY_MS = 86_400_000;
/** Send to Zalo recipients this long after their last interaction at the latest. */
export const ZALO_REMIND_AFTER_MS = 6 * DAY_MS;
/** Prepare a round's reminders once it opens within this time. */
const LOOKAHEAD_MS = 7 * DAY_MS;

export function reminderTime(platform: string, lastInteractionAt: Date | null, opensAt: Date, now: Date): Date {
  if (platform === "ZALO" && lastInteractionAt) {
    const lastSafe = new Date(lastInteractionAt.getTime() + ZALO_REMIND_AFTER_MS);
    if (lastSafe < opensAt) return lastSafe < now ? now : lastSafe;
  }
  return opensAt;
}

/** Creates the reminder campaign of each round opening within a week, once per round. */
export async function scheduleRoundReminders(prisma: PrismaClient, contest: ContestContext, now: Date): Promise<number[]> {
  const rounds = await prisma.round.findMany({
    where: { contestId: contest.id, opensAt: { gt: now, lte: new Date(now.getTime() + LOOKAHEAD_MS) } },
    orderBy: { number: "asc" },
  });
  const done: number[] = [];
  for (const round of rounds) {
    const systemKey = reminderKey(round.number);
    if (await prisma.campaign.findUnique({ where: { contestId_systemKey: { contestId: contest.id, systemKey } }, select: { id: true } }))
      continue;
    // Racing instances may both get here: the unique systemKey lets exactly one write it.
    if (await createReminder(prisma, contest, round, now)) done.push(round.number);
  }
  return done;
}

export const reminderKey = (round: number) => `round-reminder:${round}`;

async function createReminder(prisma: PrismaClient, contest: ContestContext, round: Round, now: Date): Promise<boolean> {
  const campaign = await writeCampaign(
    prisma,
    contest.id,
    {
      name: M.reminderCampaignName(round.number),
      text: M.roundReminder(round.number, formatDateTime(round.opensAt, contest.timezone)),
      buttons: [[{ label: BUTTONS.start, data: DATA.menuStart }]],
      audience: { kind: "roundReminder", round: round.number },
      systemKey: reminderKey(round.number),
      scheduledAt: now,
      createdBy: "system",
    },
    (tx, write) =>
      eachAudiencePage(tx, contest, { kind: "all" }, now, (accounts) =>
        write(
          accounts
            .filter((a) => !a.blockedAt)
            .map((a) => ({ accountId: a.id, notBefore: reminderTime(a.platform, a.lastInteractionAt, round.opensAt, now) })),
        ),
      ),
  );
  return campaign !== null;
}
