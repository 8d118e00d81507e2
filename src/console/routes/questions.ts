// The question bank in the console: the list filtered by status, topic and audience; approve,
// retire and edit (validated by the import's own rules); and a preview of the question message
// exactly as the bot sends it, flagging texts over Telegram's or Zalo's limits.
import { type Request, type Response, Router } from "express";
import { TEXT_LIMIT as TELEGRAM_LIMIT } from "../../channels/telegram/adapter.js";
import { ZALO } from "../../channels/zalo/protocol.js";
import { questionRowSchema } from "../../contest/question-bank.js";
import { answerButtons } from "../../engine/keyboards.js";
import type { Question, QuestionStatus } from "../../generated/prisma/client.js";
import { CONSOLE } from "../../messages/console.js";
import { M } from "../../messages/index.js";
import type { ConsoleDeps } from "../deps.js";
import { type Html, html } from "../html.js";
import { requireOrganizer } from "../http.js";
import { notice } from "../pages/layout.js";

const STATUSES: QuestionStatus[] = ["DRAFT", "APPROVED", "RETIRED"];
const PAGE = 100;

/** The question message as the bot sends it (clock full), with its buttons and the platforms' limits checked. */
function preview(q: Pick<Question, "text" | "options">, perAttempt: number, minutes: number): Html {
  const text = M.question(1, perAttempt, `${minutes}:00`, q.text, q.options);
  const letters = answerButtons("preview", 0, q.options.length).map((row) => row.map((b) => b.label));
  const length = [...text].length;
  const warnings = [
    length > TELEGRAM_LIMIT ? CONSOLE.overLimit("Telegram", length, TELEGRAM_LIMIT) : "",
    length > ZALO.textLimit ? CONSOLE.overLimit("Zalo", length, ZALO.textLimit) : "",
    q.options.length > ZALO.maxButtons ? CONSOLE.zaloNumbered : "",
  ].filter(Boolean);
  return html`<div class="previews">${warnings.map((w) => html`<p class="notice error">${w}</p>`)}
<div class="phone telegram"><h3>${CONSOLE.previewTelegram}</h3><pre>${text}</pre>${letters.map((row) => html`<div class="keys">${row.map((l) => html`<span>${l}</span>`)}</div>`)}</div>
<div class="phone zalo"><h3>${CONSOLE.previewZalo}</h3><pre>${text}</pre><div class="keys">${letters.flat().map((l) => html`<span>${l}</span>`)}</div></div></div>`;
}

