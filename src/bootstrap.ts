// Wires the process together: storage, sessions, features, HTTP server. Used by src/main.ts
// and by tests that need the whole server. Long on purpose: every feature is wired here, in
// one place, so what runs in a process reads top to bottom.
import type { Server } from "node:http";
import path from "node:path";
import type { Router } from "express";
import { adminRouter } from "./admin/router.js";
import { findToken } from "./admin/tokens.js";
import { startBackgroundWork } from "./background.js";
import { pendingDeliveries } from "./broadcast/campaigns.js";
import { GroupPosts } from "./broadcast/group-posts.js";
import type { Messenger } from "./broadcast/messenger.js";
import { certificateRouter } from "./certificates/router.js";
import { documentLoader } from "./channels/documents.js";
import { landingRouter } from "./channels/landing.js";
import { SimulatorChannel } from "./channels/simulator/channel.js";
import { PreviewWorld } from "./channels/simulator/preview.js";
import { simulatorRouter } from "./channels/simulator/router.js";
import { createTelegramBot } from "./channels/telegram/bot.js";
import { telegramFileFetcher } from "./channels/telegram/files.js";
import { initBotInBackground, telegramWebhookRouter } from "./channels/telegram/webhook.js";
import { ZaloAdapter } from "./channels/zalo/adapter.js";
import { ZaloChannel } from "./channels/zalo/channel.js";
import { ZaloClient } from "./channels/zalo/client.js";
import { zaloFileFetcher } from "./channels/zalo/files.js";
import { ZaloTokens } from "./channels/zalo/tokens.js";
import { zaloWebhookRouter } from "./channels/zalo/webhook.js";
import type { Config } from "./config.js";
import { consoleRouter } from "./console/router.js";
import { loadContestContext } from "./contest/context.js";
import { loadContestFile } from "./contest/loader.js";
import { EntryFileKeeper, type FileFetcher } from "./domain/entry-files.js";
import { UnitAdminDirectory } from "./domain/unit-admins.js";
import type { Platform } from "./generated/prisma/client.js";
import type { Logger } from "./logger.js";
import { organizerTools } from "./organizer/tools.js";
import { assemblePipeline } from "./pipeline/assemble.js";
import type { Pipeline } from "./pipeline/pipeline.js";
import type { TurnRunner } from "./pipeline/turn-runner.js";
import { createApp } from "./server/app.js";
import { type Closer, closeAll, closeServer } from "./server/lifecycle.js";
import { Metrics, metricsRouter } from "./server/metrics.js";
import { createServices } from "./services.js";
import { createSessionStore, type SessionStore } from "./sessions/index.js";
import { type Database, openDatabase } from "./storage/database.js";
import { openFileStore, S3FileStore } from "./storage/files.js";

