// pino logger that keeps personal data and secrets out of every log line, whatever path wrote
// it: keys such as phone/fullName/token are redacted at any depth we log; errors go through
// one serializer that keeps their kind, message and stack but never the objects hanging off
// them (grammY's context and request payload, axios' config with the access token, Prisma's
// query arguments); and as a last line of defence every written line is scrubbed of the
// configured secrets (bot token, OA keys…) and of anything shaped like a Vietnamese phone.
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

const REDACTED_KEYS = [
  "phone",
  "phoneNumber",
  "phone_number",
  "birthDate",
  "dateOfBirth",
  "fullName",
  "full_name",
  "first_name",
  "last_name",
  "text",
  "token",
  "access_token",
  "refresh_token",
  "secret_key",
  "authorization",
  "password",
];

/** 0xxxxxxxxx, 84xxxxxxxxx and +84xxxxxxxxx mobile numbers, also with spaces or dots inside. */
const PHONE = /(?<![\d])(?:\+?84|0)(?:[ .-]?\d){9}(?![\d])/g;

export interface LoggerOptions {
  /** Values that must never appear in a log line (tokens, keys); empty ones are ignored. */
  secrets?: (string | undefined)[];
  /** Where lines go (tests capture them); standard output by default. */
  destination?: DestinationStream;
}

const MAX_MESSAGE = 500;

/** An error as a plain object that carries no request payloads, contexts or credentials. */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error).slice(0, MAX_MESSAGE) };
  const e = error as Error & Record<string, unknown>;
  // Prisma's validation errors quote the whole call, data included: keep the verdict only.
  const message = e.name.startsWith("PrismaClient") ? e.message.trim().split("\n").at(-1)! : e.message;
  const out: Record<string, unknown> = {
    type: e.name,
    message: message.slice(0, MAX_MESSAGE),
    stack: e.stack
      ?.split("\n")
      .filter((l) => l.startsWith("    at "))
      .slice(0, 12)
      .join("\n"),
  };
  for (const key of ["code", "error_code", "description", "method", "status", "errno", "syscall"]) {
    const v = e[key];
    if (typeof v === "string" || typeof v === "number") out[key] = typeof v === "string" ? v.slice(0, MAX_MESSAGE) : v;
  }
  // axios: the status of the answer, never its config (headers hold the access token).
  const response = e.response as { status?: unknown } | undefined;
  if (typeof response?.status === "number") out.status = response.status;
  // grammY wraps handler errors in BotError { error, ctx }: keep the error, drop the context.
  const inner = e.cause ?? (e.name === "BotError" ? e.error : undefined);
  if (inner !== undefined && depth < 3) out.cause = serializeError(inner, depth + 1);
  return out;
}

export function scrubber(secrets: (string | undefined)[]): (line: string) => string {
  const values = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= 6))];
  return (line) => {
    let out = line;
    for (const s of values) if (out.includes(s)) out = out.split(s).join("[secret]");
    return out.replace(PHONE, "[phone]");
  };
}

export function createLogger(level: string = "info", options: LoggerOptions = {}): Logger {
  const scrub = scrubber(options.secrets ?? []);
  return pino(
    {
      level,
      base: undefined,
      serializers: { err: serializeError, error: serializeError },
      redact: {
        paths: [
          ...REDACTED_KEYS,
          ...REDACTED_KEYS.map((k) => `*.${k}`),
          ...REDACTED_KEYS.map((k) => `*.*.${k}`),
          "req.headers.authorization",
          'req.headers["x-telegram-bot-api-secret-token"]',
          'req.headers["x-zevent-signature"]',
          "req.headers.cookie",
        ],
        censor: "[redacted]",
      },
      hooks: { streamWrite: scrub },
    },
    options.destination,
  );
}

/**
 * Last resort for promises nobody awaited (a library's timer, a forgotten `void`): log with
 * context and keep serving, instead of Node's default of exiting on the first one.
 */
export function guardProcess(logger: Logger): void {
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "unhandled promise rejection (kept running)");
  });
}
