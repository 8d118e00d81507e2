// Issuing certificates, inside the transaction that closes a round (results.ts), so a closed
// round always has its certificates and a retried or racing close never issues twice (one
// certificate per contest, scope, kind and holder: the unique key refuses a repeat). Individual
// and participation certificates are one INSERT … SELECT each over the frozen ranking or the
// attempts (a round of a million attempts issues them without a row through Node); unit prizes
// are a handful of rows. Serials are numbered per scope and kind in ranking order.

import { randomBytes } from "node:crypto";
import type { ContestContext } from "../contest/context.js";
import { Prisma } from "../generated/prisma/client.js";
import { M } from "../messages/index.js";
import type { UnitRow } from "../results/ranking.js";

/** The unguessable part of a verification link (80 bits). */
const newCertificateCode = () => randomBytes(10).toString("hex");
const SQL_CODE = Prisma.sql`substr(md5(gen_random_uuid()::text), 1, 20)`;

export const roundScope = (round: number) => `round:${round}`;
export const CONTEST_SCOPE = "contest";
const serialPrefix = (round: number | null, letter: string) => `${round === null ? "TC" : `V${String(round).padStart(2, "0")}`}-${letter}`;

interface RoundRef {
  id: string;
  number: number;
}

/**
 * Issues a closed round's certificates: individual prizes of the round and of audiences with
 * their own prize list, participation from the contest file's threshold, unit prizes of the
 * round and, when `contestUnits` is given (the last round closed), of the whole contest.
 */
export async function issueRoundCertificates(
  tx: Prisma.TransactionClient,
  contest: ContestContext,
  round: RoundRef,
  units: UnitRow[],
  contestUnits: UnitRow[] | null,
  now: Date,
): Promise<void> {
  const settings = contest.def.certificates;
  if (!settings) return;
  if (settings.individual) {
    await tx.$executeRaw`${individualSql(contest, round, now)}`;
    await tx.$executeRaw`${audienceSql(contest, round, now)}`;
  }
  if (settings.participation) await tx.$executeRaw`${participationSql(contest, round, settings.participation.minimumCorrect, now)}`;
  if (settings.units) {
    await insertUnitPrizes(tx, contest, round.number, units, now);
    if (contestUnits) await insertUnitPrizes(tx, contest, null, contestUnits, now);
  }
}

const columns = Prisma.sql`(id, "contestId", scope, kind, "holderKey", "participantId", "unitId", serial, code, "roundNumber",
  "holderName", "unitName", prize, detail, "issuedAt")`;

function individualSql(contest: ContestContext, round: RoundRef, now: Date): Prisma.Sql {
  const q = contest.def.questionsPerAttempt;
  return Prisma.sql`
    INSERT INTO "Certificate" ${columns}
    SELECT uuid_v7(), ${contest.id}::uuid, ${roundScope(round.number)}, 'PRIZE', p.id::text, p.id, p."unitId",
      ${serialPrefix(round.number, "G")} || lpad((row_number() OVER (ORDER BY rr.rank, rr."participantId"))::text, 4, '0'),
      ${SQL_CODE}, ${round.number}, p."fullName", u.name, rr.prize,
      format(${M.detailPrize}, rr.score, ${q}::int, rr.rank, (SELECT count(*) FROM "RoundRanking" x WHERE x."roundId" = rr."roundId")),
      ${now}
    FROM "RoundRanking" rr JOIN "Participant" p ON p.id = rr."participantId" LEFT JOIN "Unit" u ON u.id = p."unitId"
    WHERE rr."roundId" = ${round.id}::uuid AND rr.prize IS NOT NULL
    ON CONFLICT DO NOTHING`;
}

