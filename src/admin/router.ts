// The admin HTTP API under /api/admin. Every route, known or not, needs a valid bearer token
// (401 otherwise); organizers may do everything, unit admins read their own unit subtree only;
// every state-changing call is written to the audit log. One router on purpose (~270 lines):
// the access rules and request parsing above apply to every route, read in one place.
import { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import {
  buttonRowsSchema,
  type CampaignInput,
  campaignProgress,
  createCampaign,
  previewCampaign,
  setCampaignStatus,
} from "../broadcast/campaigns.js";
import { subtreeIdsOfCode, unitSubtreeIds } from "../contest/context.js";
import type { ApiToken, PrismaClient } from "../generated/prisma/client.js";
import type { Inbox } from "../inbox/inbox.js";
import type { Logger } from "../logger.js";
import { streamReport } from "../reports/render.js";
import { filterRows, liveStats, type Report, rankingReport, unitReport } from "../reports/reports.js";
import { rosterMissingReport, rosterReport } from "../reports/roster-report.js";
import { bearerToken } from "../server/client-address.js";
import { RequestError } from "../server/request-error.js";
import type { ContestServices } from "../services.js";
import { certificatesAdminRouter } from "./certificates-router.js";
import { findToken } from "./tokens.js";

declare module "express-serve-static-core" {
  interface Request {
    admin?: ApiToken;
  }
}

const campaignSchema = z.object({
  name: z.string().min(1).max(200),
  text: z.string().min(1).max(20_000),
  buttons: buttonRowsSchema.optional(),
  audience: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("all"), platform: z.enum(["TELEGRAM", "ZALO", "SIMULATOR"]).optional() }),
    z.object({ kind: z.literal("unit"), unitCode: z.string(), platform: z.enum(["TELEGRAM", "ZALO", "SIMULATOR"]).optional() }),
    z.object({ kind: z.literal("notAttempted"), platform: z.enum(["TELEGRAM", "ZALO", "SIMULATOR"]).optional() }),
    z.object({ kind: z.literal("rosterNotAttempted"), platform: z.enum(["TELEGRAM", "ZALO", "SIMULATOR"]).optional() }),
  ]),
  scheduledAt: z.coerce.date().optional(),
});

