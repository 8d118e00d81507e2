// Where each roster member stands (plans 000 and 002: every civil servant takes part):
// registered or not, under which unit, whether they took part (in a round, or in any), and
// those counts per unit with its subtree. Rosters are staff lists (thousands at most): read whole.

import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { type ContestContext, unitSubtreeIds } from "./context.js";

export interface MemberStatus {
  fullName: string;
  unitId: string | null;
  registered: boolean;
  registeredUnitId: string | null;
  tookPart: boolean;
}

export async function memberStatus(prisma: PrismaClient, contest: ContestContext, roundNumber?: number): Promise<MemberStatus[]> {
  const round = roundNumber
    ? await prisma.round.findUniqueOrThrow({ where: { contestId_number: { contestId: contest.id, number: roundNumber } } })
    : undefined;
  const inRound = round ? Prisma.sql`AND a."roundId" = ${round.id}::uuid` : Prisma.empty;
  return prisma.$queryRaw<MemberStatus[]>`
    SELECT r."fullName", r."unitId"::text AS "unitId", p.id IS NOT NULL AS registered, p."unitId"::text AS "registeredUnitId",
      EXISTS (SELECT 1 FROM "Attempt" a WHERE a."participantId" = p.id AND a.status IN ('SUBMITTED', 'EXPIRED') ${inRound}) AS "tookPart"
    FROM "RosterEntry" r LEFT JOIN "Participant" p ON p."contestId" = r."contestId" AND p.phone = r.phone
    WHERE r."contestId" = ${contest.id}::uuid
    ORDER BY r."fullName"`;
}

export interface RosterCount {
  roster: number;
  registered: number;
  tookPart: number;
  /** tookPart ÷ roster in %, one decimal; null without roster members. */
  compliance: number | null;
}

/** The counts of every unit with its subtree (units without members: zeros). */
export function rosterCounts(contest: ContestContext, members: MemberStatus[]): Map<string, RosterCount> {
  return new Map(
    contest.units.map((unit) => {
      const ids = new Set(unitSubtreeIds(contest.units, unit.id));
      const mine = members.filter((m) => m.unitId && ids.has(m.unitId));
      const took = mine.filter((m) => m.tookPart).length;
      return [
        unit.id,
        {
          roster: mine.length,
          registered: mine.filter((m) => m.registered).length,
          tookPart: took,
          compliance: mine.length ? Math.round((took / mine.length) * 1000) / 10 : null,
        },
      ];
    }),
  );
}
