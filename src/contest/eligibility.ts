// Who may take part and be ranked, per audience, with the contest's values as defaults.
import type { ContestDefinition } from "./definition.js";

/**
 * The minimum age for the audience; before one is chosen (or in a contest without audiences),
 * the lowest any audience accepts, so a birth date is refused only when no audience would take it.
 */
export function minimumAgeFor(def: ContestDefinition, audienceCode?: string): number {
  const ageOf = (a: ContestDefinition["audiences"][number]) => a.minimumAge ?? def.minimumAge;
  const chosen = def.audiences.find((a) => a.code === audienceCode);
  if (chosen) return ageOf(chosen);
  return def.audiences.length ? Math.min(...def.audiences.map(ageOf)) : def.minimumAge;
}

/** Whether members of the audience (none: yes) are ranked and awarded. */
export function audienceRanked(def: ContestDefinition, audienceCode?: string): boolean {
  return def.audiences.find((a) => a.code === audienceCode)?.ranked ?? true;
}
