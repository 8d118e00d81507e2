// Builds the pipeline of one process from its configuration: the turn runner, the inbox, the
// outbox sender with the platform pacers, the workers, and the wake-ups between instances.
// Channels register their handlers and adapters on what this returns (bootstrap.ts).
import { platformPacers } from "../broadcast/rate-limiter.js";
import type { Config } from "../config.js";
import type { ContestContext } from "../contest/context.js";
import type { UnitAdminDirectory } from "../domain/unit-admins.js";
import { ConversationEngine } from "../engine/engine.js";
import type { Platform } from "../generated/prisma/client.js";
import { Inbox } from "../inbox/inbox.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../server/metrics.js";
import { RedisSessionStore } from "../sessions/redis-store.js";
import type { SessionStore } from "../sessions/store.js";
import type { Database } from "../storage/database.js";
import type { ReplyChannel } from "./outbox.js";
import { OutboxSender } from "./outbox-sender.js";
import { Pipeline } from "./pipeline.js";
import { redisSignal } from "./redis-signal.js";
import { TurnRunner } from "./turn-runner.js";

export function assemblePipeline(deps: {
  config: Config;
  db: Database;
  contest: ContestContext;
  sessions: SessionStore;
  logger: Logger;
  metrics: Metrics;
  /** Who administers which unit (their tools in chat). */
  unitAdmins?: UnitAdminDirectory;
}) {
  const { config, db, contest, sessions, logger, metrics } = deps;
  const redis = sessions instanceof RedisSessionStore ? sessions.client : undefined;
  // With Redis the platform rates are one budget across instances, not one per instance.
  const pacers = platformPacers(redis, { TELEGRAM: config.telegram?.broadcastPerSecond });
  const inbox = new Inbox(db.prisma, db.urgent, { leaseMs: config.inboxLeaseMs });
  /** Filled in by the channels: how each platform delivers a reply. */
  const replyChannels: Partial<Record<Platform, ReplyChannel>> = {};
  const sender = new OutboxSender({
    prisma: db.prisma,
    sql: db.urgent,
    channels: replyChannels,
    pacers,
    logger,
    leaseMs: config.inboxLeaseMs,
    onOutcome: (platform, outcome) => metrics.replies.inc({ platform, outcome }),
  });
  const signal = redis ? redisSignal(redis, logger) : undefined;
  const pipeline = new Pipeline({
    inbox,
    sender,
    logger,
    signal,
    // PGlite runs one statement at a time: more turns in work would only queue in front of the
    // webhooks' inbox inserts (and delay their acknowledgement) without adding throughput.
    concurrency: config.inboxConcurrency ?? (db.kind === "pglite" ? 2 : 16),
    // Likewise for replies on PGlite: each settlement waits its turn on the one connection
    // (measured at 100 connections: acknowledgement p50 184 → 40 ms, p99 10.8 → 4.5 s).
    sendConcurrency: db.kind === "pglite" ? 4 : 32,
    // PGlite's folder is this process's alone: no other instance claims, so an event is claimed
    // as it is recorded (one statement less per event, docs/pipeline.md).
    claimOnRecord: db.kind === "pglite",
    onApplied: (platform, outcome) => metrics.events.inc({ platform, outcome }),
  });
  const runner = new TurnRunner({
    db,
    logger,
    contest,
    engine: new ConversationEngine({
      contest,
      logger,
      unitAdmins: deps.unitAdmins,
      links: { telegramBot: config.telegramBotUsername, publicUrl: config.publicUrl },
    }),
    sessions,
    clock: () => new Date(),
    sessionTtlSeconds: config.sessionTtlSeconds,
    // A web-only instance does not send: its replies wait for the workers of other instances.
    claimant: config.workers ? pipeline.claimant : undefined,
  });
  metrics.watchPipeline(inbox, sender);
  return { runner, inbox, sender, pipeline, pacers, replyChannels, signal };
}