const ROUND_NUMBER = /^[1-9]\d{0,3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMATS = ["json", "csv", "xlsx"] as const;
type Format = (typeof FORMATS)[number];

/** `format` from the query: one of a fixed list, never used to build a path. */
function formatOf(value: unknown): Format {
  const format = value === undefined ? "json" : String(value);
  if (!(FORMATS as readonly string[]).includes(format)) throw new RequestError(400, "format: json, csv or xlsx");
  return format as Format;
}

export function adminRouter(deps: {
  prisma: PrismaClient;
  services: ContestServices;
  logger: Logger;
  /** The Zalo channel's state for organizers (button mode and fallbacks, token health); unset without Zalo. */
  zaloStatus?: () => Promise<object>;
  inbox: Inbox;
  /** The server's public address, for the verification links printed on certificates. */
  verifyBase: () => string;
}): Router {
  const { prisma } = deps;
  const { contest, attempts, results, closer } = deps.services;
  const router = Router();

  router.use("/api/admin", async (req, res, next) => {
    const token = bearerToken(req);
    const row = token ? await findToken(prisma, token) : null;
    if (!row) {
      res.status(401).json({ error: "a valid bearer token is required" });
      return;
    }
    req.admin = row;
    next();
  });

  const organizer = (req: Request, res: Response, next: NextFunction) =>
    req.admin?.role === "ORGANIZER" ? next() : void res.status(403).json({ error: "organizers only" });

  const audit = (req: Request, action: string, details: object) =>
    prisma.auditLog.create({ data: { actor: `${req.admin!.name} (${req.admin!.id})`, action, details } });

  /** Unit codes an admin may see: everything for organizers, their subtree for unit admins. */
  const visibleUnits = (admin: ApiToken): Set<string> => {
    if (admin.role === "ORGANIZER") return new Set(contest.units.map((u) => u.code));
    const ids = subtreeIdsOfCode(contest.units, admin.unitCode);
    return new Set(contest.units.filter((u) => ids.has(u.id)).map((u) => u.code));
  };

  /** Streams the report as it is read (a ranking of a million rows never sits in memory). */
  const sendReport = async (report: Report, format: Format, res: Response) => {
    if (format === "json") res.type("application/json; charset=utf-8");
    else {
      res.type(format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      res.attachment(`${report.title}.${format}`);
    }
    await streamReport(report, format, contest.timezone, res);
  };

  /** The round a path or query value names: 400 when it is not a round number, 404 when unknown. */
  const roundOf = async (value: unknown) => {
    const text = String(value);
    if (!ROUND_NUMBER.test(text)) throw new RequestError(400, `round: expected a round number, got "${text.slice(0, 20)}"`);
    const round = await prisma.round.findUnique({ where: { contestId_number: { contestId: contest.id, number: Number(text) } } });
    if (!round) throw new RequestError(404, `no round ${text}`);
    return round;
  };

  /** The campaign in the path: 400 when the id is not a UUID, 404 when unknown. */
  const campaignIdOf = async (value: unknown) => {
    const id = String(value);
    if (!UUID.test(id)) throw new RequestError(400, "campaign id: expected a UUID");
    if (!(await prisma.campaign.findFirst({ where: { id, contestId: contest.id }, select: { id: true } })))
      throw new RequestError(404, "no such campaign");
    return id;
  };

  const campaignInput = (req: Request): CampaignInput => {
    const parsed = campaignSchema.safeParse(req.body);
    if (!parsed.success) throw new RequestError(400, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const audience = parsed.data.audience;
    if (audience.kind === "unit" && !contest.units.some((u) => u.code === audience.unitCode.toUpperCase())) {
      throw new RequestError(400, `audience.unitCode: no unit ${audience.unitCode.slice(0, 32)} in this contest`);
    }
    return { ...parsed.data, createdBy: req.admin!.name } as CampaignInput;
  };

  router.get("/api/admin/stats", async (req, res) => {
    const visible = visibleUnits(req.admin!);
    const unitIds = req.admin!.role === "ORGANIZER" ? undefined : contest.units.filter((u) => visible.has(u.code)).map((u) => u.id);
    const { registered, round, attempted } = await liveStats(prisma, contest, attempts, new Date(), unitIds);
    res.json({ registered, round, attempted });
  });

  /** A report with a row per unit, of a round (`?round=N`) or the whole contest: only the units the admin may see. */
  const perUnitReport = (route: string, build: (round?: number) => Promise<Report>) =>
    router.get(route, async (req, res) => {
      const format = formatOf(req.query.format);
      const round = req.query.round === undefined ? undefined : await roundOf(req.query.round);
      const visible = visibleUnits(req.admin!);
      await sendReport(
        filterRows(await build(round?.number), (r) => visible.has(String(r.code))),
        format,
        res,
      );
    });
  perUnitReport("/api/admin/reports/units", (round) => unitReport(prisma, contest, results, round));
  // Mandatory participation: per unit, and the names of those who have not taken part (a unit
  // admin sees their own subtree only).
  perUnitReport("/api/admin/reports/roster", (round) => rosterReport(prisma, contest, round));

  router.get("/api/admin/reports/roster/missing", async (req, res) => {
    const format = formatOf(req.query.format);
    const round = req.query.round === undefined ? undefined : await roundOf(req.query.round);
    await sendReport(await rosterMissingReport(prisma, contest, round?.number, visibleUnits(req.admin!)), format, res);
  });

  router.get("/api/admin/units/:code/participants", async (req, res) => {
    const code = req.params.code!.toUpperCase();
    if (!contest.units.some((u) => u.code === code)) throw new RequestError(404, "no such unit");
    if (!visibleUnits(req.admin!).has(code)) return void res.status(403).json({ error: "not your unit" });
    const ids = unitSubtreeIds(contest.units, contest.units.find((u) => u.code === code)!.id);
    const people = await prisma.participant.findMany({
      where: { contestId: contest.id, unitId: { in: ids } },
      include: { unit: true, attempts: { include: { round: true } } },
      orderBy: { fullName: "asc" },
    });
    res.json(
      people.map((p) => ({
        fullName: p.fullName,
        unit: p.unit?.name,
        phoneVerified: p.phoneVerified,
        details: p.details,
        rounds: p.attempts.map((a) => ({ round: a.round.number, score: a.score, status: a.status })),
      })),
    );
  });

  router.use("/api/admin/certificates", organizer, certificatesAdminRouter(deps.services.certificates, deps.verifyBase));

  router.get("/api/admin/rounds/:n/ranking", organizer, async (req, res) => {
    const format = formatOf(req.query.format);
    const round = await roundOf(req.params.n);
    const audience = req.query.audience === undefined ? undefined : String(req.query.audience);
    if (audience !== undefined && !contest.audiences.some((a) => a.code === audience)) {
      throw new RequestError(400, `audience: one of ${contest.audiences.map((a) => a.code).join(", ") || "(none)"}`);
    }
    await sendReport(await rankingReport(prisma, contest, results, round.number, audience), format, res);
  });

  router.post("/api/admin/campaigns/preview", organizer, async (req, res) => {
    res.json(await previewCampaign(prisma, contest, campaignInput(req), new Date()));
  });

  router.post("/api/admin/campaigns", organizer, async (req, res) => {
    const input = campaignInput(req);
    const campaign = await createCampaign(prisma, contest, input, new Date());
    await audit(req, "campaign.create", { campaignId: campaign.id, name: campaign.name, audience: input.audience });
    res.status(201).json({ id: campaign.id, progress: await campaignProgress(prisma, campaign.id) });
  });

  router.get("/api/admin/campaigns/:id", organizer, async (req, res) => {
    res.json(await campaignProgress(prisma, await campaignIdOf(req.params.id)));
  });

  for (const [action, status] of [
    ["pause", "PAUSED"],
    ["resume", "SCHEDULED"],
    ["cancel", "CANCELLED"],
  ] as const) {
    router.post(`/api/admin/campaigns/:id/${action}`, organizer, async (req, res) => {
      const id = await campaignIdOf(req.params.id);
      await setCampaignStatus(prisma, id, status);
      await audit(req, `campaign.${action}`, { campaignId: id });
      res.json(await campaignProgress(prisma, id));
    });
  }

  router.post("/api/admin/rounds/:n/close", organizer, async (req, res) => {
    const round = await roundOf(req.params.n);
    const campaignId = await closer.close(round.id, new Date());
    await audit(req, "round.close", { round: round.number, campaignId });
    res.json({ round: round.number, noticeCampaign: campaignId, announcement: await closer.announcement(round.id) });
  });

  // Inbound events that failed every try: what and why, and a way to try again once fixed.
  router.get("/api/admin/inbox", organizer, async (_req, res) => {
    res.json({ counts: await deps.inbox.counts(), dead: await deps.inbox.dead() });
  });
  router.post("/api/admin/inbox/:id/retry", organizer, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id) || !(await deps.inbox.revive(id))) throw new RequestError(404, "no DEAD event with this id");
    await audit(req, "inbox.retry", { inboundId: id });
    res.json({ ok: true });
  });

  router.get("/api/admin/zalo", organizer, async (_req, res) => {
    if (!deps.zaloStatus) return void res.status(404).json({ error: "the Zalo channel is not configured" });
    res.json(await deps.zaloStatus());
  });

  router.use("/api/admin", (_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  return router;
}
