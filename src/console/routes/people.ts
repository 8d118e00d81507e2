// People in the console: registered participants found by name or phone (organizers: everyone;
// unit admins: their subtree), with their unit, audience and rounds taken.
import { Router } from "express";
import { DateTime } from "luxon";
import { CONSOLE } from "../../messages/console.js";
import { peopleReport } from "../../reports/people-report.js";
import { streamReport } from "../../reports/render.js";
import { fold } from "../../text/normalize.js";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { visibleUnitIds } from "../http.js";

const LIMIT = 200;

export function peopleRoutes(deps: ConsoleDeps): Router {
  const { contest } = deps.services;
  const router = Router();
  router.get("/admin/people", async (req, res) => {
    const q = typeof req.query.q === "string" ? req.query.q.trim().slice(0, 60) : "";
    const visible = [...visibleUnitIds(req, contest)];
    const everyone = req.console!.user.role === "ORGANIZER";
    const digits = q.replace(/\D/g, "");
    const where = {
      contestId: contest.id,
      ...(everyone ? {} : { unitId: { in: visible } }),
      ...(q
        ? {
            OR: [
              { fullName: { contains: q, mode: "insensitive" as const } },
              ...(digits.length >= 3 ? [{ phone: { contains: digits.replace(/^0/, "") } }] : []),
            ],
          }
        : {}),
    };
    const [total, people] = await Promise.all([
      deps.prisma.participant.count({ where }),
      deps.prisma.participant.findMany({
        where,
        orderBy: { fullName: "asc" },
        take: LIMIT,
        include: { unit: true, audience: true, attempts: { include: { round: true } } },
      }),
    ]);
    // Accent-insensitive ordering as Vietnamese readers expect (Đ after D).
    people.sort((a, b) => fold(a.fullName).localeCompare(fold(b.fullName), "vi"));
    const rows = people.map(
      (p) => html`<tr><td>${p.fullName}</td><td>${p.phone}</td><td>${p.unit?.name ?? "—"}</td><td>${p.audience?.name ?? ""}</td>
<td>${DateTime.fromJSDate(p.registeredAt, { zone: contest.timezone }).toFormat("dd/MM/yyyy")}</td>
<td>${p.attempts.map((a) => `${a.round.number}: ${a.score ?? "…"}`).join(", ")}</td></tr>`,
    );
    deps.send(
      req,
      res,
      CONSOLE.peopleTitle,
      html`<form method="get" class="search"><input name="q" value="${q}" placeholder="${CONSOLE.searchPlaceholder}" aria-label="${CONSOLE.searchPlaceholder}"><button>${CONSOLE.search}</button></form>
<p class="muted">${CONSOLE.peopleCount(people.length, total)} · <a href="/admin/people.xlsx">${CONSOLE.download} (XLSX)</a></p>
<table><thead><tr><th>${CONSOLE.colName}</th><th>${CONSOLE.colPhone}</th><th>${CONSOLE.colUnit}</th><th>${CONSOLE.colAudience}</th>
<th>${CONSOLE.colRegisteredAt}</th><th>${CONSOLE.colRound}: ${CONSOLE.colScore}</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  });
  router.get("/admin/people.xlsx", async (req, res) => {
    const report = peopleReport(
      deps.prisma,
      contest,
      req.console!.user.role === "ORGANIZER" ? undefined : [...visibleUnitIds(req, contest)],
    );
    res.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").attachment(`${report.title}.xlsx`);
    await streamReport(report, "xlsx", contest.timezone, res);
  });
  return router;
}
