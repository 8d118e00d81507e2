// Broadcasts in the console: compose (text, optional «Bắt đầu thi» button), pick the audience
// (its size shown live), preview, schedule or send now; then a progress bar refreshing by itself
// (sent, failed, skipped, left, rate, time left) with pause, resume and cancel; the history.
// Sending is the existing campaign sender's job: one delivery per recipient, paced per platform.
import { type Request, type Response, Router } from "express";
import { DateTime } from "luxon";
import {
  type AudienceFilter,
  type CampaignInput,
  campaignProgress,
  createCampaign,
  type Progress,
  previewCampaign,
  setCampaignStatus,
} from "../../broadcast/campaigns.js";
import { DATA } from "../../engine/keyboards.js";
import type { Platform } from "../../generated/prisma/client.js";
import { CONSOLE } from "../../messages/console.js";
import { BUTTONS } from "../../messages/index.js";
import { actorOf, type ConsoleDeps } from "../deps.js";
import { type Html, html } from "../html.js";
import { requireOrganizer } from "../http.js";
import { notice } from "../pages/layout.js";

const PLATFORMS: Platform[] = ["TELEGRAM", "ZALO", "SIMULATOR"];

export function campaignRoutes(deps: ConsoleDeps): Router {
  const { prisma } = deps;
  const { contest } = deps.services;
  const router = Router();
  router.use(["/admin/campaigns", "/admin/fragments/campaign"], requireOrganizer);
  const local = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: contest.timezone }).toFormat("dd/MM/yyyy HH:mm") : "");
  const audiences: { value: string; label: string }[] = [
    { value: "all", label: CONSOLE.audienceAll },
    { value: "notAttempted", label: CONSOLE.audienceNotAttempted },
    { value: "rosterNotAttempted", label: CONSOLE.audienceRoster },
    ...contest.units.map((u) => ({ value: `unit:${u.code}`, label: CONSOLE.audienceUnit(u.name) })),
  ];

  /** The audience of a form or query: one of the fixed choices, or undefined. */
  const audienceOf = (value: unknown, platformValue: unknown): AudienceFilter | undefined => {
    const platform = PLATFORMS.find((p) => p === platformValue);
    const v = String(value ?? "");
    if (!audiences.some((a) => a.value === v)) return undefined;
    if (v.startsWith("unit:")) return { kind: "unit", unitCode: v.slice(5), platform };
    return { kind: v as "all" | "notAttempted" | "rosterNotAttempted", platform };
  };

  /** The campaign a form describes, or the reasons it is not one. */
  const inputOf = (req: Request): CampaignInput | string => {
    const b = req.body as Record<string, unknown>;
    const name = String(b.name ?? "").trim();
    const text = String(b.text ?? "")
      .normalize("NFC")
      .trim();
    const audience = audienceOf(b.audience, b.platform);
    const at = String(b.scheduledAt ?? "");
    const scheduledAt = at ? DateTime.fromISO(at, { zone: contest.timezone }) : undefined;
    const problems = [
      name.length < 1 || name.length > 100 ? CONSOLE.campaignName : "",
      text.length < 1 || text.length > 4000 ? CONSOLE.campaignText : "",
      audience ? "" : CONSOLE.audience,
      scheduledAt && !scheduledAt.isValid ? CONSOLE.scheduleAt : "",
    ].filter(Boolean);
    if (problems.length || !audience) return `${CONSOLE.campaignInvalid}: ${problems.join(", ")}`;
    return {
      name,
      text,
      audience,
      buttons: b.startButton === "yes" ? [[{ label: BUTTONS.start, data: DATA.menuStart }]] : undefined,
      scheduledAt: scheduledAt?.toJSDate(),
      createdBy: actorOf(req),
    };
  };

  const fields = (b: Record<string, unknown>) =>
    ["name", "text", "audience", "platform", "scheduledAt", "startButton"].map(
      (k) => html`<input type="hidden" name="${k}" value="${typeof b[k] === "string" ? (b[k] as string) : ""}">`,
    );

  const listPage = async (req: Request, res: Response, error?: string) => {
    const campaigns = await prisma.campaign.findMany({ where: { contestId: contest.id }, orderBy: { createdAt: "desc" }, take: 50 });
    const csrf = req.console!.csrfToken;
    deps.send(
      req,
      res,
      CONSOLE.campaignsTitle,
      html`${notice(error, "error")}<form method="post" action="/admin/campaigns/preview" class="card" data-size="/admin/campaigns/size">
<h2>${CONSOLE.compose}</h2><input type="hidden" name="_csrf" value="${csrf}">
<label>${CONSOLE.campaignName}<input name="name" required maxlength="100"></label>
<label>${CONSOLE.campaignText}<textarea name="text" rows="5" required maxlength="4000"></textarea></label>
<label><input type="checkbox" name="startButton" value="yes"> ${CONSOLE.startButton}</label>
<label>${CONSOLE.audience}<select name="audience">${audiences.map((a) => html`<option value="${a.value}">${a.label}</option>`)}</select></label>
<label>${CONSOLE.platform}<select name="platform"><option value="">${CONSOLE.platformAny}</option>${PLATFORMS.map((p) => html`<option>${p}</option>`)}</select></label>
<p class="muted" data-size-out></p>
<label>${CONSOLE.scheduleAt}<input type="datetime-local" name="scheduledAt"></label><button>${CONSOLE.previewButton}</button></form>
<section class="card"><h2>${CONSOLE.history}</h2><table><thead><tr><th>${CONSOLE.campaignName}</th><th>${CONSOLE.colState}</th>
<th>${CONSOLE.colCreated}</th><th>${CONSOLE.scheduleAt}</th></tr></thead><tbody>
${campaigns.map((c) => html`<tr><td><a href="/admin/campaigns/${c.id}">${c.name}</a></td><td>${CONSOLE.campaignStatus[c.status]}</td><td>${local(c.createdAt)}</td><td>${local(c.scheduledAt)}</td></tr>`)}
</tbody></table></section>`,
      error ? 400 : 200,
    );
  };

  router.get("/admin/campaigns", (req, res) => listPage(req, res));

  router.get("/admin/campaigns/size", async (req, res) => {
    const audience = audienceOf(req.query.audience, req.query.platform);
    if (!audience) return void res.status(400).json({ error: CONSOLE.audience });
    const { recipients } = await previewCampaign(prisma, contest, { name: "-", text: "-", audience, createdBy: "-" }, new Date());
    res.json({ recipients, text: CONSOLE.audienceSize(recipients) });
  });

  router.post("/admin/campaigns/preview", async (req, res) => {
    const input = inputOf(req);
    if (typeof input === "string") return listPage(req, res, input);
    const p = await previewCampaign(prisma, contest, input, new Date());
    deps.send(
      req,
      res,
      CONSOLE.previewTitle,
      html`<p class="notice" data-recipients="${p.recipients}">${CONSOLE.previewFacts(p.recipients, p.blocked, p.zalo.unreachable)}</p>
<div class="phone"><pre>${input.text}</pre>${input.buttons ? html`<div class="keys"><span>${BUTTONS.start}</span></div>` : ""}</div>
<form method="post" action="/admin/campaigns"><input type="hidden" name="_csrf" value="${req.console!.csrfToken}">${fields(req.body as Record<string, unknown>)}
<button>${CONSOLE.confirmSend}</button></form>`,
    );
  });

  router.post("/admin/campaigns", async (req, res) => {
    const input = inputOf(req);
    if (typeof input === "string") return listPage(req, res, input);
    const campaign = await createCampaign(prisma, contest, input, new Date());
    await deps.audit(req, "campaign.create", { campaignId: campaign.id, name: campaign.name, audience: input.audience });
    res.redirect(303, `/admin/campaigns/${campaign.id}`);
  });

  const campaignOf = async (req: Request) => {
    const id = String(req.params.id);
    return /^[0-9a-f-]{36}$/.test(id) ? prisma.campaign.findFirst({ where: { id, contestId: contest.id } }) : null;
  };
  const progressFragment = (id: string, status: string, p: Progress, csrf: string): Html => {
    const done = p.sent + p.failed + p.skipped;
    const percent = p.total ? Math.round((done / p.total) * 100) : 0;
    const action = (name: string, label: string) =>
      html`<form method="post" action="/admin/campaigns/${id}/${name}" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button>${label}</button></form>`;
    return html`<p>${CONSOLE.campaignStatus[status]}</p>
<progress max="100" value="${percent}" data-percent="${percent}">${percent}%</progress> <strong>${percent}%</strong>
<p data-progress>${CONSOLE.progressFigures(p)}</p><p class="muted">${CONSOLE.progressRate(p.ratePerSecond, p.secondsLeft)}</p>
${p.pausedReason ? html`<p class="notice error">${CONSOLE.pausedBecause(p.pausedReason)}</p>` : ""}
<p>${["SCHEDULED", "RUNNING"].includes(status) ? action("pause", CONSOLE.pause) : ""}${status === "PAUSED" ? action("resume", CONSOLE.resume) : ""}
${["SCHEDULED", "RUNNING", "PAUSED"].includes(status) ? action("cancel", CONSOLE.cancel) : ""}</p>`;
  };

  router.get("/admin/campaigns/:id", async (req, res) => {
    const c = await campaignOf(req);
    if (!c) return deps.send(req, res, CONSOLE.notFound, html``, 404);
    const fragment = progressFragment(c.id, c.status, await campaignProgress(prisma, c.id), req.console!.csrfToken);
    deps.send(
      req,
      res,
      CONSOLE.campaignTitle(c.name),
      html`<div class="card" data-refresh="/admin/fragments/campaign/${c.id}" data-interval="2000">${fragment}</div><pre>${c.text}</pre>`,
    );
  });

  router.get("/admin/fragments/campaign/:id", async (req, res) => {
    const c = await campaignOf(req);
    if (!c) return void res.status(404).end();
    res.type("html").send(progressFragment(c.id, c.status, await campaignProgress(prisma, c.id), req.console!.csrfToken).value);
  });

  for (const [action, status] of [
    ["pause", "PAUSED"],
    ["resume", "SCHEDULED"],
    ["cancel", "CANCELLED"],
  ] as const) {
    router.post(`/admin/campaigns/:id/${action}`, async (req, res) => {
      const c = await campaignOf(req);
      if (!c) return deps.send(req, res, CONSOLE.notFound, html``, 404);
      await setCampaignStatus(prisma, c.id, status);
      await deps.audit(req, `campaign.${action}`, { campaignId: c.id });
      res.redirect(303, `/admin/campaigns/${c.id}`);
    });
  }
  return router;
}
