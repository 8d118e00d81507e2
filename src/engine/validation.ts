// Validation and normalisation of registration input. Each validator returns either the
// normalised value or the key of the participant message explaining what is wrong.
import { DateTime } from "luxon";
import { nfc } from "../text/normalize.js";

/** Keys of PARTICIPANT messages (birthTooYoung takes the minimum age). */
export type ValidationError =
  | "nameTooShort"
  | "nameTooLong"
  | "nameInvalid"
  | "birthFormat"
  | "birthImpossible"
  | "birthFuture"
  | "birthTooYoung"
  | "phoneInvalid"
  | "predictionInvalid";

export type Validated<T> = { ok: true; value: T } | { ok: false; error: ValidationError };

const NAME_LETTERS = /^[\p{L}][\p{L}\p{M}' .-]*$/u;

/** Full name: NFC, 2–100 letters (Vietnamese included), spaces collapsed, title case. */
export function validateFullName(input: string): Validated<string> {
  const text = nfc(input);
  const letters = [...text].filter((c) => /\p{L}/u.test(c)).length;
  if (letters < 2) return { ok: false, error: "nameTooShort" };
  if ([...text].length > 100) return { ok: false, error: "nameTooLong" };
  if (!NAME_LETTERS.test(text)) return { ok: false, error: "nameInvalid" };
  const titled = text
    .split(" ")
    .map((w) => (w ? w[0]!.toLocaleUpperCase("vi") + w.slice(1).toLocaleLowerCase("vi") : w))
    .join(" ");
  return { ok: true, value: titled.normalize("NFC") };
}

/**
 * Date of birth: 05/03/1990, 5-3-1990, 5.3.1990 (day first, as written in Vietnam) or
 * 1990-03-05. Rejects impossible and future dates and ages under the minimum (on `today`
 * in the contest's zone). Returns the date as YYYY-MM-DD.
 */
export function validateBirthDate(input: string, today: DateTime, minimumAge: number): Validated<string> {
  const text = nfc(input);
  let parts: [number, number, number] | undefined;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (m) parts = [Number(m[3]), Number(m[2]), Number(m[1])];
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!parts) return { ok: false, error: "birthFormat" };
  const date = DateTime.fromObject({ year: parts[0], month: parts[1], day: parts[2] }, { zone: today.zone });
  if (!date.isValid) return { ok: false, error: "birthImpossible" };
  if (date > today.startOf("day")) return { ok: false, error: "birthFuture" };
  if (date < today.minus({ years: 120 })) return { ok: false, error: "birthImpossible" };
  const age = Math.floor(today.startOf("day").diff(date, "years").years);
  if (age < minimumAge) return { ok: false, error: "birthTooYoung" };
  return { ok: true, value: date.toISODate()! };
}

// Vietnamese mobile prefixes after the 2018 renumbering (Viettel, Vinaphone, MobiFone,
// Vietnamobile, Gmobile, Itelecom, Reddi): 03x, 05x, 07x, 08x, 09x.
const MOBILE = /^(3[2-9]|5[2689]|7[06-9]|8[1-9]|9\d)\d{7}$/;

/** Vietnamese mobile number in any usual form → +84xxxxxxxxx, or undefined. */
export function normalizePhone(input: string): string | undefined {
  const digits = input.replace(/[\s.()-]/g, "");
  const m = /^(?:\+?84|0)?(\d{9})$/.exec(digits);
  if (!m || !MOBILE.test(m[1]!)) return undefined;
  return `+84${m[1]}`;
}

export function validatePhone(input: string): Validated<string> {
  const phone = normalizePhone(nfc(input));
  return phone ? { ok: true, value: phone } : { ok: false, error: "phoneInvalid" };
}

/** A whole number for the prediction question (0 to 10 million). */
export function validatePrediction(input: string): Validated<number> {
  const text = nfc(input).replace(/[.,\s]/g, "");
  if (!/^\d{1,8}$/.test(text)) return { ok: false, error: "predictionInvalid" };
  const n = Number(text);
  return n > 10_000_000 ? { ok: false, error: "predictionInvalid" } : { ok: true, value: n };
}
