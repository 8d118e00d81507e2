// Registered participants as a report (the console's people export): who, unit, audience, the
// contest's further fields and each round's score; read 1,000 at a time by a keyset on
// (name, id), of the whole contest or of given units only.
import type { ContestContext } from "../contest/context.js";
import { participantDetails } from "../domain/people.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { M } from "../messages/index.js";
import { REPORTS } from "../messages/pages.js";
import { extraCells, type Report } from "./reports.js";

const BATCH = 1_000;

export function peopleReport(prisma: PrismaClient, contest: ContestContext, unitIds?: string[]): Report {
  const units = new Map(contest.units.map((u) => [u.id, u.name]));
  const audiences = new Map(contest.audiences.map((a) => [a.id, a.name]));
  const extra = contest.def.registration.extra;
  const c = REPORTS.peopleColumns;
  return {
    title: REPORTS.peopleTitle,
    columns: [
      { header: c.name, key: "name", width: 28 },
      { header: c.phone, key: "phone", width: 16 },
      { header: c.birthDate, key: "birthDate", width: 12 },
      { header: c.unit, key: "unit", width: 28 },
      { header: c.audience, key: "audience", width: 20 },
      { header: c.registeredAt, key: "registeredAt", width: 20 },
      { header: c.rounds, key: "rounds", width: 24 },
      ...extra.map((spec) => ({ header: M.extraLabels[spec.field], key: `extra.${spec.field}`, width: 20 })),
    ],
    batches: async (each) => {
      let after: string | undefined;
      for (;;) {
        const people = await prisma.participant.findMany({
          where: { contestId: contest.id, ...(unitIds ? { unitId: { in: unitIds } } : {}) },
          orderBy: [{ fullName: "asc" }, { id: "asc" }],
          take: BATCH,
          ...(after ? { cursor: { id: after }, skip: 1 } : {}),
          include: { attempts: { include: { round: { select: { number: true } } } } },
        });
        if (people.length === 0) return;
        await each(
          people.map((p) => ({
            name: p.fullName,
            phone: p.phone,
            birthDate: p.birthDate.toISOString().slice(0, 10),
            unit: (p.unitId && units.get(p.unitId)) || "",
            audience: (p.audienceId && audiences.get(p.audienceId)) || "",
            registeredAt: p.registeredAt,
            rounds: p.attempts
              .sort((a, b) => a.round.number - b.round.number)
              .map((a) => `${a.round.number}: ${a.score ?? "…"}`)
              .join(", "),
            ...extraCells(extra, participantDetails(p.details)),
          })),
        );
        if (people.length < BATCH) return;
        after = people.at(-1)!.id;
      }
    },
  };
}
