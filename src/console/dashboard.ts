// The dashboard's figures, read straight from the database each time (they must equal what it
// holds): registered people, the open round's attempts and perfect papers, participation per
// unit against its target or headcount, attempts per hour, and the units furthest from target.
// Unit admins see their own subtree only.
import type { ContestContext } from "../contest/context.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { liveStats, type Row, unitReport } from "../reports/reports.js";
import type { ContestServices } from "../services.js";

export interface UnitParticipation {
  code: string;
  name: string;
  kind: string;
  base: number | null;
  registered: number;
  attempted: number;
  /** attempted ÷ base in %, null without a base. */
  rate: number | null;
}

export interface Dashboard {
  round: number | null;
  registered: number;
  attempted: number;
  perfect: number;
  units: UnitParticipation[];
  perHour: { hour: Date; attempts: number }[];
  furthest: UnitParticipation[];
}

const HOURS = 48;

/** Participation per visible unit (with its subtree) in a round, or in any round without one. */
export async function unitParticipation(
  prisma: PrismaClient,
  services: ContestServices,
  visible: Set<string>,
  roundNumber: number | undefined,
): Promise<UnitParticipation[]> {
  const visibleCodes = new Set(services.contest.units.filter((u) => visible.has(u.id)).map((u) => u.code));
  const rows: Row[] = [];
  const report = await unitReport(prisma, services.contest, services.results, roundNumber, { roster: false });
  await report.batches(async (batch) => void rows.push(...batch.filter((r) => visibleCodes.has(String(r.code)))));
  return rows.map(
    (r): UnitParticipation => ({
      code: String(r.code),
      name: String(r.name),
      kind: String(r.kind),
      base: r.base === null ? null : Number(r.base),
      registered: Number(r.registered),
      attempted: Number(r.attempted),
      rate: r.rate === null ? null : Number(r.rate),
    }),
  );
}

export async function dashboardData(prisma: PrismaClient, services: ContestServices, visible: Set<string>, now: Date): Promise<Dashboard> {
  const { contest } = services;
  const all = visible.size === contest.units.length;
  const stats = await liveStats(prisma, contest, services.attempts, now, all ? undefined : [...visible]);
  const units = await unitParticipation(prisma, services, visible, stats.round ?? undefined);
  return {
    round: stats.round,
    registered: stats.registered,
    attempted: stats.attempted,
    perfect: stats.perfect,
    units,
    perHour: stats.roundId ? await attemptsPerHour(prisma, contest, stats.roundId, all ? undefined : [...visible], now) : [],
    furthest: units
      .filter((u) => u.rate !== null)
      .sort((a, b) => a.rate! - b.rate! || a.code.localeCompare(b.code))
      .slice(0, 5),
  };
}

/** Attempts started per hour in the last 48 hours of the round (hours without any included). */
async function attemptsPerHour(prisma: PrismaClient, contest: ContestContext, roundId: string, unitIds: string[] | undefined, now: Date) {
  const since = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - (HOURS - 1) * 3_600_000);
  const units = unitIds ? Prisma.sql`AND p."unitId"::text = ANY(${unitIds}::text[])` : Prisma.empty;
  const rows = await prisma.$queryRaw<{ hour: Date; n: number }[]>`
    SELECT date_trunc('hour', a."startedAt") AS hour, count(*)::int AS n
    FROM "Attempt" a JOIN "Participant" p ON p.id = a."participantId"
    WHERE a."roundId" = ${roundId}::uuid AND a."startedAt" >= ${since} AND p."contestId" = ${contest.id}::uuid ${units}
    GROUP BY 1`;
  const byHour = new Map(rows.map((r) => [new Date(r.hour).getTime(), r.n]));
  return Array.from({ length: HOURS }, (_, i) => {
    const hour = new Date(since.getTime() + i * 3_600_000);
    return { hour, attempts: byHour.get(hour.getTime()) ?? 0 };
  });
}
