// Judging written entries (plans 001 and 003) by levels: a preliminary level judged per unit
// (each entry in the unit of the level's kind above its author's unit: its district, its
// department), then levels judged as a whole, the last being the final. Jurors score with the
// contest file's rubric, never an entry from their own unit; organizers close a level: each
// entry's scores combined (the mean, or without the highest and the lowest from 4 judgements
// up), ranked in its unit (or the whole level), the best (or those above a score) going on,
// ties at the edge as the contest file says.
import { writeCampaign } from "../broadcast/campaigns.js";
import { issueEntryCertificates } from "../certificates/issue.js";
import { type ContestContext, subtreeIdsOfCode } from "../contest/context.js";
import type { ConsoleUser, Entry, Judgement, PrismaClient, Unit } from "../generated/prisma/client.js";
import { M } from "../messages/index.js";
import { slots } from "../results/ranking-sql.js";
import { isUniqueViolation } from "../storage/errors.js";

export class JudgingError extends Error {}

export interface EntryInPlay {
  entry: Entry;
  /** The unit judging it at this level (preliminary levels), else undefined. */
  judgingUnit: Unit | undefined;
}

/** The combined score of some totals: the mean, or without the extremes from 4 up. */
export function combine(totals: number[]): number {
  if (totals.length === 0) return 0;
  const sorted = [...totals].sort((a, b) => a - b);
  const kept = sorted.length >= 4 ? sorted.slice(1, -1) : sorted;
  return Math.round((kept.reduce((s, t) => s + t, 0) / kept.length) * 100) / 100;
}

