// Registration as a table of steps: each says how it asks and how it handles an answer.
// Validation lives in validation.ts; persistence goes through the People service.
import { DateTime } from "luxon";
import { minimumAgeFor } from "../../contest/eligibility.js";
import { BUTTONS, M } from "../../messages/index.js";
import { fold, nfc } from "../../text/normalize.js";
import type { Callback } from "../callback-data.js";
import { DATA, ROOT, unitButtons } from "../keyboards.js";
import { emptySession, type RegistrationStep } from "../session.js";
import { type EngineContext, isRegistered, say, type Turn } from "../turn.js";
import type { InboundEvent } from "../types.js";
import { normalizePhone, type ValidationError, validateBirthDate, validateFullName, validatePhone } from "../validation.js";
import { answerExtra, askExtra, nextExtra } from "./extra.js";
import { advance, linkAccount, register, saveProfile, showConfirm, unitByCode } from "./flow.js";

interface Step {
  ask(ctx: EngineContext, turn: Turn): void;
  /** `callback` is the button payload already parsed by the pipeline (undefined for other events). */
  handle(ctx: EngineContext, turn: Turn, event: InboundEvent, callback: Callback | undefined): void | Promise<void>;
}

const textOf = (event: InboundEvent) => (event.type === "text" ? event.text : undefined);

function invalid(ctx: EngineContext, turn: Turn, error: ValidationError): void {
  say(turn, error === "birthTooYoung" ? M.birthTooYoung(minimumAgeFor(ctx.contest.def, turn.session.draft.audienceCode)) : M[error]);
}

const todayOf = (ctx: EngineContext, turn: Turn) => DateTime.fromJSDate(turn.now, { zone: ctx.contest.timezone });

/** A roster member's unit and audience, proposed (shown on the confirmation screen, editable). */
async function proposeFromRoster(ctx: EngineContext, turn: Turn, phone: string): Promise<void> {
  const entry = await ctx.people.rosterEntry(phone);
  if (!entry) return;
  const unit = ctx.contest.units.find((u) => u.id === entry.unitId);
  const audience = ctx.contest.audiences.find((a) => a.id === entry.audienceId);
  if (unit) turn.session.draft.unitCode = unit.code;
  if (audience) turn.session.draft.audienceCode = audience.code;
  if (unit || audience) say(turn, M.rosterFound(unit?.name ?? "—", audience?.name ?? "—"));
}

function chooseUnit(ctx: EngineContext, turn: Turn, code: string): void {
  turn.session.draft.unitCode = code;
  advance(ctx, turn, "unit");
}

const consentText = (ctx: EngineContext) =>
  M.consentFor(ctx.contest.def.registration.extra.map((spec) => M.extraLabels[spec.field].toLowerCase()));