export interface Running {
  server: Server;
  port: number;
  db: Database;
  sessions: SessionStore;
  runner: TurnRunner;
  pipeline: Pipeline;
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
    const services = createServices(db, contest, logger);
    const metrics = new Metrics(db.prisma, contest.id);
    const unitAdmins = new UnitAdminDirectory(contest, db.prisma);
    await unitAdmins.refresh();
    // Certificates link to their verification page at PUBLIC_URL (or this server, once listening).
    let listeningPort = config.port;
    const verifyBase = () => config.publicUrl ?? `http://localhost:${listeningPort}`;
    const documents = documentLoader({
      certificates: services.certificates,
      verifyBase,
      links: { telegramBot: config.telegramBotUsername, publicUrl: config.publicUrl },
    });
    const { runner, inbox, sender, pipeline, pacers, replyChannels, signal } = assemblePipeline({
      config,
      db,
      contest,
      sessions,
      logger,
      metrics,
      unitAdmins,
    });
    if (signal) closers.push({ name: "inbox wake-ups", close: () => signal.close() });
    const messengers: Partial<Record<Platform, Messenger>> = {};
    // Submitted entries' files, fetched from their platform into the file store.
    const fileStore = openFileStore(config);
    if (fileStore instanceof S3FileStore) closers.push({ name: "file store", close: async () => fileStore.close() });
    const fetchers: Partial<Record<Platform, FileFetcher>> = {};
    const keeper = new EntryFileKeeper(db.prisma, fileStore, fetchers, logger, contest.def.entries.attachments.maxBytes);
    const upkeep: { name: string; run: () => Promise<unknown> }[] = [
      { name: "inbox pruning", run: () => inbox.prune() },
      { name: "outbox pruning", run: () => sender.prune() },
      { name: "unit admins", run: () => unitAdmins.refresh() },
      { name: "entry files", run: () => keeper.run() },
      { name: "database upkeep", run: () => db.upkeep() },
    ];
    const notes: Record<string, () => Promise<unknown>> = {
      // What waits in the inbox (events not yet applied, DEAD ones for an organizer to look at)
      // and in the outbox (replies, broadcast deliveries and notices not yet sent).
      inbox: async () => {
        const counts = await inbox.counts();
        return counts.pending || counts.dead ? counts : null;
      },
      outbox: async () => ({ replies: await sender.counts(), deliveries: await pendingDeliveries(db.prisma) }),
    };
    let zaloStatus: (() => Promise<object>) | undefined;
    const routers: Router[] = [];
    if (config.telegram) {
      const telegramLogger = logger.child({ channel: "telegram" });
      const { bot, adapter, process } = createTelegramBot({
        ...config.telegram,
        runner,
        pipeline,
        organizer: organizerTools(db.prisma, services),
        contest,
        prisma: db.prisma,
        sessions,
        logger: telegramLogger,
        documents,
      });
      messengers.TELEGRAM = adapter;
      replyChannels.TELEGRAM = adapter;
      fetchers.TELEGRAM = telegramFileFetcher(bot.api, config.telegram.token, config.telegram.apiRoot);
      const groupPosts = new GroupPosts(db.prisma, contest, services.results, adapter, telegramLogger);
      upkeep.push({ name: "group posts", run: () => groupPosts.tick(new Date()) });
      let inited: Promise<void>;
      if (config.telegram.mode === "webhook") {
        const init = initBotInBackground(bot, telegramLogger);
        closers.push({ name: "telegram start-up", close: async () => init.stop() });
        await init.ready;
        inited = init.inited;
        routers.push(telegramWebhookRouter(pipeline, config.telegram.webhookSecret!, telegramLogger));
      } else {
        await bot.api.deleteWebhook();
        inited = bot.init();
        inited.catch((error: unknown) => logger.error({ err: error }, "Telegram getMe failed; updates wait in the inbox"));
        void bot
          .start({ onStart: () => logger.info("Telegram long polling started") })
          .catch((error: unknown) => logger.error({ err: error }, "Telegram polling stopped"));
        closers.push({ name: "telegram polling", close: () => bot.stop() });
      }
      // Updates wait in the inbox until the bot knows who it is (getMe).
      pipeline.on("TELEGRAM", async (event) => {
        await inited;
        return process(event);
      });
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
      const adapter = new ZaloAdapter(client, db.prisma, sessions, zaloLogger, config.zalo.buttons, documents);
      messengers.ZALO = adapter;
      fetchers.ZALO = zaloFileFetcher;
      replyChannels.ZALO = adapter;
      const channel = new ZaloChannel({ runner, pipeline, prisma: db.prisma, sessions, logger: zaloLogger });
      pipeline.on("ZALO", channel.process);
      routers.push(zaloWebhookRouter(channel, config.zalo, zaloLogger));
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
          pacers,
        }),
      );
    }
    routers.push(adminRouter({ prisma: db.prisma, services, logger, zaloStatus, inbox, verifyBase }));
    routers.push(metricsRouter(metrics, config.metricsToken));
    routers.push(certificateRouter(contest, services.certificates, verifyBase));
    routers.push(
      consoleRouter({
        prisma: db.prisma,
        services,
        logger: logger.child({ feature: "console" }),
        links: { publicUrl: config.publicUrl, telegramBot: config.telegramBotUsername, zaloOaId: config.zaloOaId },
        secure: config.publicUrl?.startsWith("https:") ?? false,
        store: sessions,
        files: fileStore,
      }),
    );
    routers.push(landingRouter(contest, { telegramBot: config.telegramBotUsername, zaloOaId: config.zaloOaId }));
    if (config.simulator) {
      const preview = new PreviewWorld(config.contestFile, logger);
      closers.push({ name: "simulator preview", close: () => preview.close() });
      const simulator = new SimulatorChannel({ runner, pipeline, prisma: db.prisma });
      pipeline.on("SIMULATOR", simulator.process);
      replyChannels.SIMULATOR = simulator;
      routers.push(
        simulatorRouter(simulator, preview, logger, {
          access: config.simulatorAccess,
          isOrganizer: async (token) => (await findToken(db.prisma, token))?.role === "ORGANIZER",
        }),
      );
    }
    // Every handler is registered: work recorded before this start (by a process that died, or
    // by another instance) is picked up now. Stopped before the database closes.
    if (config.workers) {
      await pipeline.start();
      closers.push({ name: "pipeline", close: () => pipeline.stop(config.shutdownTimeoutMs) });
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
    listeningPort = port;
    logger.info({ port, database: db.kind, sessions: sessions.kind }, `server listening on http://localhost:${port}`);
    if (config.simulator) {
      logger.info({ access: config.simulatorAccess }, `web simulator: http://localhost:${port}/simulator`);
    }
    return {
      server,
      port,
      db,
      sessions,
      runner,
      pipeline,
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
