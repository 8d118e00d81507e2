// Entries per unit (each with its subtree): submitted and drafts, and the units the contest
// file requires an entry from (`entries.requiredFrom`: plan 001's every office and commune)
// that have none yet. Organizers see every unit, unit admins their subtree.
import { Router } from "express";
import { unitSubtreeIds } from "../../contest/context.js";
import { CONSOLE } from "../../messages/console.js";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { visibleUnitIds } from "../http.js";

export function entriesOverviewRoutes(deps: ConsoleDeps): Router {
  const { contest } = deps.services;
  const router = Router();
  router.get("/admin/entries", async (req, res) => {
    const counts = await deps.prisma.entry.groupBy({
      by: ["unitId", "status"],
      where: { contestId: contest.id, status: { in: ["SUBMITTED", "DRAFT"] } },
      _count: { _all: true },
    });
    // Drafts have no unit until submitted: count them by their author's unit.
    const drafts = await deps.prisma.entry.findMany({
      where: { contestId: contest.id, status: "DRAFT" },
      select: { participant: { select: { unitId: true } } },
    });
    const required = new Set(contest.def.entries.requiredFrom);
    const visible = visibleUnitIds(req, contest);
    const rows = contest.units
      .filter((u) => visible.has(u.id))
      .map((u) => {
        const ids = new Set(unitSubtreeIds(contest.units, u.id));
        const submitted = counts
          .filter((c) => c.status === "SUBMITTED" && c.unitId && ids.has(c.unitId))
          .reduce((n, c) => n + c._count._all, 0);
        const draft = drafts.filter((d) => d.participant.unitId && ids.has(d.participant.unitId)).length;
        return { unit: u, submitted, draft, missing: required.has(u.kind) && submitted === 0 };
      });
    const missing = rows.filter((r) => r.missing);
    deps.send(
      req,
      res,
      CONSOLE.entriesTitle,
      html`${missing.length ? html`<p class="notice error" data-missing="${missing.length}">${CONSOLE.entriesMissing(missing.map((r) => r.unit.name))}</p>` : ""}
<table><thead><tr><th>${CONSOLE.colUnit}</th><th>${CONSOLE.colKind}</th><th>${CONSOLE.entriesSubmitted}</th><th>${CONSOLE.entriesDrafts}</th></tr></thead><tbody>
${rows.map((r) => html`<tr data-unit="${r.unit.code}"${r.missing ? html` class="missing"` : ""}><td>${r.unit.name}</td><td>${r.unit.kind}</td><td>${r.submitted}</td><td>${r.draft}</td></tr>`)}
</tbody></table>`,
    );
  });
  return router;
}
