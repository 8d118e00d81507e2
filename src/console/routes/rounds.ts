// Rounds in the console: the schedule with each round's state; a round's ranking (frozen once
// closed, provisional before), its unit ranking with prizes and the announcement; closing by
// hand after an explicit confirmation; publishing the announcement; XLSX/CSV downloads.
import { type Request, type Response, Router } from "express";
import { DateTime } from "luxon";
import { createCampaign } from "../../broadcast/campaigns.js";
import { formatDuration } from "../../engine/format.js";
import { CONSOLE } from "../../messages/console.js";
import { M } from "../../messages/index.js";
import { streamReport } from "../../reports/render.js";
import { rankingReport, unitReport } from "../../reports/reports.js";
import { actorOf, type ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { requireOrganizer } from "../http.js";
import { notice } from "../pages/layout.js";

const TOP = 50;

export function roundRoutes(deps: ConsoleDeps): Router {
  const { prisma, services } = deps;
  const { contest, results, closer } = services;
  const router = Router();
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: contest.timezone }).toFormat("dd/MM/yyyy HH:mm");
  const roundOf = async (req: Request) => {
    const n = String(req.params.n);
    if (!/^[1-9]\d{0,3}$/.test(n)) return null;
    return prisma.round.findUnique({ where: { contestId_number: { contestId: contest.id, number: Number(n) } } });
  };
  const notFound = (req: Request, res: Response) => deps.send(req, res, CONSOLE.notFound, html``, 404);

  router.get("/admin/rounds", async (req, res) => {
    const now = new Date();
    const rounds = await prisma.round.findMany({ where: { contestId: contest.id }, orderBy: { number: "asc" } });
    const counts = new Map(
      (await prisma.attempt.groupBy({ by: ["roundId"], where: { round: { contestId: contest.id } }, _count: { _all: true } })).map((g) => [
        g.roundId,
        g._count._all,
      ]),
    );
    const organizer = req.console!.user.role === "ORGANIZER";
    const rows = rounds.map((r) => {
      const state = r.closedAt ? "closed" : r.closesAt <= now ? "ended" : r.opensAt <= now ? "open" : "upcoming";
      return html`<tr data-round="${r.number}"><td>${r.number}</td><td>${local(r.opensAt)}</td><td>${local(r.closesAt)}</td>
<td class="state-${state}">${CONSOLE.roundState[state]}</td><td>${counts.get(r.id) ?? 0}</td>
<td><a href="/admin/rounds/${r.number}">${CONSOLE.viewResults}</a>
${organizer && !r.closedAt && r.opensAt <= now ? html` <a href="/admin/rounds/${r.number}#close">${CONSOLE.closeRound}</a>` : ""}</td></tr>`;
    });
    deps.send(
      req,
      res,
      CONSOLE.roundsTitle,
      html`<table><thead><tr><th>${CONSOLE.colRound}</th><th>${CONSOLE.colOpens}</th><th>${CONSOLE.colCloses}</th><th>${CONSOLE.colState}</th>
<th>${CONSOLE.attempts}</th><th>${CONSOLE.colActions}</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  });

  router.get("/admin/rounds/:n", async (req, res) => {
    const round = await roundOf(req);
    if (!round) return notFound(req, res);
    const { rows, ranked } = await results.top(round.id, TOP);
    const people = new Map(
      (await prisma.participant.findMany({ where: { id: { in: rows.map((r) => r.participantId) } }, include: { unit: true } })).map((p) => [
        p.id,
        p,
      ]),
    );
    const units = (await results.unitRanking(round.id)).filter((u) => u.rank !== null);
    // Audiences with prizes of their own have their own places.
    const ownPrizes = contest.def.audiences.filter((a) => a.prizes?.length);
    const audienceTops = await Promise.all(ownPrizes.map(async (a) => ({ name: a.name, ...(await results.top(round.id, TOP, a.code)) })));
    const audienceIds = audienceTops.flatMap((t) => t.rows.map((r) => r.participantId));
    for (const p of await prisma.participant.findMany({ where: { id: { in: audienceIds } }, include: { unit: true } })) people.set(p.id, p);
    const rankingRows = (list: typeof rows) =>
      list.map((r) => {
        const p = people.get(r.participantId);
        return html`<tr><td>${r.rank}</td><td>${p?.fullName}</td><td>${p?.unit?.name ?? "—"}</td><td>${r.score}</td><td>${formatDuration(r.durationMs)}</td><td>${r.prize ?? ""}</td></tr>`;
      });
    const organizer = req.console!.user.role === "ORGANIZER";
    const message = typeof req.query.done === "string" ? req.query.done : undefined;
    const body = html`${notice(message === "closed" ? CONSOLE.roundClosed(round.number) : message === "published" ? CONSOLE.published : undefined)}
${round.closedAt ? "" : html`<p class="notice">${CONSOLE.provisional}</p>`}
<p>${CONSOLE.download}: <a href="/admin/rounds/${round.number}/ranking.xlsx">${CONSOLE.rankingDownload} (XLSX)</a> ·
<a href="/admin/rounds/${round.number}/ranking.csv">CSV</a> · <a href="/admin/rounds/${round.number}/units.xlsx">${CONSOLE.unitsDownload} (XLSX)</a></p>
<section class="card"><h2>${CONSOLE.individualRanking(rows.length, ranked)}</h2><table><thead><tr><th>${CONSOLE.colRank}</th><th>${CONSOLE.colName}</th>
<th>${CONSOLE.colUnit}</th><th>${CONSOLE.colScore}</th><th>${CONSOLE.colTime}</th><th>${CONSOLE.colPrize}</th></tr></thead><tbody>
${rankingRows(rows)}</tbody></table></section>
${audienceTops.map(
  (
    t,
  ) => html`<section class="card"><h2>${CONSOLE.audienceRanking(t.name, t.rows.length, t.ranked)}</h2><table><thead><tr><th>${CONSOLE.colRank}</th>
<th>${CONSOLE.colName}</th><th>${CONSOLE.colUnit}</th><th>${CONSOLE.colScore}</th><th>${CONSOLE.colTime}</th><th>${CONSOLE.colPrize}</th></tr></thead>
<tbody>${rankingRows(t.rows)}</tbody></table></section>`,
)}
<section class="card"><h2>${CONSOLE.unitRanking}</h2><table><thead><tr><th>${CONSOLE.colRank}</th><th>${CONSOLE.colUnit}</th><th>${CONSOLE.colAttempted}</th>
<th>${CONSOLE.colPrize}</th><th>${CONSOLE.colDetails}</th></tr></thead><tbody>
${units.map((u) => html`<tr><td>${u.rank}</td><td>${u.name}</td><td>${u.participants}</td><td>${u.prize ?? ""}</td><td>${u.explanation}</td></tr>`)}</tbody></table></section>
${
  organizer && !round.closedAt && round.opensAt <= new Date()
    ? html`<form method="post" action="/admin/rounds/${round.number}/close" class="card danger" id="close" data-confirm="${CONSOLE.closeConfirm(round.number)}">
<input type="hidden" name="_csrf" value="${req.console!.csrfToken}"><label><input type="checkbox" name="confirm" value="yes" required> ${CONSOLE.closeConfirm(round.number)}</label>
<button>${CONSOLE.closeRound} ${round.number}</button></form>`
    : ""
}
${
  round.closedAt
    ? html`<section class="card"><h2>${CONSOLE.announcement}</h2><pre>${await closer.announcement(round.id)}</pre>
${organizer ? html`<form method="post" action="/admin/rounds/${round.number}/publish"><input type="hidden" name="_csrf" value="${req.console!.csrfToken}"><button>${CONSOLE.publish}</button></form>` : ""}</section>`
    : ""
}`;
    deps.send(req, res, CONSOLE.roundTitle(round.number), body);
  });

  router.post("/admin/rounds/:n/close", requireOrganizer, async (req, res) => {
    const round = await roundOf(req);
    if (!round) return notFound(req, res);
    if ((req.body as { confirm?: unknown }).confirm !== "yes") {
      return deps.send(req, res, CONSOLE.roundTitle(round.number), notice(CONSOLE.closeNeedsConfirm, "error"), 400);
    }
    const campaignId = await closer.close(round.id, new Date());
    await deps.audit(req, "round.close", { round: round.number, campaignId, via: "console" });
    res.redirect(303, `/admin/rounds/${round.number}?done=closed`);
  });

  router.post("/admin/rounds/:n/publish", requireOrganizer, async (req, res) => {
    const round = await roundOf(req);
    if (!round?.closedAt) return notFound(req, res);
    const text = await closer.announcement(round.id);
    const campaign = await createCampaign(
      prisma,
      contest,
      { name: M.announcementCampaignName(round.number), text, audience: { kind: "all" }, createdBy: actorOf(req) },
      new Date(),
    );
    await deps.audit(req, "round.publish", { round: round.number, campaignId: campaign.id });
    res.redirect(303, `/admin/rounds/${round.number}?done=published`);
  });

  router.get("/admin/rounds/:n/:file", async (req, res) => {
    const round = await roundOf(req);
    const match = /^(ranking|units)\.(xlsx|csv)$/.exec(String(req.params.file));
    if (!round || !match) return notFound(req, res);
    if (match[1] === "ranking" && req.console!.user.role !== "ORGANIZER") return requireOrganizer(req, res, () => undefined);
    const report =
      match[1] === "ranking"
        ? await rankingReport(prisma, contest, results, round.number)
        : await unitReport(prisma, contest, results, round.number);
    const format = match[2] as "xlsx" | "csv";
    res.type(format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.attachment(`${report.title}.${format}`);
    await streamReport(report, format, contest.timezone, res);
  });
  return router;
}