const STEPS: Record<RegistrationStep, Step> = {
  consent: {
    ask: (ctx, turn) =>
      say(turn, consentText(ctx), {
        buttons: [[{ label: BUTTONS.consentYes, data: DATA.consentYes }], [{ label: BUTTONS.consentNo, data: DATA.consentNo }]],
      }),
    handle(ctx, turn, _event, callback) {
      if (callback?.kind !== "consent") return ask(ctx, turn, "consent");
      if (!callback.yes) {
        turn.session = emptySession();
        return say(turn, M.consentRefused);
      }
      turn.notice = BUTTONS.consentYes;
      ask(ctx, turn, "fullName");
    },
  },

  fullName: {
    ask: (_ctx, turn) => say(turn, M.askName),
    handle(ctx, turn, event) {
      const text = textOf(event);
      if (text === undefined) return say(turn, M.askName);
      const r = validateFullName(text);
      if (!r.ok) return invalid(ctx, turn, r.error);
      turn.session.draft.fullName = r.value;
      advance(ctx, turn, "fullName");
    },
  },

  birthDate: {
    ask: (_ctx, turn) => say(turn, M.askBirth),
    handle(ctx, turn, event) {
      const text = textOf(event);
      if (text === undefined) return say(turn, M.askBirth);
      const r = validateBirthDate(text, todayOf(ctx, turn), minimumAgeFor(ctx.contest.def, turn.session.draft.audienceCode));
      if (!r.ok) return invalid(ctx, turn, r.error);
      turn.session.draft.birthDate = r.value;
      advance(ctx, turn, "birthDate");
    },
  },

  phone: {
    ask(_ctx, turn) {
      const { canShareContact, canTypePhone } = turn.actor;
      if (!canShareContact) return say(turn, M.askPhoneTyped);
      say(turn, canTypePhone ? M.askPhoneContactOrTyped : M.askPhoneContact, { contactRequest: BUTTONS.shareContact });
    },
    async handle(ctx, turn, event) {
      const contactButton = turn.actor.canShareContact ? { contactRequest: BUTTONS.shareContact } : {};
      let phone: string | undefined;
      let verified: boolean;
      if (event.type === "contact") {
        if (!event.own) return say(turn, M.contactNotOwn, { contactRequest: BUTTONS.shareContact });
        phone = normalizePhone(event.phone);
        if (!phone) return say(turn, M.phoneInvalid, contactButton);
        verified = true;
      } else if (event.type === "text") {
        if (turn.actor.canShareContact && !turn.actor.canTypePhone)
          return say(turn, M.phoneUseButton, { contactRequest: BUTTONS.shareContact });
        const r = validatePhone(event.text);
        if (!r.ok) return invalid(ctx, turn, r.error);
        phone = r.value;
        verified = false; // nobody vouched for a typed number
      } else {
        return ask(ctx, turn, "phone");
      }
      const existing = await ctx.people.byPhone(phone);
      if (existing && verified && existing.phoneVerified) return linkAccount(ctx, turn, existing);
      if (existing && !verified) return say(turn, M.phoneTakenUnverified);
      if (existing) await ctx.people.releaseUnverified(existing);
      turn.session.draft.phone = phone;
      turn.session.draft.phoneVerified = verified;
      await proposeFromRoster(ctx, turn, phone);
      advance(ctx, turn, "phone");
    },
  },

  unit: {
    ask: (ctx, turn) => say(turn, M.askUnit, { buttons: unitButtons(ctx.contest.units, undefined, 0) }),
    handle(ctx, turn, event, callback) {
      const units = ctx.contest.units;
      if (event.type === "button") {
        if (callback?.kind === "unit" || callback?.kind === "unitChoose") {
          const unit = units.find((u) => u.code === callback.code);
          if (!unit) return ask(ctx, turn, "unit");
          if (callback.kind === "unitChoose" || !units.some((u) => u.parentId === unit.id)) return chooseUnit(ctx, turn, unit.code);
          return say(turn, M.askUnitIn(unit.name), { buttons: unitButtons(units, unit, 0) });
        }
        if (callback?.kind === "unitPage") {
          const parent = callback.parent === ROOT ? undefined : units.find((u) => u.code === callback.parent);
          return say(turn, parent ? M.askUnitIn(parent.name) : M.askUnit, { buttons: unitButtons(units, parent, callback.page) });
        }
        return ask(ctx, turn, "unit");
      }
      if (event.type !== "text") return ask(ctx, turn, "unit");
      const byCode = unitByCode(ctx, event.text);
      if (byCode) return chooseUnit(ctx, turn, byCode.code);
      const query = fold(event.text);
      const matches = query.length >= 2 ? units.filter((u) => fold(u.name).includes(query)).slice(0, 8) : [];
      if (matches.length === 0) return say(turn, M.unitNotFound(nfc(event.text)), { buttons: unitButtons(units, undefined, 0) });
      say(turn, M.unitSearchResults(nfc(event.text)), { buttons: matches.map((u) => [{ label: u.name, data: DATA.unitChoose(u.code) }]) });
    },
  },

  audience: {
    ask: (ctx, turn) =>
      say(turn, M.askAudience, { buttons: ctx.contest.audiences.map((a) => [{ label: a.name, data: DATA.audience(a.code) }]) }),
    handle(ctx, turn, _event, callback) {
      const code = callback?.kind === "audience" ? callback.code : undefined;
      const audience = ctx.contest.audiences.find((a) => a.code === code);
      if (!code || !audience) return ask(ctx, turn, "audience");
      const birthDate = turn.session.draft.birthDate;
      const minimumAge = minimumAgeFor(ctx.contest.def, code);
      if (birthDate && !validateBirthDate(birthDate, todayOf(ctx, turn), minimumAge).ok) {
        say(turn, M.audienceTooYoung(audience.name, minimumAge));
        return ask(ctx, turn, "audience");
      }
      turn.session.draft.audienceCode = code;
      advance(ctx, turn, "audience");
    },
  },

  extra: {
    ask: askExtra,
    handle(ctx, turn, event, callback) {
      if (!answerExtra(ctx, turn, event, callback)) return;
      if (nextExtra(ctx, turn.session.draft)) return ask(ctx, turn, "extra");
      advance(ctx, turn, "extra");
    },
  },

  confirm: {
    ask: showConfirm,
    async handle(ctx, turn, event, callback) {
      if (event.type !== "button") return say(turn, M.useButtons);
      if (callback?.kind === "edit") {
        if (callback.field === "phone" && turn.session.editingProfile) return say(turn, M.phoneLocked);
        if (callback.field === "extra") turn.session.draft.extra = {}; // asked again from the first
        return ask(ctx, turn, callback.field);
      }
      if (callback?.kind !== "confirm") return showConfirm(ctx, turn);
      if (turn.session.editingProfile && isRegistered(turn)) return saveProfile(ctx, turn);
      return register(ctx, turn);
    },
  },
};

export function ask(ctx: EngineContext, turn: Turn, step: RegistrationStep): void {
  turn.session.step = step;
  STEPS[step].ask(ctx, turn);
}

/** An event while a registration (or profile edit) is in progress. */
export async function onRegistrationEvent(
  ctx: EngineContext,
  turn: Turn,
  event: InboundEvent,
  callback: Callback | undefined,
): Promise<void> {
  if (event.type === "unsupported") return say(turn, M.unsupported);
  if (event.type === "command") return say(turn, M.commandDuringRegistration);
  const step = turn.session.step;
  if (step) await STEPS[step].handle(ctx, turn, event, callback);
}
