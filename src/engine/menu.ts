// What a registered participant reaches from the menu: profile, results, the answer review
// after a round closes, certificates, help.

import { achievement, certificateFileName } from "../certificates/paper.js";
import type { AttemptWithQuestions } from "../domain/attempts.js";
import { BUTTONS, M } from "../messages/index.js";
import { formatDateTime, formatDuration } from "./format.js";
import { DATA, menuButtons } from "./keyboards.js";
import { describe, draftOf } from "./registration/flow.js";
import { type EngineContext, type RegisteredTurn, say, type Turn } from "./turn.js";

/** Files per request: a contest of many rounds could give one person a dozen. */
const MAX_CERTIFICATES_SENT = 5;

/** The unit the participant administers, if any (they get its tools in the menu). */
export const administeredUnit = (ctx: EngineContext, phone: string | undefined) => {
  const code = phone ? ctx.unitAdmins?.unitOf(phone) : undefined;
  return code ? ctx.contest.units.find((u) => u.code === code) : undefined;
};

export function showMenu(ctx: EngineContext, turn: Turn): void {
  const admin = administeredUnit(ctx, turn.participant?.phone);
  say(turn, M.menu, {
    buttons: [...menuButtons(ctx.contest), ...(admin ? [[{ label: BUTTONS.unitMenu, data: DATA.unitAdmin.menu }]] : [])],
  });
}

export function showHelp(ctx: EngineContext, turn: Turn): void {
  const def = ctx.contest.def;
  say(turn, M.help(def.timeLimitMinutes, def.questionsPerAttempt, def.prediction.enabled, def.certificates !== undefined));
  showMenu(ctx, turn);
}

export function showProfile(ctx: EngineContext, turn: RegisteredTurn): void {
  say(turn, M.profile(describe(ctx, draftOf(ctx, turn.participant))), {
    buttons: [[{ label: BUTTONS.editProfile, data: DATA.editProfile }], ...menuButtons(ctx.contest).slice(0, 1)],
  });
}

export async function showResults(ctx: EngineContext, turn: RegisteredTurn): Promise<void> {
  const attempts = await ctx.attempts.history(turn.participant.id);
  const lines = attempts.map((a) =>
    a.status === "IN_PROGRESS"
      ? M.inProgressLine(a.round.number)
      : M.resultLine(
          a.round.number,
          a.score ?? 0,
          a._count.questions,
          formatDuration(a.durationMs ?? 0),
          a.status === "EXPIRED" ? M.expiredTag : "",
        ),
  );
  const closed = attempts.filter((a) => a.round.closedAt && a.status !== "IN_PROGRESS");
  say(turn, M.myResults(lines), {
    buttons: closed.length
      ? [closed.map((a) => ({ label: M.reviewButton(a.round.number), data: DATA.review(a.round.number) }))]
      : undefined,
  });
  showMenu(ctx, turn);
}

/** The participant's certificates as PDF files, newest first (drawn when sent). */
export async function showCertificates(ctx: EngineContext, turn: RegisteredTurn): Promise<void> {
  if (!ctx.contest.def.certificates) {
    say(turn, M.certificatesOff);
    return showMenu(ctx, turn);
  }
  const all = await ctx.certificates.forParticipant(turn.participant.id);
  if (all.length === 0) say(turn, M.certificatesNone);
  for (const c of all.slice(0, MAX_CERTIFICATES_SENT)) {
    say(turn, M.certificateCaption(achievement(c), c.serial), {
      document: { kind: "certificate", code: c.code, filename: certificateFileName(c.serial) },
    });
  }
  if (all.length > MAX_CERTIFICATES_SENT) say(turn, M.certificatesMore(MAX_CERTIFICATES_SENT, all.length));
  showMenu(ctx, turn);
}

/** The participant's own paper with correct answers and explanations, once the round is closed. */
export async function showReview(ctx: EngineContext, turn: RegisteredTurn, roundNumber: number): Promise<void> {
  const round = await ctx.attempts.roundByNumber(roundNumber);
  if (!round) return showMenu(ctx, turn);
  if (!round.closedAt) return say(turn, M.reviewNotYet(formatDateTime(round.closesAt, ctx.contest.timezone)));
  const attempt = await ctx.attempts.forRound(round, turn.participant.id);
  if (!attempt) return showMenu(ctx, turn);
  const letter = (aq: AttemptWithQuestions["questions"][number], option: number | null) =>
    option === null ? undefined : `${"ABCDEF"[aq.optionOrder.indexOf(option)]}. ${aq.question.options[option]}`;
  for (const aq of attempt.questions) {
    say(
      turn,
      M.reviewItem(aq.position + 1, aq.question.text, letter(aq, aq.chosen), letter(aq, aq.question.correct)!, aq.question.explanation),
    );
  }
  showMenu(ctx, turn);
}
