// A unit's submitted entries (its whole subtree) for the jury meeting: one PDF, or a ZIP with
// that PDF and every entry's attachments from the file store, under <code>/<n>-<name>. For
// organizers and that unit's admins.
import { PassThrough } from "node:stream";
import { ZipArchive } from "archiver";
import { Router } from "express";
import { unitSubtreeIds } from "../../contest/context.js";
import { CONSOLE } from "../../messages/console.js";
import { M } from "../../messages/index.js";
import { type EntryPrint, writeEntriesPdf } from "../../pdf/entries.js";
import type { FileStore } from "../../storage/files.js";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { visibleUnitIds } from "../http.js";

export function unitEntryRoutes(deps: ConsoleDeps, files: FileStore | undefined): Router {
  const { prisma } = deps;
  const { contest } = deps.services;
  const router = Router();

  router.get("/admin/units/:code/entries.:format", async (req, res) => {
    const unit = contest.units.find((u) => u.code === String(req.params.code).toUpperCase());
    const format = String(req.params.format);
    if (!unit || !["pdf", "zip"].includes(format)) return deps.send(req, res, CONSOLE.notFound, html``, 404);
    if (!visibleUnitIds(req, contest).has(unit.id)) return deps.send(req, res, CONSOLE.forbiddenUnit, html``, 403);
    const entries = await prisma.entry.findMany({
      where: { contestId: contest.id, status: "SUBMITTED", unitId: { in: unitSubtreeIds(contest.units, unit.id) } },
      include: { participant: true, files: { orderBy: { position: "asc" } } },
      orderBy: { code: "asc" },
    });
    const prints: EntryPrint[] = entries.map((e) => ({
      code: e.code,
      title: e.title,
      authors: [e.participant.fullName, ...((e.authors as { name: string; unit: string }[]) ?? []).map((a) => `${a.name} (${a.unit})`)],
      unit: contest.units.find((u) => u.id === e.unitId)?.name ?? "",
      submittedAt: e.submittedAt,
      body: e.body,
      essays: contest.def.entries.essays.map((q, i) => ({ question: q.question, answer: (e.essays as string[] | null)?.[i] ?? "" })),
      files: e.files.map((f) => f.filename),
    }));
    const shell = { title: contest.title, timezone: contest.timezone };
    await deps.audit(req, "entries.export", { unit: unit.code, format, entries: entries.length });
    if (format === "pdf") {
      res.type("application/pdf").attachment(`bai-du-thi-${unit.code}.pdf`);
      return writeEntriesPdf(res, shell, prints);
    }
    res.type("application/zip").attachment(`bai-du-thi-${unit.code}.zip`);
    const zip = new ZipArchive({ zlib: { level: 6 } });
    const failed = new Promise<never>((_, reject) => zip.on("error", reject));
    failed.catch(() => undefined);
    zip.pipe(res);
    const pdf = new PassThrough();
    zip.append(pdf, { name: `bai-du-thi-${unit.code}.pdf` });
    await writeEntriesPdf(pdf, shell, prints);
    for (const e of entries) {
      for (const f of e.files) {
        const bytes = f.storeKey && files ? await files.get(f.storeKey) : undefined;
        const name = `${e.code}/${f.position + 1}-${f.filename.replace(/[/\\\\]/g, "-")}`;
        zip.append(bytes ?? Buffer.from(M.entryFileMissing(f.filename)), { name: bytes ? name : `${name}.chua-co.txt` });
      }
    }
    await Promise.race([zip.finalize(), failed]);
  });
  return router;
}
