// Taking an attempt: start (or resume), one question at a time, the prediction, submit, and
// the result. The attempt's state is in the database; the session only remembers whether the
// person asked to change their prediction.

import { type AttemptWithQuestions, nextPosition } from "../domain/attempts.js";
import type { Round } from "../generated/prisma/client.js";
import { BUTTONS, M } from "../messages/index.js";
import { fold, nfc } from "../text/normalize.js";
import type { Callback } from "./callback-data.js";
import { formatClock, formatDateTime, formatDuration } from "./format.js";
import { answerButtons, DATA, menuButtons } from "./keyboards.js";
import { showMenu } from "./menu.js";
import { type EngineContext, type RegisteredTurn, say } from "./turn.js";
import type { InboundEvent } from "./types.js";
import { validatePrediction } from "./validation.js";

const LETTER_ANSWER = /^[a-fA-F1-6]$/;

/** A typed answer: its letter (A–F), its number (1–6) or the option's own text. */
function typedChoice(text: string, aq: AttemptWithQuestions["questions"][number]): number | undefined {
  const count = aq.optionOrder.length;
  if (LETTER_ANSWER.test(text)) {
    const shown = /\d/.test(text) ? Number(text) - 1 : text.toUpperCase().charCodeAt(0) - 65;
    return shown < count ? shown : undefined;
  }
  const typed = fold(text);
  const shown = aq.optionOrder.findIndex((i) => fold(aq.question.options[i] ?? "") === typed);
  return shown >= 0 ? shown : undefined;
}

async function nextOpening(ctx: EngineContext, turn: RegisteredTurn): Promise<string | undefined> {
  const round = await ctx.attempts.nextRound(turn.now);
  return round ? formatDateTime(round.opensAt, ctx.contest.timezone) : undefined;
}

export async function startAttempt(
  ctx: EngineContext,
  turn: RegisteredTurn,
  round: Round | null,
  existing: AttemptWithQuestions | null,
): Promise<void> {
  if (!round) return say(turn, M.noOpenRound(await nextOpening(ctx, turn)), { buttons: menuButtons(ctx.contest).slice(1) });
  let attempt = existing;
  if (attempt && attempt.status === "IN_PROGRESS" && turn.now >= attempt.deadlineAt) {
    await ctx.attempts.finalize(attempt.id, turn.now);
    attempt = await ctx.attempts.load(attempt.id);
  }
  if (attempt && attempt.status !== "IN_PROGRESS") {
    return say(turn, M.alreadyAttempted(round.number, await nextOpening(ctx, turn)), { buttons: menuButtons(ctx.contest).slice(1) });
  }
  if (attempt) {
    say(turn, M.resumeAttempt);
    return continueAttempt(ctx, turn, attempt);
  }
  const started = await ctx.attempts.start(round, turn.participant, turn.account.id, turn.now);
  if (!started.created && started.attempt.status !== "IN_PROGRESS") {
    return say(turn, M.alreadyAttempted(round.number, await nextOpening(ctx, turn)));
  }
  if (started.created) {
    if (turn.participant.excluded) say(turn, M.practiceNote);
    const deadline = formatDateTime(started.attempt.deadlineAt, ctx.contest.timezone);
    say(turn, M.attemptIntro(round.number, started.attempt.questions.length, ctx.contest.def.timeLimitMinutes, deadline));
  } else {
    say(turn, M.resumeAttempt);
  }
  continueAttempt(ctx, turn, started.attempt);
}

const awaitingPrediction = (ctx: EngineContext, turn: RegisteredTurn, attempt: AttemptWithQuestions) =>
  ctx.contest.def.prediction.enabled && (attempt.prediction === null || turn.session.predictionAgain === true);

/** Shows whatever the attempt needs next: a question, the prediction, or the submit screen. */
export function continueAttempt(ctx: EngineContext, turn: RegisteredTurn, attempt: AttemptWithQuestions): void {
  const position = nextPosition(attempt);
  if (position !== undefined) return showQuestion(turn, attempt, position);
  const def = ctx.contest.def;
  if (awaitingPrediction(ctx, turn, attempt)) return say(turn, M.askPrediction(def.prediction.question));
  const answered = attempt.questions.filter((q) => q.chosen !== null).length;
  say(turn, M.confirmSubmit(answered, attempt.questions.length, attempt.prediction ?? undefined), {
    buttons: [
      [{ label: BUTTONS.submit, data: DATA.submit }],
      ...(def.prediction.enabled ? [[{ label: BUTTONS.editPrediction, data: DATA.editPrediction }]] : []),
    ],
  });
}

