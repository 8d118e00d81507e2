// The contest's further registration fields (address, gender, occupation, school, class,
// workplace, email, ID card), asked one at a time after the unit and audience: a choice field
// as buttons, the others typed; an optional one can be skipped. The ID-card number is kept
// masked but its last 4 digits unless the contest file says otherwise.
import type { ContestDefinition, ExtraField } from "../../contest/definition.js";
import { BUTTONS, M } from "../../messages/index.js";
import { nfc } from "../../text/normalize.js";
import type { Callback } from "../callback-data.js";
import { DATA } from "../keyboards.js";
import type { Draft } from "../session.js";
import { type EngineContext, say, type Turn } from "../turn.js";
import type { Button, InboundEvent } from "../types.js";

type ExtraSpec = ContestDefinition["registration"]["extra"][number];

const DEFAULT_OPTIONS: Partial<Record<ExtraField, string[]>> = { gender: ["Nam", "Nữ", "Khác"] };

const optionsOf = (spec: ExtraSpec) => spec.options ?? DEFAULT_OPTIONS[spec.field];

/** The first field the draft has no answer for (a skipped one is answered with ""). */
export function nextExtra(ctx: EngineContext, draft: Draft): ExtraSpec | undefined {
  return ctx.contest.def.registration.extra.find((spec) => draft.extra?.[spec.field] === undefined);
}

/** "Giới tính: Nữ" lines for the confirmation screen and the profile. */
export function extraLines(ctx: EngineContext, extra: Record<string, string> | undefined): string[] {
  return ctx.contest.def.registration.extra
    .filter((spec) => extra?.[spec.field])
    .map((spec) => M.extraLine(M.extraLabels[spec.field], extra![spec.field]!));
}

export function askExtra(ctx: EngineContext, turn: Turn): void {
  const spec = nextExtra(ctx, turn.session.draft);
  if (!spec) return;
  const buttons: Button[][] = (optionsOf(spec) ?? []).map((label, i) => [{ label, data: DATA.extraChoice(i) }]);
  if (!spec.required) buttons.push([{ label: BUTTONS.skip, data: DATA.extraSkip }]);
  say(turn, M.askExtra(M.extraLabels[spec.field], optionsOf(spec) !== undefined, spec.required), buttons.length ? { buttons } : {});
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[A-Za-z]{2,}$/;

/** A typed answer checked for its field: the value to keep, or the message saying why not. */
function typed(spec: ExtraSpec, input: string): { value: string } | { error: string } {
  const text = nfc(input);
  if (spec.field === "email") return EMAIL.test(text) ? { value: text.toLowerCase() } : { error: M.extraEmailInvalid };
  if (spec.field === "idCard") {
    const digits = text.replace(/[\s.-]/g, "");
    if (!/^(\d{9}|\d{12})$/.test(digits)) return { error: M.extraIdCardInvalid };
    return { value: spec.keepFullIdCard ? digits : `${"*".repeat(digits.length - 4)}${digits.slice(-4)}` };
  }
  if (text.length < 2 || text.length > 200) return { error: M.extraLength };
  return { value: text };
}

/**
 * An answer to the field being asked; true when it was taken (the caller moves on), false when
 * the field was asked again with the reason.
 */
export function answerExtra(ctx: EngineContext, turn: Turn, event: InboundEvent, callback: Callback | undefined): boolean {
  const spec = nextExtra(ctx, turn.session.draft);
  if (!spec) return true;
  const options = optionsOf(spec);
  let value: string | undefined;
  if (callback?.kind === "extra") {
    if (callback.choice === null) value = spec.required ? undefined : "";
    else value = options?.[callback.choice];
  } else if (event.type === "text" && !options) {
    const r = typed(spec, event.text);
    if ("error" in r) {
      say(turn, r.error);
      askExtra(ctx, turn);
      return false;
    }
    value = r.value;
  }
  if (value === undefined) {
    say(turn, options ? M.useButtons : M.extraRequired);
    askExtra(ctx, turn);
    return false;
  }
  turn.session.draft.extra = { ...turn.session.draft.extra, [spec.field]: value };
  return true;
}
