// Configuration: read once from the environment at start-up and validated with zod.
// Variable names are the operator interface of DESIGN.md section 6: keep them stable. Every
// variable is declared here, in one place, which is why the file is long.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { S3Settings } from "./storage/files.js";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SAMPLE_CONTEST_FILE = path.join(projectRoot, "contests", "sample", "contest.yaml");

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const onOff = z
  .enum(["on", "off", "true", "false", "1", "0"], { message: "phải là on hoặc off" })
  .transform((v) => v === "on" || v === "true" || v === "1");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgresql://")
      .optional(),
  ),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
      .optional(),
  ),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CONTEST_FILE: z.string().default(SAMPLE_CONTEST_FILE),
  SIMULATOR: optionalString.pipe(onOff.optional()),
  SIMULATOR_ACCESS: z.enum(["loopback", "public"]).default("loopback"),
  METRICS_TOKEN: optionalString,
  INBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  INBOX_CONCURRENCY: z.coerce.number().int().min(1).max(500).optional(),
  BACKGROUND: optionalString.pipe(onOff.optional()),
  WORKERS: optionalString.pipe(onOff.optional()),
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60 * 24 * 30),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "1–256 characters from A-Z a-z 0-9 _ -")
      .optional(),
  ),
  TELEGRAM_MODE: z.enum(["webhook", "polling"]).default("webhook"),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  TELEGRAM_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(100),
  TELEGRAM_BROADCAST_RATE: z.coerce.number().int().min(1).max(1000).default(30),
  TELEGRAM_BOT_USERNAME: optionalString,
  TELEGRAM_ORGANIZER_IDS: z
    .string()
    .regex(/^\s*(\d+\s*(,\s*\d+\s*)*)?$/, "comma-separated Telegram user ids")
    .default(""),
  ZALO_APP_ID: optionalString,
  ZALO_APP_SECRET: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_REFRESH_TOKEN: optionalString,
  ZALO_OA_ID: optionalString,
  ZALO_BUTTONS: z.enum(["auto", "on", "off"]).default("auto"),
  ZALO_API_BASE: z.url().default("https://openapi.zalo.me"),
  ZALO_OAUTH_BASE: z.url().default("https://oauth.zaloapp.com"),
  FILES_S3_BUCKET: optionalString,
  FILES_S3_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  FILES_S3_REGION: z.string().default("us-east-1"),
  FILES_S3_ACCESS_KEY: optionalString,
  FILES_S3_SECRET_KEY: optionalString,
});

type Env = z.infer<typeof schema>;

const isSet = (source: NodeJS.ProcessEnv, name: string) => (source[name] ?? "").trim() !== "";

/** Rules between variables, checked on the raw values so they are reported alongside type errors. */
function dependencyProblems(source: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const mode = source.TELEGRAM_MODE ?? "webhook";
  if (isSet(source, "TELEGRAM_BOT_TOKEN") && mode === "webhook" && !isSet(source, "TELEGRAM_WEBHOOK_SECRET")) {
    problems.push("TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_BOT_TOKEN is set and TELEGRAM_MODE=webhook");
  }
  if (isSet(source, "FILES_S3_BUCKET")) {
    for (const name of ["FILES_S3_ACCESS_KEY", "FILES_S3_SECRET_KEY"]) {
      if (!isSet(source, name)) problems.push(`${name}: required when FILES_S3_BUCKET is set`);
    }
  }
  if (isSet(source, "ZALO_APP_ID")) {
    for (const name of ["ZALO_APP_SECRET", "ZALO_OA_SECRET_KEY"]) {
      if (!isSet(source, name)) problems.push(`${name}: required when ZALO_APP_ID is set`);
    }
  }
  return problems;
}

