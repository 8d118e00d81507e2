// Zalo OA facts in one place (docs/zalo.md lists them with their sources). Each UNCONFIRMED
// fact is a single constant or function here, with what would confirm it.
import { createHash, timingSafeEqual } from "node:crypto";

export const ZALO = {
  sendPath: "/v3.0/oa/message/cs",
  /**
   * Multipart `file` (PDF, DOC, DOCX; up to 5 MB) answering a token for a `file` attachment.
   * UNCONFIRMED: the SDKs name this path, the platform notes confirm only the image upload; a
   * refusal makes the adapter send the file's link instead (a live upload would confirm it).
   */
  uploadFilePath: "/v2.0/oa/upload/file",
  /** Multipart `file` (JPG/PNG up to 1 MB) answering an attachment_id for a media template. */
  uploadImagePath: "/v2.0/oa/upload/image",
  profilePath: "/v3.0/oa/user/detail",
  tokenPath: "/v4/oa/access_token",
  textLimit: 2000,
  /** Max buttons on one message (SDK guard). */
  maxButtons: 5,
  /**
   * UNCONFIRMED: the button title limit of cs messages; titles are cut here. A live OA's answer
   * to a longer title would confirm it.
   */
  maxButtonTitle: 30,
  /**
   * Prefix of our `oa.query.hide` payloads. UNCONFIRMED that a tap comes back as a
   * `user_send_text` with exactly this text (partner docs say so); a live tap would confirm it.
   * Typed numbers and words work either way.
   */
  buttonPrefix: "#b:",
  /**
   * A correctly signed event older than this is acknowledged and dropped (never refused: Zalo
   * retries non-200 answers with the original timestamp and may disable the webhook). UNCONFIRMED
   * how long Zalo keeps retrying; a replayed stale event must not act again.
   */
  maxEventAgeMs: 5 * 60_000,
  /** Refresh the 25 h access token this long before it expires. */
  refreshMarginMs: 60 * 60_000,
} as const;

/** Error codes (HTTP 200 with error != 0). */
export const TOKEN_ERRORS = new Set([-216, -220]);
export const RATE_LIMIT_ERRORS = new Set([-32]);
/** The recipient cannot be messaged now (outside the 7-day window, not a follower, blocked, banned). */
export const UNREACHABLE_ERRORS = new Set([-213, -227, -230, -232, -244]);
/** Of those, the ones that last until the person acts (unfollowed, banned, blocked the message type). */
export const PERMANENT_UNREACHABLE_ERRORS = new Set([-213, -227, -244]);
/**
 * What a refusal of buttons on v3 cs messages looks like: UNCONFIRMED, guessed from the error
 * table (-201 is any invalid parameter, -233 an invalid message type). In ZALO_BUTTONS=auto a
 * message refused with one of these is sent again as a numbered list; nothing else changes.
 * A live OA's answer to a message with buttons would confirm it.
 */
export const BUTTONS_REFUSED_ERRORS = new Set([-201, -233]);
/** No Zalo Cloud Account linked / no money on it: messages outside 48 h cannot be paid for. */
export const BILLING_ERRORS = new Set([-320, -321]);

/**
 * UNCONFIRMED: which id prefixes the mac (app_id per most sources; oa_id in some code). A signed
 * event from the real webhook would confirm it (recompute both and see which matches).
 */
export function signatureBase(body: { app_id?: string }, rawBody: string, timestamp: string, secretKey: string): string {
  return `${body.app_id ?? ""}${rawBody}${timestamp}${secretKey}`;
}

/**
 * X-ZEvent-Signature: mac=<hex>, hex = sha256(app_id + raw body + timestamp + OA secret key).
 * `stale` marks a correctly signed event older than `maxEventAgeMs` (answered 200, not acted on).
 */
export function verifySignature(
  header: string | undefined,
  rawBody: Buffer,
  secretKey: string,
  expectedAppId: string,
  now: number,
): { ok: true; body: ZaloEvent; stale: boolean } | { ok: false; reason: string } {
  if (!header) return { ok: false, reason: "missing signature" };
  let body: ZaloEvent;
  try {
    body = JSON.parse(rawBody.toString("utf8")) as ZaloEvent;
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
  if (typeof body !== "object" || body === null || typeof body.event_name !== "string") return { ok: false, reason: "not an event" };
  if (body.app_id !== expectedAppId) return { ok: false, reason: "app_id does not match" };
  const expected = createHash("sha256")
    .update(signatureBase(body, rawBody.toString("utf8"), String(body.timestamp ?? ""), secretKey))
    .digest();
  const given = Buffer.from(header.replace(/^mac=/, "").trim(), "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad signature" };
  const at = Number(body.timestamp);
  return { ok: true, body, stale: !Number.isFinite(at) || now - at > ZALO.maxEventAgeMs };
}

export interface ZaloEvent {
  app_id?: string;
  oa_id?: string;
  event_name: string;
  timestamp?: string;
  sender?: { id: string; admin_id?: string };
  recipient?: { id: string };
  follower?: { id: string };
  message?: { msg_id?: string; text?: string; attachments?: unknown[] };
  info?: { name?: string; phone?: string };
}
