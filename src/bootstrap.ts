// Wires the process together: storage, sessions, features, HTTP server. Used by src/main.ts
// and by tests that need the whole server.
import type { Server } from "node:http";
import path from "node:path";
import type { Router } from "express";
import { adminRouter } from "./admin/router.js";
import { findToken } from "./admin/tokens.js";
import { startBackgroundWork } from "./background.js";
import { pendingDeliveries } from "./broadcast/campaigns.js";
import type { Messenger } from "./broadcast/messenger.js";
import { platformPacers } from "./broadcast/rate-limiter.js";
import { landingRouter } from "./channels/landing.js";
import { PreviewWorld } from "./channels/simulator/preview.js";
import { simulatorRouter } from "./channels/simulator/router.js";
import { createTelegramBot } from "./channels/telegram/bot.js";
import { initBotInBackground, telegramWebhookRouter } from "./channels/telegram/webhook.js";
import { ZaloAdapter } from "./channels/zalo/adapter.js";
import { ZaloChannel } from "./channels/zalo/channel.js";
import { ZaloClient } from "./channels/zalo/client.js";
import { ZaloTokens } from "./channels/zalo/tokens.js";
import { zaloWebhookRouter } from "./channels/zalo/webhook.js";
import type { Config } from "./config.js";
import { loadContestContext } from "./contest/context.js";
import { loadContestFile } from "./contest/loader.js";
import { ConversationEngine } from "./engine/engine.js";
import type { Platform } from "./generated/prisma/client.js";
import { Inbox } from "./inbox/inbox.js";
import type { Logger } from "./logger.js";
import { organizerTools } from "./organizer/tools.js";
import { createApp } from "./server/app.js";
import { type Closer, closeAll, closeServer } from "./server/lifecycle.js";
import { Metrics, metricsRouter } from "./server/metrics.js";
import { createServices } from "./services.js";
import { createSessionStore, type SessionStore } from "./sessions/index.js";
import { RedisSessionStore } from "./sessions/redis-store.js";
import { type Database, openDatabase } from "./storage/database.js";

export interface Running {
  server: Server;
  port: number;
  db: Database;
  sessions: SessionStore;
  engine: ConversationEngine;
  /** Graceful stop; resolves true when every resource closed cleanly. */
  stop(): Promise<boolean>;
}