function showQuestion(turn: RegisteredTurn, attempt: AttemptWithQuestions, position: number): void {
  const aq = attempt.questions[position]!;
  const options = aq.optionOrder.map((i) => aq.question.options[i]!);
  const left = formatClock(attempt.deadlineAt.getTime() - turn.now.getTime());
  say(turn, M.question(position + 1, attempt.questions.length, left, aq.question.text, options), {
    buttons: answerButtons(attempt.id, position, options.length),
    slot: "question",
  });
}

export async function onAnswerButton(
  ctx: EngineContext,
  turn: RegisteredTurn,
  tap: { attemptId: string; position: number; shown: number },
  attempt: AttemptWithQuestions | null,
): Promise<void> {
  if (!attempt || attempt.id !== tap.attemptId || attempt.status !== "IN_PROGRESS") {
    turn.notice = M.staleButton;
    if (attempt?.status === "IN_PROGRESS") continueAttempt(ctx, turn, attempt);
    return;
  }
  if (tap.position !== nextPosition(attempt) || tap.shown >= attempt.questions[tap.position]!.optionOrder.length) {
    turn.notice = M.staleButton;
    return;
  }
  return recordAnswer(ctx, turn, attempt, tap.position, tap.shown);
}

async function recordAnswer(
  ctx: EngineContext,
  turn: RegisteredTurn,
  attempt: AttemptWithQuestions,
  position: number,
  shown: number,
): Promise<void> {
  const outcome = await ctx.attempts.answer(attempt, position, shown, turn.now);
  if (outcome === "late" || outcome === "closed") return showFinal(ctx, turn, attempt, true);
  turn.notice = outcome === "duplicate" ? M.staleButton : M.answerRecorded;
  // A recorded answer updated `attempt` itself; a duplicate means the row moved on: read it.
  continueAttempt(ctx, turn, outcome === "recorded" ? attempt : (await ctx.attempts.load(attempt.id))!);
}

/** Typed letters or numbers, the prediction, «Nộp bài» and «Sửa dự đoán» during an attempt. */
export async function onAttemptInput(
  ctx: EngineContext,
  turn: RegisteredTurn,
  event: InboundEvent,
  callback: Callback | undefined,
  attempt: AttemptWithQuestions,
): Promise<void> {
  if (turn.now >= attempt.deadlineAt) return showFinal(ctx, turn, attempt, true);
  const position = nextPosition(attempt);
  const text = event.type === "text" ? nfc(event.text) : undefined;
  if (position !== undefined) {
    const shown = text === undefined ? undefined : typedChoice(text, attempt.questions[position]!);
    if (shown !== undefined) return recordAnswer(ctx, turn, attempt, position, shown);
    say(turn, event.type === "unsupported" ? M.unsupported : M.answerHint);
    return showQuestion(turn, attempt, position);
  }
  const def = ctx.contest.def;
  const waiting = awaitingPrediction(ctx, turn, attempt);
  if (callback?.kind === "editPrediction" && def.prediction.enabled) {
    turn.session.predictionAgain = true;
    return say(turn, M.askPrediction(def.prediction.question));
  }
  if (callback?.kind === "submit" && !waiting) return showFinal(ctx, turn, attempt, false);
  if (waiting && text !== undefined) {
    const r = validatePrediction(text);
    if (!r.ok) return say(turn, M.predictionInvalid);
    const recorded = await ctx.attempts.setPrediction(attempt, r.value);
    turn.session.predictionAgain = false;
    return continueAttempt(ctx, turn, recorded ? attempt : (await ctx.attempts.load(attempt.id))!);
  }
  if (event.type === "unsupported") say(turn, M.unsupported);
  continueAttempt(ctx, turn, attempt);
}

async function showFinal(ctx: EngineContext, turn: RegisteredTurn, attempt: AttemptWithQuestions, late: boolean): Promise<void> {
  const { attempt: final, finishedNow } = await ctx.attempts.finish(attempt.id, turn.now);
  if (!late && !finishedNow) {
    // The same «Nộp bài» tapped again (or handled by another instance a moment ago): one result.
    turn.notice = M.alreadySubmitted;
    return;
  }
  const total = attempt.questions.length;
  turn.session.predictionAgain = false;
  if (late || final.status === "EXPIRED") {
    say(turn, M.timeUp);
    say(turn, M.expiredResult(final.score ?? 0, total));
  } else {
    const closes = formatDateTime(attempt.round.closesAt, ctx.contest.timezone);
    say(turn, M.result(final.score ?? 0, total, formatDuration(final.durationMs ?? 0), closes));
  }
  showMenu(ctx, turn);
}
