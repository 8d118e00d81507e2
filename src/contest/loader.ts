// Loads a contest definition into the database (create or update by slug): audiences, units,
// rounds and the question bank it names. Re-loading updates in place; rounds keep their ids.
import path from "node:path";
import { normalizePhone } from "../engine/validation.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { readBankFile } from "./bank-file.js";
import { type ContestDefinition, readDefinition } from "./definition.js";
import { formatImportReport, type ImportReport, importQuestionBank } from "./question-bank.js";
import { resolveSchedule } from "./schedule.js";

export interface LoadResult {
  contestId: string;
  definition: ContestDefinition;
  rounds: number;
  units: number;
  questions?: ImportReport;
}

export async function loadContestFile(prisma: PrismaClient, file: string, now: Date = new Date()): Promise<LoadResult> {
  const { definition, dir } = await readDefinition(file);
  const bank = definition.questionBank
    ? await readBankFile(path.resolve(dir, definition.questionBank), { knownAudiences: definition.audiences.map((a) => a.code) })
    : undefined;
  if (bank && bank.rejected.length > 0) {
    throw new Error(
      `question bank ${definition.questionBank} has invalid rows:\n${formatImportReport({ ...bank, written: false, created: 0, updated: 0 })}`,
    );
  }
  const result = await loadContest(prisma, definition, now);
  if (bank) result.questions = await importQuestionBank(prisma, result.contestId, bank);
  return result;
}

export async function loadContest(prisma: PrismaClient, def: ContestDefinition, now: Date): Promise<LoadResult> {
  const schedule = resolveSchedule(def, now);
  for (const admin of def.unitAdmins) {
    if (!normalizePhone(admin.phone)) throw new Error(`unitAdmins: ${admin.phone} is not a Vietnamese mobile number`);
    if (!def.units.some((u) => u.code.toUpperCase() === admin.unit.toUpperCase())) throw new Error(`unitAdmins: no unit ${admin.unit}`);
  }
  for (const phone of def.excludedPhones) {
    if (!normalizePhone(phone)) throw new Error(`excludedPhones: ${phone} is not a Vietnamese mobile number`);
  }
  return prisma.$transaction(async (tx) => {
    const fields = {
      title: def.title,
      organizer: def.organizer,
      rulesText: def.rules,
      timezone: def.timezone,
      startsAt: schedule.startsAt,
      endsAt: schedule.endsAt,
      definition: def as object,
    };
    const contest = await tx.contest.upsert({ where: { slug: def.slug }, create: { slug: def.slug, ...fields }, update: fields });
    for (const a of def.audiences) {
      await tx.audience.upsert({
        where: { contestId_code: { contestId: contest.id, code: a.code } },
        create: { contestId: contest.id, code: a.code, name: a.name },
        update: { name: a.name },
      });
    }
    const unitIds = new Map<string, string>();
    for (const u of def.units) {
      const data = { name: u.name, kind: u.kind, headcount: u.headcount ?? null, target: u.target ?? null };
      const row = await tx.unit.upsert({
        where: { contestId_code: { contestId: contest.id, code: u.code.toUpperCase() } },
        create: { contestId: contest.id, code: u.code.toUpperCase(), ...data },
        update: data,
      });
      unitIds.set(u.code.toUpperCase(), row.id);
    }
    for (const u of def.units) {
      await tx.unit.update({
        where: { id: unitIds.get(u.code.toUpperCase())! },
        data: { parentId: u.parent ? unitIds.get(u.parent.toUpperCase())! : null },
      });
    }
    for (const r of schedule.rounds) {
      await tx.round.upsert({
        where: { contestId_number: { contestId: contest.id, number: r.number } },
        create: { contestId: contest.id, ...r },
        update: { opensAt: r.opensAt, closesAt: r.closesAt },
      });
    }
    // Rounds dropped from the definition go away unless someone already took them.
    await tx.round.deleteMany({
      where: { contestId: contest.id, number: { gt: schedule.rounds.length }, attempts: { none: {} } },
    });
    const excluded = def.excludedPhones.map((p) => normalizePhone(p)!);
    await tx.participant.updateMany({ where: { contestId: contest.id }, data: { excluded: false } });
    if (excluded.length) {
      await tx.participant.updateMany({ where: { contestId: contest.id, phone: { in: excluded } }, data: { excluded: true } });
    }
    return { contestId: contest.id, definition: def, rounds: schedule.rounds.length, units: def.units.length };
  });
}
