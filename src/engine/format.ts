// Formatting of instants and durations for people: always in the contest's zone.
import { DateTime } from "luxon";
import { dialledPhone } from "../domain/people.js";
import { FORMAT } from "../messages/format.js";

export function formatDateTime(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat(FORMAT.dateTime);
}

export function formatDate(isoDate: string): string {
  return DateTime.fromISO(isoDate).toFormat("dd/MM/yyyy");
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m > 0 ? FORMAT.minutesSeconds(m, String(s).padStart(2, "0")) : FORMAT.seconds(s);
}

export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

/** "+84912345678" → "0912 345 678" (shown to the person themselves only). */
export function formatPhone(phone: string): string {
  const local = `0${dialledPhone(phone).slice(3)}`;
  return `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}`;
}
