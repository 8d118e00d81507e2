// The loaded contest as the engine needs it: definition plus the rows it refers to.

import type { Audience, PrismaClient, Unit } from "../generated/prisma/client.js";
import { type ContestDefinition, contestSchema } from "./definition.js";

export interface ContestContext {
  id: string;
  slug: string;
  title: string;
  organizer: string;
  rules: string;
  timezone: string;
  /** The end of the contest (its last round, or `end`): written entries are accepted until then. */
  endsAt: Date;
  def: ContestDefinition;
  units: Unit[];
  audiences: Audience[];
}

export async function loadContestContext(prisma: PrismaClient, slug: string): Promise<ContestContext> {
  const contest = await prisma.contest.findUnique({
    where: { slug },
    include: { units: { orderBy: { code: "asc" } }, audiences: { orderBy: { code: "asc" } } },
  });
  if (!contest) throw new Error(`contest "${slug}" is not loaded: load it with \`npm run cli -- contest:load <file>\``);
  return {
    id: contest.id,
    slug: contest.slug,
    title: contest.title,
    organizer: contest.organizer,
    rules: contest.rulesText,
    timezone: contest.timezone,
    endsAt: contest.endsAt,
    def: contestSchema.parse(contest.definition),
    units: contest.units,
    audiences: contest.audiences,
  };
}

/** Ids of the subtree of the unit with this code (none when there is no such unit): a unit admin's scope. */
export function subtreeIdsOfCode(units: readonly Unit[], code: string | null | undefined): Set<string> {
  const root = units.find((u) => u.code === code);
  return new Set(root ? unitSubtreeIds(units, root.id) : []);
}

/** Ids of a unit and every unit below it (each once, even if stored data had a cycle). */
export function unitSubtreeIds(units: readonly Unit[], rootId: string): string[] {
  const ids = [rootId];
  const seen = new Set(ids);
  for (let i = 0; i < ids.length; i++) {
    for (const u of units) {
      if (u.parentId === ids[i] && !seen.has(u.id)) {
        seen.add(u.id);
        ids.push(u.id);
      }
    }
  }
  return ids;
}
