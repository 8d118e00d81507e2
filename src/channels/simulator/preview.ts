// Organizer preview: the contest as a participant sees it at another moment (e.g. during
// round 3), on a throw-away in-memory database loaded from the same contest file, so nothing
// written there reaches the real data. Opened on first use.

import { type ContestContext, loadContestContext } from "../../contest/context.js";
import { loadContestFile } from "../../contest/loader.js";
import { ConversationEngine } from "../../engine/engine.js";
import type { Logger } from "../../logger.js";
import { TurnRunner } from "../../pipeline/turn-runner.js";
import { MemorySessionStore } from "../../sessions/memory-store.js";
import { type Database, openDatabase } from "../../storage/database.js";

export class PreviewWorld {
  private ready?: Promise<{ db: Database; contest: ContestContext }>;
  private readonly sessions = new MemorySessionStore();

  constructor(
    private readonly contestFile: string,
    private readonly logger: Logger,
  ) {}

  private open(): Promise<{ db: Database; contest: ContestContext }> {
    this.ready ??= (async () => {
      const db = await openDatabase({ dataDir: "", pgliteDir: "memory://preview", logger: this.logger });
      const loaded = await loadContestFile(db.prisma, this.contestFile);
      return { db, contest: await loadContestContext(db.prisma, loaded.definition.slug) };
    })();
    this.ready.catch(() => {
      this.ready = undefined; // let the next request try again
    });
    return this.ready;
  }

  async rounds(): Promise<{ number: number; opensAt: Date; closesAt: Date }[]> {
    const { db, contest } = await this.open();
    return db.prisma.round.findMany({
      where: { contestId: contest.id },
      orderBy: { number: "asc" },
      select: { number: true, opensAt: true, closesAt: true },
    });
  }

  /** Turns on the preview world with a clock `offsetMs` ahead of (or behind) the real one. */
  async runner(offsetMs: number): Promise<TurnRunner> {
    const { db, contest } = await this.open();
    return new TurnRunner({
      db,
      contest,
      engine: new ConversationEngine({ contest, logger: this.logger }),
      sessions: this.sessions,
      clock: () => new Date(Date.now() + offsetMs),
    });
  }

  async close(): Promise<void> {
    await this.sessions.close();
    if (this.ready) await (await this.ready).db.close();
  }
}