export interface Config {
  env: Env["NODE_ENV"];
  port: number;
  host: string;
  logLevel: Env["LOG_LEVEL"];
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  publicUrl?: string;
  contestFile: string;
  simulator: boolean;
  /** Who may reach the simulator: clients on this machine only (default), or anyone. */
  simulatorAccess: "loopback" | "public";
  /** Bearer token for GET /metrics from other machines (this machine needs none). */
  metricsToken?: string;
  /**
   * How long a process holds an inbound event or outbox reply without renewing the claim (it
   * renews every third of it while alive); a dead process's work is taken over after it.
   */
  inboxLeaseMs: number;
  /** Inbound events worked on at once by this process (different people); default by database. */
  inboxConcurrency?: number;
  sessionTtlSeconds: number;
  /** Run the deadline sweep, round closing and the broadcast sender in this process. */
  background: boolean;
  /**
   * Apply inbox events and send outbox replies in this process. Off: the instance only records
   * and acknowledges webhooks (a web-only instance next to worker instances).
   */
  workers: boolean;
  shutdownTimeoutMs: number;
  telegram?: {
    token: string;
    webhookSecret?: string;
    mode: "webhook" | "polling";
    apiRoot: string;
    /** Concurrent webhook requests Telegram may open (`setWebhook` max_connections, 1–100). */
    maxConnections: number;
    /** Broadcast and notice messages per second across every instance (Telegram's bulk limit ~30/s). */
    broadcastPerSecond: number;
    /** Telegram user ids allowed to run organizer commands. */
    organizerIds: string[];
  };
  /** Bot username for links when no token is configured (e.g. printing posters offline). */
  telegramBotUsername?: string;
  /** The OA's id, for zalo.me links on unit pages. */
  zaloOaId?: string;
  zalo?: {
    appId: string;
    appSecret: string;
    oaSecretKey: string;
    refreshToken?: string;
    /** auto: buttons, a numbered list for a message Zalo refuses; on: buttons only; off: numbered lists only. */
    buttons: "auto" | "on" | "off";
    apiBase: string;
    oauthBase: string;
  };
  /** Uploaded files in an S3-compatible store; unset: a folder under DATA_DIR. */
  filesS3?: S3Settings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws ConfigError naming every wrong or missing variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(source);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`)),
    ...dependencyProblems(source),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    publicUrl: env.PUBLIC_URL,
    contestFile: path.resolve(env.CONTEST_FILE),
    simulator: env.SIMULATOR ?? env.NODE_ENV !== "production",
    simulatorAccess: env.SIMULATOR_ACCESS,
    metricsToken: env.METRICS_TOKEN,
    inboxLeaseMs: env.INBOX_LEASE_SECONDS * 1000,
    inboxConcurrency: env.INBOX_CONCURRENCY,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    background: env.BACKGROUND ?? true,
    workers: env.WORKERS ?? true,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    telegramBotUsername: env.TELEGRAM_BOT_USERNAME,
    telegram: env.TELEGRAM_BOT_TOKEN
      ? {
          token: env.TELEGRAM_BOT_TOKEN,
          webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
          mode: env.TELEGRAM_MODE,
          apiRoot: env.TELEGRAM_API_ROOT,
          maxConnections: env.TELEGRAM_MAX_CONNECTIONS,
          broadcastPerSecond: env.TELEGRAM_BROADCAST_RATE,
          organizerIds: env.TELEGRAM_ORGANIZER_IDS.split(",")
            .map((id) => id.trim())
            .filter(Boolean),
        }
      : undefined,
    zaloOaId: env.ZALO_OA_ID,
    zalo:
      env.ZALO_APP_ID && env.ZALO_APP_SECRET && env.ZALO_OA_SECRET_KEY
        ? {
            appId: env.ZALO_APP_ID,
            appSecret: env.ZALO_APP_SECRET,
            oaSecretKey: env.ZALO_OA_SECRET_KEY,
            refreshToken: env.ZALO_REFRESH_TOKEN,
            buttons: env.ZALO_BUTTONS,
            apiBase: env.ZALO_API_BASE,
            oauthBase: env.ZALO_OAUTH_BASE,
          }
        : undefined,
    filesS3: env.FILES_S3_BUCKET
      ? {
          bucket: env.FILES_S3_BUCKET,
          endpoint: env.FILES_S3_ENDPOINT,
          region: env.FILES_S3_REGION,
          accessKeyId: env.FILES_S3_ACCESS_KEY!,
          secretAccessKey: env.FILES_S3_SECRET_KEY!,
          // A custom endpoint is an S3-compatible server: those want the bucket in the path.
          forcePathStyle: env.FILES_S3_ENDPOINT !== undefined,
        }
      : undefined,
  };
}

/** Every configured value that must never be logged. */
export function configSecrets(config: Config): (string | undefined)[] {
  const dbPassword = config.databaseUrl ? decodeURIComponent(new URL(config.databaseUrl).password) : undefined;
  const redisPassword = config.redisUrl ? decodeURIComponent(new URL(config.redisUrl).password) : undefined;
  return [
    config.telegram?.token,
    config.telegram?.webhookSecret,
    config.metricsToken,
    config.zalo?.appSecret,
    config.zalo?.oaSecretKey,
    config.zalo?.refreshToken,
    config.filesS3?.secretAccessKey,
    dbPassword,
    redisPassword,
  ];
}
