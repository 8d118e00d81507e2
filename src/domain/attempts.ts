// Attempts in the database: start (one per participant per round, by unique constraint),
// answer (idempotent per question), prediction, finalisation and the deadline sweep. One
// service on purpose: every step reads and writes the same rows under the same rules.

import type { ContestContext } from "../contest/context.js";
import { audienceRanked } from "../contest/eligibility.js";
import { type Attempt, type AttemptQuestion, Prisma, type Question, type Round } from "../generated/prisma/client.js";
import { revive } from "../storage/json-rows.js";
import type { Db } from "../storage/transaction.js";
import { cryptoRandom, drawQuestions, type Random } from "./draw.js";
import { QUESTION_VERSION, questionCache } from "./question-cache.js";

export type AttemptWithQuestions = Attempt & {
  round: Round;
  questions: (AttemptQuestion & { question: Question })[];
};

export type AnswerOutcome = "recorded" | "duplicate" | "late" | "closed";

export class AttemptService {
  constructor(
    private readonly prisma: Db,
    private readonly contest: ContestContext,
    private readonly random: Random = cryptoRandom,
  ) {}

  /** The same service on another handle (a transaction). */
  within(db: Db): AttemptService {
    return new AttemptService(db, this.contest, this.random);
  }

  // The reads and writes of every answer tap are plain SQL ($queryRaw): a Prisma model query
  // costs about three times the CPU of the same statement sent raw (measured: 0.64 vs 0.23 ms).
  async openRound(now: Date): Promise<Round | null> {
    const rows = await this.prisma.$queryRaw<Round[]>`SELECT r.* ${this.openRoundFrom(now)}`;
    return rows[0] ?? null;
  }

  /** The round open at `now` as `r` (the first by number, should two overlap). */
  private openRoundFrom(now: Date): Prisma.Sql {
    return Prisma.sql`FROM "Round" r WHERE r."contestId" = ${this.contest.id}::uuid AND r."opensAt" <= ${now} AND r."closesAt" > ${now}
      ORDER BY r.number LIMIT 1`;
  }

  nextRound(now: Date): Promise<Round | null> {
    return this.prisma.round.findFirst({
      where: { contestId: this.contest.id, opensAt: { gt: now } },
      orderBy: { opensAt: "asc" },
    });
  }

  roundByNumber(number: number): Promise<Round | null> {
    return this.prisma.round.findUnique({ where: { contestId_number: { contestId: this.contest.id, number } } });
  }

  /** Every attempt of the participant with its round and question count, oldest round first. */
  history(participantId: string) {
    return this.prisma.attempt.findMany({
      where: { participantId },
      include: { round: true, _count: { select: { questions: true } } },
      orderBy: { round: { number: "asc" } },
    });
  }

  async load(attemptId: string): Promise<AttemptWithQuestions | null> {
    const rows = await this.prisma.$queryRaw<{ round: unknown; attempt: AttemptJson | null }[]>`
      SELECT to_jsonb(r) AS round, ${attemptJson(Prisma.sql`a.id = ${attemptId}::uuid`)} AS attempt
      FROM "Attempt" x JOIN "Round" r ON r.id = x."roundId" WHERE x.id = ${attemptId}::uuid`;
    return rows[0] ? attemptFromJson(this.prisma, rows[0].attempt, reviveRound(rows[0].round)) : null;
  }

  /** The participant's attempt of the round with its questions, or null: one statement. */
  async forRound(round: Round, participantId: string): Promise<AttemptWithQuestions | null> {
    const rows = await this.prisma.$queryRaw<{ attempt: AttemptJson | null }[]>`
      SELECT ${attemptJson(Prisma.sql`a."roundId" = ${round.id}::uuid AND a."participantId" = ${participantId}::uuid`)} AS attempt`;
    return attemptFromJson(this.prisma, rows[0]?.attempt ?? null, round);
  }

  /** The open round and the participant's attempt of it: what every turn of a registered person reads, in one statement. */
  async current(now: Date, participantId: string): Promise<{ round: Round | null; attempt: AttemptWithQuestions | null }> {
    const rows = await this.prisma.$queryRaw<{ round: unknown; attempt: AttemptJson | null }[]>`
      SELECT to_jsonb(r) AS round, ${attemptJson(Prisma.sql`a."roundId" = r.id AND a."participantId" = ${participantId}::uuid`)} AS attempt
      ${this.openRoundFrom(now)}`;
    const row = rows[0];
    if (!row) return { round: null, attempt: null };
    const round = reviveRound(row.round);
    return { round, attempt: await attemptFromJson(this.prisma, row.attempt, round) };
  }