export function questionRoutes(deps: ConsoleDeps): Router {
  const { prisma } = deps;
  const { contest } = deps.services;
  const router = Router();
  router.use("/admin/questions", requireOrganizer);
  const questionOf = async (req: Request) => {
    const id = String(req.params.id);
    return /^[0-9a-f-]{36}$/.test(id) ? prisma.question.findFirst({ where: { id, contestId: contest.id } }) : null;
  };

  router.get("/admin/questions", async (req, res) => {
    const status = STATUSES.find((s) => s === req.query.status);
    const topic = typeof req.query.topic === "string" && req.query.topic ? req.query.topic.slice(0, 100) : undefined;
    const audience = contest.audiences.find((a) => a.code === req.query.audience)?.code;
    const where = { contestId: contest.id, status, topic, ...(audience ? { audiences: { has: audience } } : {}) };
    const [total, questions, topics] = await Promise.all([
      prisma.question.count({ where }),
      prisma.question.findMany({ where, orderBy: { code: "asc" }, take: PAGE }),
      prisma.question.findMany({
        where: { contestId: contest.id },
        distinct: ["topic"],
        select: { topic: true },
        orderBy: { topic: "asc" },
      }),
    ]);
    const imported = typeof req.query.imported === "string" ? /^(\d+)\.(\d+)$/.exec(req.query.imported) : null;
    const csrf = req.console!.csrfToken;
    const statusForm = (q: Question, to: QuestionStatus, label: string) =>
      html`<form method="post" action="/admin/questions/${q.id}/status" class="inline"><input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="status" value="${to}"><button>${label}</button></form>`;
    const rows = questions.map(
      (
        q,
      ) => html`<tr data-code="${q.code}"><td>${q.code}</td><td>${q.topic}</td><td>${q.text.slice(0, 140)}</td><td>${CONSOLE.statusNames[q.status]}</td>
<td><a href="/admin/questions/${q.id}">${CONSOLE.edit}</a> ${q.status !== "APPROVED" ? statusForm(q, "APPROVED", CONSOLE.approve) : ""}
${q.status !== "RETIRED" ? statusForm(q, "RETIRED", CONSOLE.retire) : ""}</td></tr>`,
    );
    deps.send(
      req,
      res,
      CONSOLE.questionsTitle,
      html`${notice(imported ? CONSOLE.imported(Number(imported[1]), Number(imported[2])) : undefined)}
<form method="post" action="/admin/questions/upload" enctype="multipart/form-data" class="card"><h2>${CONSOLE.uploadBank}</h2>
<input type="hidden" name="_csrf" value="${csrf}"><input type="file" name="file" accept=".xlsx,.csv,.docx,.txt" required>
<p class="muted">${CONSOLE.uploadHint}</p><button>${CONSOLE.uploadCheck}</button></form>
<form method="get" class="search"><select name="status"><option value="">${CONSOLE.allStatuses}</option>
${STATUSES.map((s) => html`<option value="${s}"${s === status ? html` selected` : ""}>${CONSOLE.statusNames[s]}</option>`)}</select>
<select name="topic"><option value="">${CONSOLE.allTopics}</option>${topics.map((t) => html`<option${t.topic === topic ? html` selected` : ""}>${t.topic}</option>`)}</select>
<select name="audience"><option value="">${CONSOLE.colAudience}</option>${contest.audiences.map((a) => html`<option value="${a.code}"${a.code === audience ? html` selected` : ""}>${a.name}</option>`)}</select>
<button>${CONSOLE.filter}</button></form><p class="muted">${CONSOLE.questionsShown(questions.length, total)}</p>
<table><thead><tr><th>${CONSOLE.colCode}</th><th>${CONSOLE.colTopic}</th><th>${CONSOLE.colQuestion}</th><th>${CONSOLE.colStatus}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  });

  router.post("/admin/questions/:id/status", async (req, res) => {
    const q = await questionOf(req);
    const status = STATUSES.find((s) => s === (req.body as { status?: unknown }).status);
    if (!q || !status) return deps.send(req, res, CONSOLE.notFound, html``, 404);
    await prisma.question.update({ where: { id: q.id }, data: { status } });
    await deps.audit(req, "question.status", { code: q.code, from: q.status, to: status });
    res.redirect(303, "/admin/questions");
  });

  const editPage = (req: Request, res: Response, q: Question, message?: string, error?: string) => {
    const csrf = req.console!.csrfToken;
    const options = [...q.options, ...Array(Math.max(0, 4 - q.options.length)).fill("")] as string[];
    deps.send(
      req,
      res,
      `${CONSOLE.edit} ${q.code}`,
      html`${notice(message)}${notice(error, "error")}
<form method="post" action="/admin/questions/${q.id}" class="card"><input type="hidden" name="_csrf" value="${csrf}">
<label>${CONSOLE.colTopic}<input name="topic" value="${q.topic}" required></label>
<label>${CONSOLE.colQuestion}<textarea name="text" rows="4" required>${q.text}</textarea></label>
<fieldset><legend>${CONSOLE.colOptions}</legend>${options.map(
        (
          o,
          i,
        ) => html`<label class="option"><input type="radio" name="correct" value="${i}"${i === q.correct ? html` checked` : ""}> ${"ABCDEF"[i]}
<input name="option${i}" value="${o}"></label>`,
      )}</fieldset>
<label>${CONSOLE.colExplanation}<textarea name="explanation" rows="3" required>${q.explanation}</textarea></label>
<label>${CONSOLE.colSource}<input name="source" value="${q.source}" required></label><button>${CONSOLE.save}</button></form>
${preview(q, contest.def.questionsPerAttempt, contest.def.timeLimitMinutes)}`,
      error ? 400 : 200,
    );
  };

  router.get("/admin/questions/:id", async (req, res) => {
    const q = await questionOf(req);
    if (!q) return deps.send(req, res, CONSOLE.notFound, html``, 404);
    editPage(req, res, q, req.query.saved ? CONSOLE.saved : undefined);
  });

  router.post("/admin/questions/:id", async (req, res) => {
    const q = await questionOf(req);
    if (!q) return deps.send(req, res, CONSOLE.notFound, html``, 404);
    const body = req.body as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === "string" ? (body[name] as string).normalize("NFC").trim() : "");
    const options = Array.from({ length: 6 }, (_, i) => text(`option${i}`)).filter(Boolean);
    const parsed = questionRowSchema.safeParse({
      code: q.code,
      topic: text("topic"),
      question: text("text"),
      options,
      correct: Number(body.correct),
      explanation: text("explanation"),
      source: text("source"),
      status: q.status,
      audiences: q.audiences,
    });
    if (!parsed.success) {
      const edited = { ...q, topic: text("topic"), text: text("text"), options, explanation: text("explanation"), source: text("source") };
      return editPage(req, res, edited, undefined, `${CONSOLE.questionInvalid}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    }
    const v = parsed.data;
    // Attempts keep the order of the options they showed: a question in use keeps its count and answer.
    const used = await prisma.attemptQuestion.count({ where: { questionId: q.id } });
    if (used > 0 && (v.options.length !== q.options.length || v.correct !== q.correct)) {
      return editPage(
        req,
        res,
        { ...q, topic: v.topic, text: v.question, options: v.options, explanation: v.explanation, source: v.source },
        undefined,
        CONSOLE.questionInUse,
      );
    }
    await prisma.question.update({
      where: { id: q.id },
      data: { topic: v.topic, text: v.question, options: v.options, correct: v.correct, explanation: v.explanation, source: v.source },
    });
    await deps.audit(req, "question.edit", { code: q.code });
    res.redirect(303, `/admin/questions/${q.id}?saved=1`);
  });
  return router;
}
