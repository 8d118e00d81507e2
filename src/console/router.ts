// The web console at /admin: server-rendered pages (no build step, no CDN), sessions in the
// database, CSRF on every POST, roles checked on the server for every page and action.
// Sign-in (auth-routes.ts) is open; everything else needs a session.
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router } from "express";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { CONSOLE } from "../messages/console.js";
import type { ContestServices } from "../services.js";
import type { SessionStore } from "../sessions/store.js";
import type { FileStore } from "../storage/files.js";
import { ConsoleSessions } from "./auth/sessions.js";
import { SignInThrottle } from "./auth/throttle.js";
import { authRouter } from "./auth-routes.js";
import { dashboardData } from "./dashboard.js";
import { actorOf, type ConsoleDeps, sendPage } from "./deps.js";
import { html } from "./html.js";
import { checkCsrf, loadSession, requireSignIn, visibleUnitIds } from "./http.js";
import { dashboardBody, dashboardFragment } from "./pages/dashboard-page.js";
import { accountRoutes } from "./routes/accounts.js";
import { campaignRoutes } from "./routes/campaigns.js";
import { entriesOverviewRoutes } from "./routes/entries-overview.js";
import { judgingRoutes } from "./routes/judging.js";
import { peopleRoutes } from "./routes/people.js";
import { bankUploadParser, questionUploadRoutes } from "./routes/question-upload.js";
import { questionRoutes } from "./routes/questions.js";
import { roundRoutes } from "./routes/rounds.js";
import { unitEntryRoutes } from "./routes/unit-entries.js";
import { unitRoutes } from "./routes/units.js";

const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");

export function consoleRouter(options: {
  prisma: PrismaClient;
  services: ContestServices;
  logger: Logger;
  links: ConsoleDeps["links"];
  /** Cookies marked Secure (the console is served over HTTPS). */
  secure: boolean;
  /** Short-lived shared state (checked question banks waiting to be imported). */
  store: SessionStore;
  /** Where entries' files are kept (jurors download them). */
  files?: FileStore;
}): Router {
  const { prisma, services, logger } = options;
  const { contest } = services;
  const shell = { title: contest.title, judged: contest.def.judging !== undefined, written: contest.def.kind !== "quiz" };
  const deps: ConsoleDeps = {
    prisma,
    services,
    logger,
    links: options.links,
    audit: (req, action, details) => prisma.auditLog.create({ data: { actor: actorOf(req), action, details } }),
    send: sendPage(shell),
  };
  const router = Router();
  router.use("/admin/assets", express.static(ASSETS, { index: false, maxAge: "1h", fallthrough: false }));
  router.use("/admin", express.urlencoded({ extended: false, limit: "200kb" }), loadSession(new ConsoleSessions(prisma)));
  router.use(
    authRouter({
      prisma,
      sessions: new ConsoleSessions(prisma),
      throttle: new SignInThrottle(prisma),
      logger,
      secure: options.secure,
      contest: shell,
      unitCodes: contest.units.map((u) => u.code),
      audit: (actor, action, details) => prisma.auditLog.create({ data: { actor, action, details } }),
    }),
  );
  router.use("/admin/questions/upload", bankUploadParser());
  router.use("/admin", requireSignIn, checkCsrf, (req, res, next) => {
    // Jurors judge anonymised entries: the pages with names, units and figures stay closed to them.
    if (req.console!.user.role !== "JURY" || req.path.startsWith("/judging") || req.path === "/logout") return next();
    if (req.path === "/" && req.method === "GET") return res.redirect(303, "/admin/judging");
    res.status(403).type("text/plain; charset=utf-8").send(CONSOLE.notYourEntry);
  });

  const dashboard = async (req: express.Request) => {
    const now = new Date();
    return dashboardFragment(await dashboardData(prisma, services, visibleUnitIds(req, contest), now), contest.timezone, now);
  };
  router.get("/admin", async (req, res) => deps.send(req, res, CONSOLE.dashboardTitle, dashboardBody(await dashboard(req))));
  router.get("/admin/fragments/dashboard", async (req, res) => void res.type("html").send((await dashboard(req)).value));
  router.use(
    roundRoutes(deps),
    unitRoutes(deps),
    peopleRoutes(deps),
    questionUploadRoutes(deps, options.store),
    questionRoutes(deps),
    campaignRoutes(deps),
    judgingRoutes(deps, options.files),
    unitEntryRoutes(deps, options.files),
    entriesOverviewRoutes(deps),
    accountRoutes(deps),
  );
  router.use("/admin", (req, res) => deps.send(req, res, CONSOLE.notFound, html``, 404));
  return router;
}