export async function bootstrap(config: Config, logger: Logger): Promise<Running> {
  const closers: Closer[] = [];
  try {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
    closers.push({ name: "database", close: () => db.close() });
    const sessions = createSessionStore(config.redisUrl, logger, path.join(config.dataDir, "sessions.json"));
    closers.push({ name: "session store", close: () => sessions.close() });

    // The contest file is the source of truth: loading is an idempotent upsert, so edits to it
    // take effect on restart (the bundled sample's rounds start on the day it is loaded).
    const loaded = await loadContestFile(db.prisma, config.contestFile);
    logger.info({ file: config.contestFile, rounds: loaded.rounds, questions: loaded.questions?.accepted.length }, "contest loaded");
    const contest = await loadContestContext(db.prisma, loaded.definition.slug);
    const services = createServices(db.prisma, contest, logger);
    const engine = new ConversationEngine({
      ...services,
      sessions,
      clock: () => new Date(),
      logger,
      sessionTtlSeconds: config.sessionTtlSeconds,
    });
    const metrics = new Metrics(db.prisma, contest.id);
    const messengers: Partial<Record<Platform, Messenger>> = {};
    const upkeep: { name: string; run: () => Promise<unknown> }[] = [];
    const notes: Record<string, () => Promise<unknown>> = {
      // Broadcast and notice backlog (the outbox): what is waiting and since when.
      outbox: async () => ({ pending: await pendingDeliveries(db.prisma) }),
    };
    let zaloStatus: (() => Promise<object>) | undefined;
    const routers: Router[] = [];
    if (config.telegram) {
      const telegramLogger = logger.child({ channel: "telegram" });
      const { bot, adapter } = createTelegramBot({
        ...config.telegram,
        engine,
        organizer: organizerTools(db.prisma, services),
        contest,
        prisma: db.prisma,
        sessions,
        logger: telegramLogger,
      });
      messengers.TELEGRAM = adapter;
      if (config.telegram.mode === "webhook") {
        const init = initBotInBackground(bot, telegramLogger);
        closers.push({ name: "telegram start-up", close: async () => init.stop() });
        await init.ready;
        routers.push(telegramWebhookRouter(bot, config.telegram.webhookSecret!, telegramLogger));
      } else {
        await bot.api.deleteWebhook();
        void bot
          .start({ onStart: () => logger.info("Telegram long polling started") })
          .catch((error: unknown) => logger.error({ err: error }, "Telegram polling stopped"));
        closers.push({ name: "telegram polling", close: () => bot.stop() });
      }
    }
    if (config.zalo) {
      const zaloLogger = logger.child({ channel: "zalo" });
      const tokens = new ZaloTokens(db.prisma, config.zalo, zaloLogger);
      await tokens.adoptSeed();
      upkeep.push({ name: "zalo tokens", run: () => tokens.keepFresh() });
      notes.zalo = async () => {
        const problem = await tokens.problem();
        return problem ? `re-authorise the OA: ${problem}` : null;
      };
      const buttons = config.zalo.buttons;
      zaloStatus = async () => {
        const state = await db.prisma.zaloState.findUnique({ where: { id: "oa" } });
        return {
          buttons,
          buttonFallbacks: state?.buttonFallbacks ?? 0,
          lastButtonFallbackAt: state?.buttonFallbackAt ?? null,
          token: { expiresAt: state?.expiresAt ?? null, refreshedAt: state?.refreshedAt ?? null, problem: state?.authError ?? null },
          inbox: await inbox.counts("ZALO"),
        };
      };
      const client = new ZaloClient(config.zalo.apiBase, tokens, zaloLogger);
      const adapter = new ZaloAdapter(client, db.prisma, sessions, zaloLogger, config.zalo.buttons);
      messengers.ZALO = adapter;
      const inbox = new Inbox(db.prisma, { leaseMs: config.inboxLeaseMs });
      const channel = new ZaloChannel({
        engine,
        adapter,
        inbox,
        prisma: db.prisma,
        sessions,
        logger: zaloLogger,
      });
      routers.push(zaloWebhookRouter(channel, config.zalo, zaloLogger));
      // Closed before the database (closers run in reverse): acknowledged events are finished.
      closers.push({ name: "zalo events", close: () => channel.drain(config.shutdownTimeoutMs) });
      // Events a previous process acknowledged but did not finish, now and from time to time.
      await channel.recover(0);
      upkeep.push({ name: "zalo inbox", run: () => channel.recover() });
      notes.inbox = async () => {
        const counts = await inbox.counts("ZALO");
        return counts.pending || counts.dead ? { zalo: counts } : null;
      };
    }
    if (config.background) {
      closers.push(
        startBackgroundWork({
          db,
          contest,
          services,
          messengers,
          logger,
          upkeep,
          onDelivery: (platform, outcome) => metrics.sends.inc({ platform, outcome }),
          // With Redis the platform rates are one budget across instances, not one per instance.
          pacers: platformPacers(sessions instanceof RedisSessionStore ? sessions.client : undefined),
        }),
      );
    }
    routers.push(adminRouter({ prisma: db.prisma, services, logger, zaloStatus }));
    routers.push(metricsRouter(metrics, config.metricsToken));
    routers.push(landingRouter(contest, { telegramBot: config.telegramBotUsername, zaloOaId: config.zaloOaId }));
    if (config.simulator) {
      const preview = new PreviewWorld(config.contestFile, logger);
      closers.push({ name: "simulator preview", close: () => preview.close() });
      routers.push(
        simulatorRouter(engine, preview, logger, {
          access: config.simulatorAccess,
          isOrganizer: async (token) => (await findToken(db.prisma, token))?.role === "ORGANIZER",
        }),
      );
    }
    const app = createApp({
      logger,
      checks: { database: () => db.ping(), sessions: () => sessions.ping() },
      notes,
      routers,
      requestCounter: metrics.middleware(),
    });
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
      s.once("error", reject);
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port, database: db.kind, sessions: sessions.kind }, `server listening on http://localhost:${port}`);
    if (config.simulator) {
      logger.info({ access: config.simulatorAccess }, `web simulator: http://localhost:${port}/simulator`);
    }
    return {
      server,
      port,
      db,
      sessions,
      engine,
      stop: async () => {
        await closeServer(server, config.shutdownTimeoutMs);
        return closeAll(closers, logger);
      },
    };
  } catch (error) {
    await closeAll(closers, logger);
    throw error;
  }
}