export class Judging {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly contest: ContestContext,
  ) {}

  get settings() {
    const judging = this.contest.def.judging;
    if (!judging) throw new JudgingError("the contest file has no judging section");
    return judging;
  }

  /** The unit of the level's kind at or above `unitId`. */
  private judgingUnit(level: number, unitId: string | null): Unit | undefined {
    const kind = this.settings.levels[level - 1]?.byUnitKind;
    if (!kind) return undefined;
    for (let u = this.contest.units.find((x) => x.id === unitId); u; u = this.contest.units.find((x) => x.id === u!.parentId)) {
      if (u.kind === kind) return u;
    }
    return undefined;
  }

  /** Entries judged at a level: every submitted one at the first, those that went on after. */
  async inPlay(level: number): Promise<EntryInPlay[]> {
    if (level < 1 || level > this.settings.levels.length) throw new JudgingError(`no level ${level}`);
    const entries =
      level === 1
        ? await this.prisma.entry.findMany({ where: { contestId: this.contest.id, status: "SUBMITTED" }, orderBy: { code: "asc" } })
        : await this.prisma.entry.findMany({
            where: { contestId: this.contest.id, status: "SUBMITTED", id: { in: await this.advancedFrom(level - 1) } },
            orderBy: { code: "asc" },
          });
    return entries.map((entry) => ({ entry, judgingUnit: this.judgingUnit(level, entry.unitId) }));
  }

  private async advancedFrom(level: number): Promise<string[]> {
    return (await this.prisma.levelResult.findMany({ where: { level, advanced: true }, select: { entryId: true } })).map((r) => r.entryId);
  }

  /** A closed level's results with their entries and authors, by judging unit and place. */
  async results(level: number) {
    const last = level === this.settings.levels.length;
    const rows = await this.prisma.levelResult.findMany({ where: { level }, orderBy: [{ unitId: "asc" }, { rank: "asc" }] });
    const entries = new Map(
      (await this.prisma.entry.findMany({ where: { id: { in: rows.map((r) => r.entryId) } }, include: { participant: true } })).map((e) => [
        e.id,
        e,
      ]),
    );
    const unitName = (id: string | null) => this.contest.units.find((u) => u.id === id)?.name ?? "";
    return rows.map((r) => {
      const e = entries.get(r.entryId)!;
      return {
        judgingUnit: unitName(r.unitId),
        rank: r.rank,
        code: e.code,
        title: e.title,
        author: e.participant.fullName,
        authorUnit: unitName(e.unitId),
        score: r.score,
        judgements: r.judgements,
        advanced: r.advanced,
        prize: last ? this.finalPrize(r.rank, r.advanced) : null,
      };
    });
  }

  /** The prize of a place in the final (the last level): the contest's prize tiers, a tie sharing the tier of its first place. */
  finalPrize(rank: number, advanced: boolean): string | null {
    return advanced ? (slots(this.contest.def.prizes)[rank - 1] ?? null) : null;
  }

  /** Whether a juror may see and score this entry: their level, their unit's entries, never their own unit's. */
  mayJudge(juror: ConsoleUser, item: EntryInPlay): boolean {
    if (juror.role !== "JURY" || !juror.juryLevel) return false;
    if (item.judgingUnit && item.judgingUnit.code !== juror.unitCode) return false;
    return !(item.entry.unitId && subtreeIdsOfCode(this.contest.units, juror.homeUnitCode).has(item.entry.unitId));
  }

  /** A juror's entries with their own judgement, if any. */
  async forJuror(juror: ConsoleUser): Promise<(EntryInPlay & { mine: Judgement | undefined })[]> {
    const level = juror.juryLevel ?? 0;
    const mine = new Map(
      (await this.prisma.judgement.findMany({ where: { level, judgeId: juror.id } })).map((j) => [j.entryId, j] as const),
    );
    return (await this.inPlay(level)).filter((i) => this.mayJudge(juror, i)).map((i) => ({ ...i, mine: mine.get(i.entry.id) }));
  }

  /** Saves a juror's scores (one number per rubric criterion, 0 to its maximum, halves allowed). */
  async score(juror: ConsoleUser, entryId: string, scores: number[], comment: string): Promise<void> {
    const level = juror.juryLevel ?? 0;
    const item = (await this.inPlay(level)).find((i) => i.entry.id === entryId);
    if (!item || !this.mayJudge(juror, item)) throw new JudgingError("not an entry for this juror");
    if (await this.prisma.levelResult.findFirst({ where: { level } })) throw new JudgingError("this level is closed");
    const rubric = this.settings.rubric;
    if (scores.length !== rubric.length || scores.some((s, i) => !Number.isFinite(s) || s < 0 || s > rubric[i]!.max || (s * 2) % 1 !== 0)) {
      throw new JudgingError("scores must be 0 to each criterion's maximum, in halves");
    }
    const total = scores.reduce((s, x) => s + x, 0);
    await this.prisma.judgement.upsert({
      where: { entryId_level_judgeId: { entryId, level, judgeId: juror.id } },
      create: { entryId, level, judgeId: juror.id, scores, total, comment: comment.slice(0, 2000) },
      update: { scores, total, comment: comment.slice(0, 2000) },
    });
  }

  /** Closes a level: combined scores, places in each unit (or the whole level), who goes on. Once only. */
  async closeLevel(level: number): Promise<number> {
    const items = await this.inPlay(level);
    const { advance, minScore, ties } = this.settings.levels[level - 1]!;
    const judgements = await this.prisma.judgement.findMany({ where: { level, entryId: { in: items.map((i) => i.entry.id) } } });
    const scored = items.map((i) => {
      const totals = judgements.filter((j) => j.entryId === i.entry.id).map((j) => j.total);
      return { ...i, score: combine(totals), count: totals.length };
    });
    // Ranked in their judging unit: equal scores share a place, unless ties go to the earlier submitted.
    const ahead = (o: (typeof scored)[number], s: (typeof scored)[number]) =>
      o.score > s.score ||
      (ties === "earliest" && o.score === s.score && (o.entry.submittedAt?.getTime() ?? 0) < (s.entry.submittedAt?.getTime() ?? 0));
    const rows = scored.map((s) => {
      const group = scored.filter((o) => o.judgingUnit?.id === s.judgingUnit?.id);
      const rank = 1 + group.filter((o) => ahead(o, s)).length;
      const advanced = (advance === undefined || rank <= advance) && (minScore === undefined || s.score >= minScore);
      return { entryId: s.entry.id, level, unitId: s.judgingUnit?.id ?? null, score: s.score, judgements: s.count, rank, advanced };
    });
    try {
      return await this.prisma.$transaction(async (tx) => {
        if (await tx.levelResult.findFirst({ where: { level } })) throw new JudgingError("this level is closed already");
        await tx.levelResult.createMany({ data: rows });
        // The final's prize winners get their certificates with the results.
        if (level === this.settings.levels.length) {
          const winners = rows
            .sort((a, b) => a.rank - b.rank)
            .map((r) => ({ entryId: r.entryId, prize: this.finalPrize(r.rank, r.advanced) }))
            .filter((w): w is { entryId: string; prize: string } => w.prize !== null);
          await issueEntryCertificates(tx, this.contest, winners, new Date());
        }
        return rows.length;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new JudgingError("this level is closed already"); // closed meanwhile by someone else
      throw error;
    }
  }

  /**
   * Tells the authors of a closed level's entries, in chat, whether their entry goes on (or, at
   * the last level, its place): one campaign per level (its system key refuses a second), a
   * personal text per account.
   */
  async notifyLevel(level: number, now: Date): Promise<string | null> {
    const levels = this.settings.levels;
    const last = level === levels.length;
    const results = await this.prisma.levelResult.findMany({ where: { level } });
    if (results.length === 0) return null;
    const entries = await this.prisma.entry.findMany({
      where: { id: { in: results.map((r) => r.entryId) } },
      include: { participant: true },
    });
    const accounts = await this.prisma.platformAccount.findMany({ where: { phone: { in: entries.map((e) => e.participant.phone) } } });
    const name = levels[level - 1]!.name;
    const deliveries = results.flatMap((r) => {
      const entry = entries.find((e) => e.id === r.entryId)!;
      const text = last
        ? M.entryFinalPlace(entry.code, name, r.rank, this.finalPrize(r.rank, r.advanced))
        : r.advanced
          ? M.entryAdvanced(entry.code, name, levels[level]!.name)
          : M.entryNotAdvanced(entry.code, name);
      return accounts.filter((a) => a.phone === entry.participant.phone).map((a) => ({ accountId: a.id, text }));
    });
    const campaign = await writeCampaign(
      this.prisma,
      this.contest.id,
      {
        name: M.levelResultsName(name),
        text: M.levelResultsName(name),
        audience: { kind: "levelResults", level },
        scheduledAt: now,
        createdBy: "system",
        systemKey: `level-results:${level}`,
      },
      async (_db, write) => write(deliveries),
    );
    return campaign?.id ?? null;
  }

  /** Each juror's progress at a level: entries scored of those they may judge. */
  async progress(level: number): Promise<{ juror: ConsoleUser; scored: number; of: number }[]> {
    const jurors = await this.prisma.consoleUser.findMany({
      where: { role: "JURY", juryLevel: level, disabledAt: null },
      orderBy: { login: "asc" },
    });
    const items = await this.inPlay(level);
    const judgements = await this.prisma.judgement.findMany({ where: { level } });
    return jurors.map((juror) => {
      const mine = items.filter((i) => this.mayJudge(juror, i));
      return {
        juror,
        scored: mine.filter((i) => judgements.some((j) => j.entryId === i.entry.id && j.judgeId === juror.id)).length,
        of: mine.length,
      };
    });
  }
}
