// Registration around the steps: the start (welcome, referral), moving to the next step, the
// confirmation screen, and what «Xác nhận» does (register, link to an existing person, or
// save a profile edit).
import { participantDetails } from "../../domain/people.js";
import type { Participant } from "../../generated/prisma/client.js";
import { BUTTONS, M } from "../../messages/index.js";
import { nfc } from "../../text/normalize.js";
import { formatDate, formatPhone } from "../format.js";
import { DATA } from "../keyboards.js";
import { showMenu } from "../menu.js";
import { type Draft, emptySession, type RegistrationStep } from "../session.js";
import { type EngineContext, type RegisteredTurn, say, type Turn } from "../turn.js";
import type { Button } from "../types.js";
import { normalizePhone } from "../validation.js";
import { extraLines, nextExtra } from "./extra.js";
import { ask } from "./steps.js";

const ORDER: RegistrationStep[] = ["fullName", "birthDate", "phone", "unit", "audience", "extra", "confirm"];

export function unitByCode(ctx: EngineContext, text: string | undefined) {
  const code = nfc(text ?? "")
    .replace(/^#/, "")
    .toUpperCase();
  return code ? ctx.contest.units.find((u) => u.code === code) : undefined;
}

export const asksUnit = (ctx: EngineContext) => ctx.contest.def.registration.fields.includes("unit");

/** /start (with an optional unit code): the menu for registered people, else the welcome. */
export function onStart(ctx: EngineContext, turn: Turn, payload: string | undefined): void {
  const unit = unitByCode(ctx, payload);
  if (turn.participant) {
    turn.session = emptySession();
    say(turn, M.welcomeBack(turn.participant.fullName));
    return showMenu(ctx, turn);
  }
  turn.session = { ...emptySession(), step: "consent", referral: unit?.code };
  say(turn, M.welcome(ctx.contest.title, ctx.contest.organizer, unit?.name));
  if (payload && !unit) say(turn, M.unknownReferral);
  say(turn, M.rulesSummary(ctx.contest.rules));
  ask(ctx, turn, "consent");
}

/** Moves to the step after `step`, or back to the confirmation screen when correcting one field. */
export function advance(ctx: EngineContext, turn: Turn, step: RegistrationStep): void {
  const d = turn.session.draft;
  if (turn.session.returnToConfirm) return ask(ctx, turn, "confirm");
  for (const next of ORDER.slice(ORDER.indexOf(step) + 1)) {
    if (next === "unit") {
      if (!asksUnit(ctx)) continue;
      const referral = ctx.contest.units.find((u) => u.code === turn.session.referral);
      if (referral && !d.unitCode) {
        d.unitCode = referral.code;
        say(turn, M.unitFromReferral(referral.name));
      }
      if (d.unitCode) continue;
    }
    if (next === "audience") {
      const audiences = ctx.contest.audiences;
      if (audiences.length === 1) d.audienceCode = audiences[0]!.code;
      if (audiences.length <= 1 || d.audienceCode) continue;
    }
    if (next === "extra" && !nextExtra(ctx, d)) continue;
    return ask(ctx, turn, next);
  }
}

export function showConfirm(ctx: EngineContext, turn: Turn): void {
  turn.session.step = "confirm";
  turn.session.returnToConfirm = true;
  const edit: Button[][] = [
    [{ label: BUTTONS.editName, data: DATA.edit("fullName") }],
    [{ label: BUTTONS.editBirth, data: DATA.edit("birthDate") }],
  ];
  if (!turn.session.editingProfile) edit.push([{ label: BUTTONS.editPhone, data: DATA.edit("phone") }]);
  if (asksUnit(ctx)) edit.push([{ label: BUTTONS.editUnit, data: DATA.edit("unit") }]);
  if (ctx.contest.audiences.length > 1) edit.push([{ label: BUTTONS.editAudience, data: DATA.edit("audience") }]);
  if (ctx.contest.def.registration.extra.length) edit.push([{ label: BUTTONS.editExtra, data: DATA.edit("extra") }]);
  say(turn, M.confirmProfile(describe(ctx, turn.session.draft)), { buttons: [[{ label: BUTTONS.confirm, data: DATA.confirm }], ...edit] });
}

export function describe(ctx: EngineContext, d: Draft) {
  return {
    fullName: d.fullName ?? "",
    birth: d.birthDate ? formatDate(d.birthDate) : "",
    phone: d.phone ? formatPhone(d.phone) : "",
    unit: ctx.contest.units.find((u) => u.code === d.unitCode)?.name ?? "—",
    audience: ctx.contest.audiences.find((a) => a.code === d.audienceCode)?.name,
    extra: extraLines(ctx, d.extra),
  };
}

/** A registered participant's data in the shape of a registration draft. */
export function draftOf(ctx: EngineContext, p: Participant): Draft {
  return {
    fullName: p.fullName,
    birthDate: p.birthDate.toISOString().slice(0, 10),
    phone: p.phone,
    unitCode: ctx.contest.units.find((u) => u.id === p.unitId)?.code,
    audienceCode: ctx.contest.audiences.find((a) => a.id === p.audienceId)?.code,
    extra: participantDetails(p.details),
  };
}

function ids(ctx: EngineContext, d: Draft) {
  return {
    unitId: ctx.contest.units.find((u) => u.code === d.unitCode)?.id ?? null,
    audienceId: ctx.contest.audiences.find((a) => a.code === d.audienceCode)?.id ?? null,
    details: ctx.contest.def.registration.extra.length ? (d.extra ?? {}) : null,
  };
}

/** «Xác nhận» on a new registration. */
export async function register(ctx: EngineContext, turn: Turn): Promise<void> {
  const d = turn.session.draft;
  if (!d.fullName || !d.birthDate || !d.phone) return ask(ctx, turn, !d.fullName ? "fullName" : !d.birthDate ? "birthDate" : "phone");
  const phoneVerified = d.phoneVerified !== false;
  const outcome = await ctx.people.register(turn.account.id, {
    phone: d.phone,
    phoneVerified,
    fullName: d.fullName,
    birthDate: d.birthDate,
    excluded: ctx.contest.def.excludedPhones.some((p) => normalizePhone(p) === d.phone),
    consentAt: turn.now,
    ...ids(ctx, d),
  });
  if (outcome.kind === "taken") {
    // Registered from another account at the same moment: link only with a verified phone.
    if (phoneVerified && outcome.existing.phoneVerified) return linkAccount(ctx, turn, outcome.existing);
    say(turn, M.phoneTakenUnverified);
    return ask(ctx, turn, "phone");
  }
  turn.account = outcome.account;
  turn.participant = outcome.participant;
  turn.session = emptySession();
  if (outcome.kind === "duplicate") {
    turn.notice = M.alreadyRegistered;
    return;
  }
  say(turn, M.registered(outcome.participant.fullName));
  showMenu(ctx, turn);
}

/** The phone belongs to someone registered: this account joins them (one person, one attempt). */
export async function linkAccount(ctx: EngineContext, turn: Turn, participant: Participant): Promise<void> {
  const account = await ctx.people.link(turn.account, participant);
  if (!account) {
    say(turn, M.simulatorPhoneTaken);
    return ask(ctx, turn, "phone");
  }
  turn.account = account;
  turn.participant = participant;
  turn.session = emptySession();
  say(turn, M.linkedExisting(participant.fullName));
  ctx.logger.info({ participantId: participant.id, platform: turn.actor.platform }, "account linked to participant");
  showMenu(ctx, turn);
}

/** «Xác nhận» on a profile edit (the phone cannot change). */
export async function saveProfile(ctx: EngineContext, turn: RegisteredTurn): Promise<void> {
  const d = turn.session.draft;
  turn.participant = await ctx.people.updateProfile(turn.participant.id, {
    fullName: d.fullName ?? turn.participant.fullName,
    birthDate: d.birthDate ?? turn.participant.birthDate.toISOString().slice(0, 10),
    ...ids(ctx, d),
  });
  turn.session = emptySession();
  say(turn, M.profileUpdated);
  showMenu(ctx, turn);
}
