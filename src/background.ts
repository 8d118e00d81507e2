// Timed work of the server: finalise attempts past their deadline, close rounds on schedule
// (queueing result notices), prepare next-round reminders, and drain broadcast deliveries. Safe
// on several instances: each step is guarded by database conditions; turn it off per instance
// with BACKGROUND=off.
import type { Messenger } from "./broadcast/messenger.js";
import { scheduleRoundReminders } from "./broadcast/reminders.js";
import { DeliverySender, type SenderOptions } from "./broadcast/sender.js";
import type { ContestContext } from "./contest/context.js";
import type { Platform } from "./generated/prisma/client.js";
import type { Logger } from "./logger.js";
import type { Closer } from "./server/lifecycle.js";
import type { ContestServices } from "./services.js";
import type { Database } from "./storage/database.js";

/** The slow steps (deadlines, round closing, reminders, upkeep) run this often. */
const UPKEEP_MS = 30_000;
/** A tick sends for at most this long before the slow steps get their turn. */
const DRAIN_MS = 5_000;

export function startBackgroundWork(deps: {
  db: Database;
  contest: ContestContext;
  services: ContestServices;
  messengers: Partial<Record<Platform, Messenger>>;
  logger: Logger;
  /** Told every delivery's outcome (metrics). */
  onDelivery?: SenderOptions["onOutcome"];
  /** Pacing per platform (shared through Redis with several instances). */
  pacers?: SenderOptions["limiters"];
  /** Further upkeep on the slow tick (e.g. keeping the Zalo tokens fresh); each fails alone. */
  upkeep?: { name: string; run: () => Promise<unknown> }[];
}): Closer {
  const { attempts, closer } = deps.services;
  const sender = new DeliverySender({
    prisma: deps.db.prisma,
    messengers: deps.messengers,
    logger: deps.logger,
    onOutcome: deps.onDelivery,
    limiters: deps.pacers,
    personalTexts: (audience, accountIds) => closer.noticeTexts(audience, accountIds),
  });
  let busy = false;
  let lastUpkeep = 0;
  let stopped = false;
  /** The last drain stopped at its time limit with deliveries still coming. */
  let more = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      if (Date.now() - lastUpkeep >= UPKEEP_MS) {
        lastUpkeep = Date.now();
        const now = new Date();
        await attempts.finalizeExpired(now);
        await closer.tick(now);
        await scheduleRoundReminders(deps.db.prisma, deps.contest, now);
        for (const task of deps.upkeep ?? []) {
          await task.run().catch((error: unknown) => deps.logger.error({ err: error, task: task.name }, "background upkeep failed"));
        }
      }
      await closer.queueNoticeChunks();
      // Sends for a while, then gives the upkeep above its turn (at once, not on the next
      // interval: a pause every few seconds would slow a broadcast below its rate).
      const until = Date.now() + DRAIN_MS;
      let claimed = 0;
      do claimed = (await sender.runOnce(50)).claimed;
      while (!stopped && claimed > 0 && Date.now() < until);
      more = claimed > 0;
    } catch (error) {
      deps.logger.error({ err: error }, "background work failed");
      more = false;
    } finally {
      busy = false;
      if (more && !stopped) setImmediate(() => void tick());
    }
  };
  const timer = setInterval(() => void tick(), 1_000);
  timer.unref();
  return {
    name: "background work",
    close: async () => {
      stopped = true;
      clearInterval(timer);
      while (busy) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
