// The round schedule of a contest: local dates and times of the contest file resolved to UTC
// instants in the contest's time zone ("today" is the load day, for demo contests).
import { DateTime } from "luxon";
import type { ContestDefinition } from "./definition.js";

export interface RoundWindow {
  number: number;
  opensAt: Date;
  closesAt: Date;
}

/** `today` means 00:00 of the load day in the contest's zone (for demo contests). */
export function toInstant(value: string, zone: string, now: Date, endOfDay: boolean): DateTime {
  const base = value === "today" ? DateTime.fromJSDate(now, { zone }).startOf("day") : DateTime.fromISO(value, { zone });
  if (!base.isValid) throw new Error(`invalid date ${value}`);
  return endOfDay && !value.includes("T") ? base.endOf("day") : base;
}

export interface Schedule {
  startsAt: Date;
  endsAt: Date;
  rounds: RoundWindow[];
}

/** Rounds given as a list of local windows, numbered in the order written. */
export function listWindows(list: { opens: string; closes: string }[], zone: string, now: Date): RoundWindow[] {
  return list.map((r, i) => ({
    number: i + 1,
    opensAt: toInstant(r.opens, zone, now, false).toJSDate(),
    closesAt: toInstant(r.closes, zone, now, true).toJSDate(),
  }));
}

/** Resolves the schedule: weekly rounds run Monday-to-Sunday style, 7 days from the start each. */
export function resolveSchedule(def: ContestDefinition, now: Date): Schedule {
  const zone = def.timezone;
  const start = toInstant(def.start, zone, now, false);
  let rounds: RoundWindow[];
  if (def.rounds.weekly) {
    const end = def.end ? toInstant(def.end, zone, now, true) : undefined;
    const count = def.rounds.weekly.count ?? Math.ceil(end!.diff(start, "weeks").weeks);
    rounds = Array.from({ length: count }, (_, i) => {
      const opens = start.plus({ weeks: i });
      let closes = opens.plus({ weeks: 1 }).minus({ milliseconds: 1 });
      if (end && closes > end) closes = end;
      return { number: i + 1, opensAt: opens.toJSDate(), closesAt: closes.toJSDate() };
    });
  } else {
    rounds = listWindows(def.rounds.list ?? [], zone, now);
  }
  for (const r of rounds) {
    if (r.closesAt <= r.opensAt) throw new Error(`round ${r.number} closes before it opens`);
  }
  const last = rounds[rounds.length - 1]!;
  return {
    startsAt: start.toJSDate(),
    endsAt: def.end ? toInstant(def.end, zone, now, true).toJSDate() : last.closesAt,
    rounds,
  };
}
