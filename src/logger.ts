// pino logger. Personal data (phone numbers, birth dates, names, tokens) is redacted by key
// wherever it appears in a logged object; code must still avoid putting it in messages.
import { pino, type Logger } from "pino";

export type { Logger };

const REDACTED_KEYS = [
  "phone",
  "phoneNumber",
  "phone_number",
  "birthDate",
  "dateOfBirth",
  "fullName",
  "full_name",
  "token",
  "access_token",
  "refresh_token",
  "authorization",
  "password",
];

export function createLogger(level: string = "info"): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: [
        ...REDACTED_KEYS,
        ...REDACTED_KEYS.map((k) => `*.${k}`),
        ...REDACTED_KEYS.map((k) => `*.*.${k}`),
        "req.headers.authorization",
        'req.headers["x-telegram-bot-api-secret-token"]',
        "req.headers.cookie",
      ],
      censor: "[redacted]",
    },
  });
}