  /**
   * Starts the participant's attempt for the round, or returns the one that exists. Two
   * concurrent starts (double tap, two platforms) meet at the unique (round, participant).
   */
  async start(
    round: Round,
    participant: { id: string; excluded: boolean; audienceId: string | null },
    accountId: string,
    now: Date,
  ): Promise<{ attempt: AttemptWithQuestions; created: boolean }> {
    const existing = await this.forRound(round, participant.id);
    if (existing) return { attempt: existing, created: false };
    const audienceCode = this.contest.audiences.find((a) => a.id === participant.audienceId)?.code;
    // The audience's pool and the questions this participant saw in earlier rounds, in one read.
    const pool = await this.prisma.$queryRaw<{ id: string; topic: string; optionCount: number; seen: boolean }[]>`
      SELECT q.id::text AS id, q.topic, cardinality(q.options) AS "optionCount",
        EXISTS (SELECT 1 FROM "AttemptQuestion" aq JOIN "Attempt" a ON a.id = aq."attemptId"
                WHERE aq."questionId" = q.id AND a."participantId" = ${participant.id}::uuid) AS seen
      FROM "Question" q WHERE q."contestId" = ${this.contest.id}::uuid AND q.status = 'APPROVED'
        ${audienceCode ? Prisma.sql`AND (cardinality(q.audiences) = 0 OR ${audienceCode} = ANY(q.audiences))` : Prisma.empty}`;
    if (pool.length === 0) throw new Error(`contest ${this.contest.slug} has no approved questions`);
    const drawn = drawQuestions(
      pool,
      this.contest.def.questionsPerAttempt,
      new Set(pool.filter((q) => q.seen).map((q) => q.id)),
      this.random,
    );
    const limitMs = this.contest.def.timeLimitMinutes * 60_000;
    const deadline = new Date(Math.min(now.getTime() + limitMs, round.closesAt.getTime()));
    const ranked = !participant.excluded && audienceRanked(this.contest.def, audienceCode);
    const questions = JSON.stringify(drawn.map((d, position) => ({ position, ...d })));
    // A concurrent start (double tap, two platforms, another instance) meets this one at the
    // unique (round, participant): the loser inserts nothing and reads the winner's attempt.
    const inserted = await this.prisma.$executeRaw`
      WITH a AS (
        INSERT INTO "Attempt" (id, "roundId", "participantId", "accountId", status, ranked, "startedAt", "deadlineAt")
        VALUES (gen_random_uuid(), ${round.id}::uuid, ${participant.id}::uuid, ${accountId}::uuid, 'IN_PROGRESS', ${ranked},
          ${now}::timestamptz, ${deadline}::timestamptz)
        ON CONFLICT ("roundId", "participantId") DO NOTHING
        RETURNING id)
      INSERT INTO "AttemptQuestion" (id, "attemptId", position, "questionId", "optionOrder")
      SELECT gen_random_uuid(), a.id, d.position, d."questionId"::uuid, d."optionOrder"
      FROM a, jsonb_to_recordset(${questions}::jsonb) AS d(position int, "questionId" text, "optionOrder" int[])`;
    const attempt = await this.forRound(round, participant.id);
    if (!attempt) throw new Error(`attempt of round ${round.number} for ${participant.id} neither started nor found`);
    return { attempt, created: inserted > 0 };
  }

  /** Records the answer at `position` (shown option `shown`) unless it was answered already. */
  async answer(attempt: AttemptWithQuestions, position: number, shown: number, now: Date): Promise<AnswerOutcome> {
    if (attempt.status !== "IN_PROGRESS") return "closed";
    if (now >= attempt.deadlineAt) {
      await this.finalize(attempt.id, now);
      return "late";
    }
    const aq = attempt.questions.find((q) => q.position === position);
    const chosen = aq?.optionOrder[shown];
    if (!aq || chosen === undefined) return "duplicate";
    const answer = { chosen, correct: chosen === aq.question.correct, answeredAt: now };
    const updated = await this.prisma.$executeRaw`
      UPDATE "AttemptQuestion" SET chosen = ${answer.chosen}, correct = ${answer.correct}, "answeredAt" = ${now}
      WHERE id = ${aq.id}::uuid AND chosen IS NULL
        AND EXISTS (SELECT 1 FROM "Attempt" a WHERE a.id = ${attempt.id}::uuid AND a.status = 'IN_PROGRESS')`;
    if (updated !== 1) return "duplicate";
    // The caller's copy now matches the row (one person's turns never overlap): no reload needed.
    Object.assign(aq, answer);
    return "recorded";
  }

  /** Records the prediction on an attempt in progress (and on the caller's copy); false when it is closed. */
  async setPrediction(attempt: Attempt, prediction: number): Promise<boolean> {
    const updated = await this.prisma.$executeRaw`
      UPDATE "Attempt" SET prediction = ${prediction} WHERE id = ${attempt.id}::uuid AND status = 'IN_PROGRESS'`;
    if (updated === 1) attempt.prediction = prediction;
    return updated === 1;
  }

  /** Scores and closes the attempt once (see finishWhere); returns the final row. */
  async finalize(attemptId: string, now: Date): Promise<Attempt> {
    return (await this.finish(attemptId, now)).attempt;
  }