/** Prizes of audiences that have a prize list of their own (otherwise the round's prize is the one). */
function audienceSql(contest: ContestContext, round: RoundRef, now: Date): Prisma.Sql {
  const own = contest.audiences.filter((a) => contest.def.audiences.find((d) => d.code === a.code)?.prizes?.length).map((a) => a.id);
  const q = contest.def.questionsPerAttempt;
  return Prisma.sql`
    INSERT INTO "Certificate" ${columns}
    SELECT uuid_v7(), ${contest.id}::uuid, ${roundScope(round.number)}, 'AUDIENCE_PRIZE', p.id::text, p.id, p."unitId",
      ${serialPrefix(round.number, "D")} || lpad((row_number() OVER (ORDER BY au.code, rr."audienceRank", rr."participantId"))::text, 4, '0'),
      ${SQL_CODE}, ${round.number}, p."fullName", u.name, rr."audiencePrize",
      format(${M.detailAudiencePrize}, au.name, rr.score, ${q}::int, rr."audienceRank"), ${now}
    FROM "RoundRanking" rr JOIN "Participant" p ON p.id = rr."participantId" JOIN "Audience" au ON au.id = rr."audienceId"
      LEFT JOIN "Unit" u ON u.id = p."unitId"
    WHERE rr."roundId" = ${round.id}::uuid AND rr."audiencePrize" IS NOT NULL AND rr."audienceId"::text = ANY(${own}::text[])
    ON CONFLICT DO NOTHING`;
}

/** Anyone (ranked or not, the organizing board excepted) with enough correct answers in the round. */
function participationSql(contest: ContestContext, round: RoundRef, minimum: number, now: Date): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "Certificate" ${columns}
    SELECT uuid_v7(), ${contest.id}::uuid, ${roundScope(round.number)}, 'PARTICIPATION', p.id::text, p.id, p."unitId",
      ${serialPrefix(round.number, "C")} || lpad((row_number() OVER (ORDER BY p."fullName", p.id))::text, 5, '0'),
      ${SQL_CODE}, ${round.number}, p."fullName", u.name, NULL, format(${M.detailParticipation}, a.score, ${contest.def.questionsPerAttempt}::int), ${now}
    FROM "Attempt" a JOIN "Participant" p ON p.id = a."participantId" LEFT JOIN "Unit" u ON u.id = p."unitId"
    WHERE a."roundId" = ${round.id}::uuid AND a.status IN ('SUBMITTED', 'EXPIRED') AND a.score >= ${minimum} AND NOT p.excluded
    ON CONFLICT DO NOTHING`;
}

async function insertUnitPrizes(tx: Prisma.TransactionClient, contest: ContestContext, round: number | null, units: UnitRow[], now: Date) {
  const winners = units
    .filter((u) => u.prize !== null && u.rank !== null)
    .sort((a, b) => a.rank! - b.rank! || a.code.localeCompare(b.code));
  if (winners.length === 0) return;
  await tx.certificate.createMany({
    data: winners.map((u, i) => ({
      contestId: contest.id,
      scope: round === null ? CONTEST_SCOPE : roundScope(round),
      kind: "UNIT_PRIZE" as const,
      holderKey: u.unitId,
      unitId: u.unitId,
      serial: `${serialPrefix(round, "T")}${String(i + 1).padStart(3, "0")}`,
      code: newCertificateCode(),
      roundNumber: round,
      holderName: u.name,
      prize: u.prize,
      detail: u.explanation,
      issuedAt: now,
    })),
    skipDuplicates: true,
  });
}

/**
 * Certificates of a written contest's prize winners (the final's places with a prize), issued
 * in the transaction that closes the final: scope "entries", serials BT-G001…, the entry's code
 * and title in the detail.
 */
export async function issueEntryCertificates(
  tx: Prisma.TransactionClient,
  contest: ContestContext,
  winners: { entryId: string; prize: string }[],
  now: Date,
): Promise<void> {
  if (!contest.def.certificates?.individual || winners.length === 0) return;
  const entries = await tx.entry.findMany({ where: { id: { in: winners.map((w) => w.entryId) } }, include: { participant: true } });
  await tx.certificate.createMany({
    data: winners.map((w, i) => {
      const e = entries.find((x) => x.id === w.entryId)!;
      return {
        contestId: contest.id,
        scope: "entries",
        kind: "PRIZE" as const,
        holderKey: e.participantId,
        participantId: e.participantId,
        unitId: e.unitId,
        serial: `BT-G${String(i + 1).padStart(3, "0")}`,
        code: newCertificateCode(),
        holderName: e.participant.fullName,
        unitName: contest.units.find((u) => u.id === e.unitId)?.name ?? null,
        prize: w.prize,
        detail: M.entryCertificateDetail(e.code, e.title),
        issuedAt: now,
      };
    }),
    skipDuplicates: true,
  });
}
