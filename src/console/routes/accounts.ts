// Organizers manage console accounts (create with a generated or given password, lock) and
// read the audit log of every change made through the console, the admin API and the CLI.
import { Router } from "express";
import { DateTime } from "luxon";
import type { ConsoleRole } from "../../generated/prisma/client.js";
import { CONSOLE } from "../../messages/console.js";
import { AccountError, createAccount } from "../auth/accounts.js";
import { ConsoleSessions } from "../auth/sessions.js";
import type { ConsoleDeps } from "../deps.js";
import { html } from "../html.js";
import { requireOrganizer } from "../http.js";
import { notice } from "../pages/layout.js";

const ROLES: ConsoleRole[] = ["ORGANIZER", "UNIT_ADMIN", "JURY"];

export function accountRoutes(deps: ConsoleDeps): Router {
  const { prisma } = deps;
  const { contest } = deps.services;
  const router = Router();
  router.use(["/admin/accounts", "/admin/audit"], requireOrganizer);
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: contest.timezone }).toFormat("dd/MM/yyyy HH:mm");

  const list = async (
    req: Parameters<ConsoleDeps["send"]>[0],
    res: Parameters<ConsoleDeps["send"]>[1],
    message?: string,
    error?: string,
  ) => {
    const users = await prisma.consoleUser.findMany({ orderBy: { login: "asc" } });
    const csrf = req.console!.csrfToken;
    const rows = users.map(
      (u) => html`<tr><td>${u.login}</td><td>${u.name}</td><td>${CONSOLE.roleNames[u.role]}</td><td>${u.unitCode ?? ""}</td>
<td>${
        u.disabledAt
          ? CONSOLE.disabled
          : html`<form method="post" action="/admin/accounts/${u.id}/disable"><input type="hidden" name="_csrf" value="${csrf}"><button>${CONSOLE.disable}</button></form>`
      }</td></tr>`,
    );
    deps.send(
      req,
      res,
      CONSOLE.accountsTitle,
      html`${notice(message)}${notice(error, "error")}
<table><thead><tr><th>${CONSOLE.colLogin}</th><th>${CONSOLE.colName}</th><th>${CONSOLE.colRole}</th><th>${CONSOLE.colUnit}</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/admin/accounts" class="card narrow"><h2>${CONSOLE.createAccount}</h2><input type="hidden" name="_csrf" value="${csrf}">
<label>${CONSOLE.colLogin}<input name="login" required maxlength="40"></label><label>${CONSOLE.fullName}<input name="name" required maxlength="80"></label>
<label>${CONSOLE.colRole}<select name="role">${ROLES.map((r) => html`<option value="${r}">${CONSOLE.roleNames[r]}</option>`)}</select></label>
<label>${CONSOLE.unitForUnitAdmin}<input name="unitCode" maxlength="32"></label>
<label>${CONSOLE.phoneForUnitAdmin}<input name="phone" type="tel" maxlength="20"></label>
<label>${CONSOLE.passwordOptional}<input name="password" type="password" autocomplete="new-password"></label><button>${CONSOLE.createAccount}</button></form>`,
      error ? 400 : 200,
    );
  };

  router.get("/admin/accounts", (req, res) => list(req, res));

  router.post("/admin/accounts", async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const role = ROLES.find((r) => r === body.role) ?? "UNIT_ADMIN";
    try {
      const { user, password } = await createAccount(
        prisma,
        {
          login: String(body.login ?? ""),
          name: String(body.name ?? ""),
          role,
          unitCode: typeof body.unitCode === "string" ? body.unitCode : undefined,
          phone: typeof body.phone === "string" ? body.phone : undefined,
          password: typeof body.password === "string" && body.password ? body.password : undefined,
        },
        contest.units.map((u) => u.code),
      );
      await deps.audit(req, "account.create", { login: user.login, role: user.role, unitCode: user.unitCode });
      await list(req, res, body.password ? CONSOLE.accountCreatedWithPassword(user.login) : CONSOLE.accountCreated(user.login, password));
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      await list(req, res, undefined, error.message);
    }
  });

  router.post("/admin/accounts/:id/disable", async (req, res) => {
    const id = String(req.params.id);
    const user = /^[0-9a-f-]{36}$/.test(id) ? await prisma.consoleUser.findUnique({ where: { id } }) : null;
    if (!user) return deps.send(req, res, CONSOLE.notFound, html``, 404);
    const now = new Date();
    await prisma.consoleUser.update({ where: { id }, data: { disabledAt: now } });
    await new ConsoleSessions(prisma).revokeAll(id, now);
    await deps.audit(req, "account.disable", { login: user.login });
    res.redirect(303, "/admin/accounts");
  });

  router.get("/admin/audit", async (req, res) => {
    const entries = await prisma.auditLog.findMany({ orderBy: { at: "desc" }, take: 200 });
    deps.send(
      req,
      res,
      CONSOLE.auditTitle,
      html`<table><thead><tr><th>${CONSOLE.colWhen}</th><th>${CONSOLE.colWho}</th><th>${CONSOLE.colAction}</th><th>${CONSOLE.colDetails}</th></tr></thead>
<tbody>${entries.map((e) => html`<tr><td>${local(e.at)}</td><td>${e.actor}</td><td>${e.action}</td><td><code>${JSON.stringify(e.details)}</code></td></tr>`)}</tbody></table>`,
    );
  });
  return router;
}