  /**
   * Finalises the attempt; `finishedNow` is true only for the call that did it (the conditional
   * update decides between racing calls, across instances too), so only that one announces it.
   */
  async finish(attemptId: string, now: Date): Promise<{ attempt: Attempt; finishedNow: boolean }> {
    const finished = await this.prisma.$queryRaw<Attempt[]>`${finishWhere(Prisma.sql`a.id = ${attemptId}::uuid`, now)} RETURNING a.*`;
    if (finished[0]) return { attempt: finished[0], finishedNow: true };
    const [attempt] = await this.prisma.$queryRaw<Attempt[]>`SELECT * FROM "Attempt" WHERE id = ${attemptId}::uuid`;
    if (!attempt) throw new Error(`attempt ${attemptId} not found`);
    return { attempt, finishedNow: false };
  }

  /** Finalises every attempt whose deadline has passed (run periodically by the server): one statement. */
  finalizeExpired(now: Date): Promise<number> {
    return this.prisma.$executeRaw`${finishWhere(
      Prisma.sql`a."deadlineAt" <= ${now} AND a."roundId" IN (SELECT id FROM "Round" WHERE "contestId" = ${this.contest.id}::uuid)`,
      now,
    )}`;
  }

  /** Finalises every unfinished attempt of the round (at its close): one statement. */
  finalizeRound(roundId: string, now: Date): Promise<number> {
    return this.prisma.$executeRaw`${finishWhere(Prisma.sql`a."roundId" = ${roundId}::uuid`, now)}`;
  }

  /** The value the prediction question asked for, as of now (frozen at round close by the caller). */
  async predictionActual(roundId: string): Promise<number> {
    const [counts] = await this.prisma.$queryRaw<{ perfect: number; participants: number }[]>`
      SELECT (count(*) FILTER (WHERE score = ${this.contest.def.questionsPerAttempt}))::int AS perfect, count(*)::int AS participants
      FROM "Attempt" WHERE "roundId" = ${roundId}::uuid AND ranked AND status IN ('SUBMITTED', 'EXPIRED')`;
    const { perfect, participants } = counts!;
    switch (this.contest.def.prediction.predicts) {
      case "perfect_attempts":
        return perfect;
      case "participants":
        return participants;
      case "perfect_percentage":
        return participants === 0 ? 0 : Math.round((perfect / participants) * 100);
    }
  }
}

/**
 * Scores and closes the unfinished attempts matching `where` (over `a`): SUBMITTED when handed in
 * before the deadline, EXPIRED otherwise; the time taken never exceeds the deadline.
 */
function finishWhere(where: Prisma.Sql, now: Date): Prisma.Sql {
  const end = Prisma.sql`LEAST(${now}::timestamptz, a."deadlineAt")`;
  return Prisma.sql`UPDATE "Attempt" a SET
      status = (CASE WHEN ${now}::timestamptz >= a."deadlineAt" THEN 'EXPIRED' ELSE 'SUBMITTED' END)::"AttemptStatus",
      "finishedAt" = ${end},
      score = (SELECT count(*) FROM "AttemptQuestion" q WHERE q."attemptId" = a.id AND q.correct)::int,
      "durationMs" = round(extract(epoch FROM ${end} - a."startedAt") * 1000)::int
    WHERE a.status = 'IN_PROGRESS' AND ${where}`;
}

type AttemptJson = { questions: { questionId: string; version: string }[] };

const reviveRound = (json: unknown) => revive<Round>(json, ["opensAt", "closesAt", "closedAt"]);

/**
 * The attempt matching `where` (over `a`) as JSON with its questions, each with the version of
 * what a turn shows and scores from its question (a digest of the text, options, answer key and
 * explanation): the questions themselves come from the cache, read again only when that changed.
 */
function attemptJson(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT to_jsonb(a) || jsonb_build_object('questions', COALESCE((
      SELECT jsonb_agg(to_jsonb(aq) || jsonb_build_object('version', ${QUESTION_VERSION}) ORDER BY aq.position)
      FROM "AttemptQuestion" aq JOIN "Question" q ON q.id = aq."questionId" WHERE aq."attemptId" = a.id), '[]'::jsonb))
    FROM "Attempt" a WHERE ${where})`;
}

async function attemptFromJson(db: Db, json: AttemptJson | null, round: Round): Promise<AttemptWithQuestions | null> {
  if (!json) return null;
  const questions = await questionCache.read(
    db,
    json.questions.map((aq) => ({ id: aq.questionId, version: aq.version })),
  );
  const withQuestions = json.questions.map(({ version: _, ...aq }) => ({
    ...revive<AttemptQuestion>(aq, ["answeredAt"]),
    question: questions.get(aq.questionId)!,
  }));
  const attempt = revive<Attempt>(json, ["startedAt", "deadlineAt", "finishedAt"]);
  return { ...attempt, questions: withQuestions, round } as AttemptWithQuestions;
}

/** First position without an answer, or undefined when all are answered. */
export function nextPosition(attempt: AttemptWithQuestions): number | undefined {
  return attempt.questions.find((q) => q.chosen === null)?.position;
}
