// Importing a question bank from the console: the file (spreadsheet or Word/text document) is
// checked row by row first and the report shown; nothing is written until the organizer
// presses «Nhập» (everything, or only the valid questions). The checked bank waits in the
// session store (Redis when set: any instance can finish the import) for an hour.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type NextFunction, type Request, type RequestHandler, type Response, Router } from "express";
import type multer from "multer";
import { BANK_EXTENSIONS, readBankFile } from "../../contest/bank-file.js";
import { importQuestionBank, type ParsedBank } from "../../contest/question-bank.js";
import { CONSOLE } from "../../messages/console.js";
import type { SessionStore } from "../../sessions/store.js";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { requireOrganizer, requireSignIn } from "../http.js";
import { notice } from "../pages/layout.js";

const MAX_BYTES = 10 * 1024 * 1024;
const KEEP_SECONDS = 3600;
const key = (id: string) => `console:bank:${id}`;

interface Checked {
  file: string;
  userId: string;
  bank: ParsedBank;
}

/**
 * The multipart parser of the upload, mounted before the console's CSRF check (which needs the
 * parsed form): only a signed-in organizer's upload is read, at most one file of 10 MB.
 */
export function bankUploadParser(): (req: Request, res: Response, next: NextFunction) => void {
  // multer loads with the first upload, not at start-up.
  let parser: Promise<{ upload: RequestHandler; MulterError: typeof multer.MulterError }> | undefined;
  const load = () =>
    (parser ??= import("multer").then(({ default: m }) => ({
      upload: m({ storage: m.memoryStorage(), limits: { fileSize: MAX_BYTES, files: 1, fields: 10 } }).single("file"),
      MulterError: m.MulterError,
    })));
  return (req, res, next) =>
    requireSignIn(req, res, () =>
      requireOrganizer(req, res, () =>
        load().then(
          ({ upload, MulterError }) =>
            upload(req, res, (error: unknown) => {
              if (error instanceof MulterError) {
                // Too big, a second file, a stray field: the form was not ours or not as sent.
                const big = error.code === "LIMIT_FILE_SIZE";
                return void res
                  .status(big ? 413 : 400)
                  .type("text/plain; charset=utf-8")
                  .send(big ? CONSOLE.uploadTooBig : CONSOLE.uploadMissing);
              }
              next(error); // the console's CSRF check, next, reads the parsed form
            }),
          next,
        ),
      ),
    );
}

export function questionUploadRoutes(deps: ConsoleDeps, store: SessionStore): Router {
  const { contest } = deps.services;
  const router = Router();
  router.use("/admin/questions/import", requireOrganizer);

  router.post("/admin/questions/upload", async (req, res) => {
    const file = req.file;
    const ext = file ? path.extname(file.originalname).toLowerCase() : "";
    if (!file || !BANK_EXTENSIONS.includes(ext)) {
      return deps.send(req, res, CONSOLE.questionsTitle, notice(CONSOLE.uploadMissing, "error"), 400);
    }
    // The readers take a path (the file's extension says how to read it): a private temporary folder.
    const dir = await mkdtemp(path.join(os.tmpdir(), "cb-bank-"));
    let bank: ParsedBank;
    try {
      const name = path.basename(file.originalname).replace(/[^\p{L}\p{N}._-]/gu, "_") || `bank${ext}`;
      await writeFile(path.join(dir, name), file.buffer);
      bank = await readBankFile(path.join(dir, name), { knownAudiences: contest.audiences.map((a) => a.code) });
    } catch (error) {
      deps.logger.warn({ err: error, file: file.originalname }, "question bank upload unreadable");
      return deps.send(req, res, CONSOLE.questionsTitle, notice(`${CONSOLE.uploadMissing} (${(error as Error).message})`, "error"), 400);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const id = randomUUID();
    await store.set<Checked>(key(id), { file: file.originalname, userId: req.console!.user.id, bank }, KEEP_SECONDS);
    const csrf = req.console!.csrfToken;
    const importForm = (force: boolean, label: string) =>
      html`<form method="post" action="/admin/questions/import"><input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="upload" value="${id}"><input type="hidden" name="force" value="${force ? "yes" : "no"}"><button>${label}</button></form>`;
    const rejected = bank.rejected.map((r) => html`<tr><td>${r.row}</td><td>${r.code ?? ""}</td><td>${r.reasons.join("; ")}</td></tr>`);
    deps.send(
      req,
      res,
      CONSOLE.checkTitle(file.originalname),
      html`<p class="notice ${bank.rejected.length ? "error" : "ok"}" data-accepted="${bank.accepted.length}" data-rejected="${bank.rejected.length}">
${CONSOLE.checkSummary(bank.accepted.length, bank.rejected.length)}</p>
${bank.rejected.length ? html`<table class="rejected"><thead><tr><th>${CONSOLE.colRow}</th><th>${CONSOLE.colCode}</th><th>${CONSOLE.colReasons}</th></tr></thead><tbody>${rejected}</tbody></table>` : ""}
<div class="actions">${bank.rejected.length === 0 ? importForm(false, CONSOLE.importAll) : bank.accepted.length ? importForm(true, CONSOLE.importValidOnly) : ""}</div>`,
    );
  });

  router.post("/admin/questions/import", async (req, res) => {
    const body = req.body as { upload?: unknown; force?: unknown };
    const id = typeof body.upload === "string" && /^[0-9a-f-]{36}$/.test(body.upload) ? body.upload : undefined;
    const checked = id ? await store.get<Checked>(key(id)) : undefined;
    if (!id || !checked || checked.userId !== req.console!.user.id) {
      return deps.send(req, res, CONSOLE.questionsTitle, notice(CONSOLE.uploadExpired, "error"), 410);
    }
    const report = await importQuestionBank(deps.prisma, contest.id, checked.bank, { force: body.force === "yes" });
    await store.delete(key(id));
    await deps.audit(req, "questions.import", {
      file: checked.file,
      created: report.created,
      updated: report.updated,
      written: report.written,
    });
    res.redirect(303, `/admin/questions?imported=${report.created}.${report.updated}`);
  });
  return router;
}
