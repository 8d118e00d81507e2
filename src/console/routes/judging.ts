// Judging in the console. Jurors see only «Chấm bài»: the entries of their level and unit,
// anonymised (code, title, text, files; never the author, phone or unit), never one from their
// own unit (403), with the rubric to score. Organizers see «Chấm thi»: each level's entries and
// jurors' progress, closing a level, and its results with authors and who goes on.
import { type Request, type Response, Router } from "express";
import { eachAudiencePage, writeCampaign } from "../../broadcast/campaigns.js";
import { Judging, JudgingError } from "../../domain/judging.js";
import { CONSOLE } from "../../messages/console.js";
import { M } from "../../messages/index.js";
import { streamReport } from "../../reports/render.js";
import { smallReport } from "../../reports/reports.js";
import { maskName } from "../../results/round-closer.js";
import type { FileStore } from "../../storage/files.js";
import { actorOf, type ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { requireOrganizer } from "../http.js";
import { notice } from "../pages/layout.js";

export function judgingRoutes(deps: ConsoleDeps, files: FileStore | undefined): Router {
  const { prisma } = deps;
  const { contest } = deps.services;
  const judging = new Judging(prisma, contest);
  const router = Router();
  const jurorOnly = (req: Request, res: Response, next: () => void) =>
    req.console?.user.role === "JURY" ? next() : void res.status(403).type("text/plain; charset=utf-8").send(CONSOLE.notYourEntry);
  router.use("/admin/judging", jurorOnly);
  router.use("/admin/levels", requireOrganizer);
  const levelName = (n: number) => contest.def.judging?.levels[n - 1]?.name ?? String(n);

  /** The juror's entry in the path, or a 403/404 answered. */
  const entryOf = async (req: Request, res: Response) => {
    const juror = req.console!.user;
    const code = String(req.params.code);
    const item = (await judging.inPlay(juror.juryLevel ?? 1)).find((i) => i.entry.code === code);
    if (!item) return void deps.send(req, res, CONSOLE.notFound, html``, 404);
    if (!judging.mayJudge(juror, item)) return void deps.send(req, res, CONSOLE.notYourEntry, html``, 403);
    return item;
  };

  router.get("/admin/judging", async (req, res) => {
    const juror = req.console!.user;
    const items = await judging.forJuror(juror);
    const rows = items.map(
      (
        i,
      ) => html`<tr data-entry="${i.entry.code}"><td><a href="/admin/judging/${i.entry.code}">${i.entry.code}</a></td><td>${i.entry.title}</td>
<td>${i.mine ? i.mine.total : "—"}</td></tr>`,
    );
    deps.send(
      req,
      res,
      CONSOLE.judgingTitle(levelName(juror.juryLevel ?? 1)),
      items.length
        ? html`<table><thead><tr><th>${CONSOLE.colEntry}</th><th>${CONSOLE.colTitle}</th><th>${CONSOLE.colMyScore}</th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p>${CONSOLE.judgingNone}</p>`,
    );
  });

  const entryPage = async (req: Request, res: Response, message?: string, error?: string) => {
    const item = await entryOf(req, res);
    if (!item) return;
    const juror = req.console!.user;
    const rubric = judging.settings.rubric;
    const mine = await prisma.judgement.findUnique({
      where: { entryId_level_judgeId: { entryId: item.entry.id, level: juror.juryLevel ?? 1, judgeId: juror.id } },
    });
    const scores = (mine?.scores as number[] | undefined) ?? [];
    const entryFiles = await prisma.entryFile.findMany({ where: { entryId: item.entry.id }, orderBy: { position: "asc" } });
    deps.send(
      req,
      res,
      CONSOLE.entryTitle(item.entry.code),
      html`${notice(message)}${notice(error, "error")}<p class="muted">${CONSOLE.anonymised}</p>
<section class="card"><h2>${item.entry.title}</h2><pre class="entry-body">${item.entry.body}</pre>
${contest.def.entries.essays.map(
  (q, i) =>
    html`<h3>${CONSOLE.essayHeading(i + 1, q.question)}</h3><pre class="entry-body">${(item.entry.essays as string[] | null)?.[i] ?? ""}</pre>`,
)}
<h3>${CONSOLE.attachments}</h3><ul>${entryFiles.map((f) =>
        f.storeKey
          ? html`<li><a href="/admin/judging/${item.entry.code}/files/${f.position}">${f.filename}</a></li>`
          : html`<li>${f.filename} ${CONSOLE.fileNotKept}</li>`,
      )}</ul></section>
<form method="post" action="/admin/judging/${item.entry.code}" class="card"><input type="hidden" name="_csrf" value="${req.console!.csrfToken}">
${rubric.map(
  (r, i) =>
    html`<label>${r.criterion} (0–${r.max})<input type="number" name="score${i}" min="0" max="${r.max}" step="0.5" required value="${scores[i] ?? ""}"></label>`,
)}
<label>${CONSOLE.comment}<textarea name="comment" rows="3">${mine?.comment ?? ""}</textarea></label><button>${CONSOLE.saveScores}</button></form>`,
      error ? 400 : 200,
    );
  };

  router.get("/admin/judging/:code", (req, res) => entryPage(req, res, req.query.saved ? CONSOLE.scoresSaved : undefined));

  router.post("/admin/judging/:code", async (req, res) => {
    const item = await entryOf(req, res);
    if (!item) return;
    const body = req.body as Record<string, unknown>;
    const scores = judging.settings.rubric.map((_, i) => Number(body[`score${i}`]));
    try {
      await judging.score(req.console!.user, item.entry.id, scores, typeof body.comment === "string" ? body.comment : "");
    } catch (error) {
      if (!(error instanceof JudgingError)) throw error;
      return entryPage(req, res, undefined, CONSOLE.scoresInvalid);
    }
    await deps.audit(req, "entry.score", { entry: item.entry.code, level: req.console!.user.juryLevel, scores });
    res.redirect(303, `/admin/judging/${item.entry.code}?saved=1`);
  });

  router.get("/admin/judging/:code/files/:n", async (req, res) => {
    const item = await entryOf(req, res);
    if (!item) return;
    const file = await prisma.entryFile.findFirst({ where: { entryId: item.entry.id, position: Number(req.params.n) || 0 } });
    const bytes = file?.storeKey && files ? await files.get(file.storeKey) : undefined;
    if (!file || !bytes) return void deps.send(req, res, CONSOLE.notFound, html``, 404);
    res.type(file.mimeType).attachment(file.filename).send(bytes);
  });

  router.get("/admin/levels", async (req, res) => {
    const levels = contest.def.judging?.levels ?? [];
    const sections = [];
    for (const [k, level] of levels.entries()) {
      const n = k + 1;
      const last = n === levels.length;
      const results = await judging.results(n);
      const inPlay = results.length ? [] : await judging.inPlay(n).catch(() => []);
      const progress = results.length ? [] : await judging.progress(n);
      const csrf = html`<input type="hidden" name="_csrf" value="${req.console!.csrfToken}">`;
      sections.push(html`<section class="card" data-level="${n}"><h2>${level.name}</h2>
${
  results.length
    ? html`<p><a href="/admin/levels/${n}/results.xlsx">${CONSOLE.download} (XLSX)</a></p>
<table><thead><tr><th>${CONSOLE.colJudgingUnit}</th><th>${CONSOLE.colRank}</th><th>${CONSOLE.colEntry}</th><th>${CONSOLE.colTitle}</th>
<th>${CONSOLE.colAuthor}</th><th>${CONSOLE.colPoints}</th><th>${CONSOLE.colScores}</th><th>${last ? CONSOLE.colPrize : CONSOLE.colAdvanced}</th></tr></thead><tbody>
${results.map(
  (
    r,
  ) => html`<tr data-result="${r.code}"><td>${r.judgingUnit}</td><td>${r.rank}</td><td>${r.code}</td><td>${r.title}</td><td>${r.author}</td>
<td>${r.score}</td><td>${r.judgements}</td><td>${last ? (r.prize ?? "") : r.advanced ? "✔" : ""}</td></tr>`,
)}</tbody></table>
${last ? html`<form method="post" action="/admin/levels/${n}/announce">${csrf}<button>${CONSOLE.publish}</button></form>` : ""}`
    : html`<p>${CONSOLE.levelInPlay(inPlay.length)}</p><table><thead><tr><th>${CONSOLE.colJuror}</th><th>${CONSOLE.colUnit}</th><th>${CONSOLE.colScored}</th></tr></thead>
<tbody>${progress.map((p) => html`<tr><td>${p.juror.name}</td><td>${p.juror.unitCode ?? ""}</td><td>${p.scored}/${p.of}</td></tr>`)}</tbody></table>
<form method="post" action="/admin/levels/${n}/close" class="danger" data-confirm="${CONSOLE.closeLevelConfirm}">${csrf}
<label><input type="checkbox" name="confirm" value="yes" required> ${CONSOLE.closeLevelConfirm}</label><button>${CONSOLE.closeLevel(level.name)}</button></form>`
}</section>`);
    }
    const done = req.query.done === "closed" ? CONSOLE.levelClosed : req.query.done === "published" ? CONSOLE.published : undefined;
    deps.send(req, res, CONSOLE.levelsTitle, html`${notice(done)}${sections}`);
  });

  const levelOf = (req: Request) => {
    const n = Number(req.params.n);
    return Number.isInteger(n) && n >= 1 && n <= (contest.def.judging?.levels.length ?? 0) ? n : undefined;
  };

  router.get("/admin/levels/:n/results.xlsx", async (req, res) => {
    const n = levelOf(req);
    if (!n) return deps.send(req, res, CONSOLE.notFound, html``, 404);
    const c = CONSOLE;
    const report = smallReport(
      `${c.levelsTitle} – ${levelName(n)}`,
      [
        { header: c.colJudgingUnit, key: "judgingUnit", width: 24 },
        { header: c.colRank, key: "rank", width: 8 },
        { header: c.colEntry, key: "code", width: 12 },
        { header: c.colTitle, key: "title", width: 36 },
        { header: c.colAuthor, key: "author", width: 24 },
        { header: c.colUnit, key: "authorUnit", width: 24 },
        { header: c.colPoints, key: "score", width: 10 },
        { header: c.colScores, key: "judgements", width: 10 },
        { header: c.colAdvanced, key: "advanced", width: 12 },
        { header: c.colPrize, key: "prize", width: 16 },
      ],
      (await judging.results(n)).map((r) => ({ ...r, advanced: r.advanced ? "✔" : "", prize: r.prize ?? "" })),
    );
    res.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").attachment(`${report.title}.xlsx`);
    await streamReport(report, "xlsx", contest.timezone, res);
  });

  router.post("/admin/levels/:n/announce", async (req, res) => {
    const n = levelOf(req);
    const results = n ? await judging.results(n) : [];
    if (!n || results.length === 0) return deps.send(req, res, CONSOLE.notFound, html``, 404);
    const lines = results
      .filter((r) => r.advanced)
      .map((r) => M.entriesAnnouncementLine(r.rank, r.code, r.title, maskName(r.author), r.authorUnit, r.prize));
    const campaign = await writeCampaign(
      prisma,
      contest.id,
      {
        name: M.levelResultsName(levelName(n)),
        text: M.entriesAnnouncement(levelName(n), lines),
        audience: { kind: "all" },
        scheduledAt: new Date(),
        createdBy: actorOf(req),
        systemKey: `level-announce:${n}`,
      },
      (db, write) =>
        eachAudiencePage(db, contest, { kind: "all" }, new Date(), (accounts) => write(accounts.map((a) => ({ accountId: a.id })))),
    );
    await deps.audit(req, "level.announce", { level: n, campaignId: campaign?.id ?? null });
    res.redirect(303, "/admin/levels?done=published");
  });

  router.post("/admin/levels/:n/close", async (req, res) => {
    const n = levelOf(req);
    if (!n) return deps.send(req, res, CONSOLE.notFound, html``, 404);
    if ((req.body as { confirm?: unknown }).confirm !== "yes") {
      return deps.send(req, res, CONSOLE.levelsTitle, notice(CONSOLE.closeNeedsConfirm, "error"), 400);
    }
    try {
      const count = await judging.closeLevel(n);
      const campaignId = await judging.notifyLevel(n, new Date());
      await deps.audit(req, "level.close", { level: n, entries: count, campaignId });
    } catch (error) {
      if (!(error instanceof JudgingError)) throw error;
      return deps.send(req, res, CONSOLE.levelsTitle, notice(CONSOLE.levelAlreadyClosed, "error"), 409);
    }
    res.redirect(303, "/admin/levels?done=closed");
  });
  return router;
}
