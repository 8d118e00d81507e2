// The console's page shell: header with the contest, the navigation for the signed-in role,
// sign-out, and the CSRF token for the console's script. Styles and script are served by the
// app itself (/admin/assets), nothing from a CDN: ward intranets have no Internet.
import type { Request } from "express";
import { CONSOLE } from "../../messages/console.js";
import { type Html, html } from "../html.js";

interface NavItem {
  href: string;
  label: string;
  organizerOnly?: boolean;
  /** Shown only when the contest is judged (written entries). */
  judged?: boolean;
  /** Shown only when the contest takes written entries. */
  written?: boolean;
}

const NAV: NavItem[] = [
  { href: "/admin", label: CONSOLE.navDashboard },
  { href: "/admin/rounds", label: CONSOLE.navRounds },
  { href: "/admin/units", label: CONSOLE.navUnits },
  { href: "/admin/people", label: CONSOLE.navPeople },
  { href: "/admin/questions", label: CONSOLE.navQuestions, organizerOnly: true },
  { href: "/admin/campaigns", label: CONSOLE.navCampaigns, organizerOnly: true },
  { href: "/admin/entries", label: CONSOLE.navEntries, written: true },
  { href: "/admin/levels", label: CONSOLE.navLevels, organizerOnly: true, judged: true },
  { href: "/admin/accounts", label: CONSOLE.navAccounts, organizerOnly: true },
  { href: "/admin/audit", label: CONSOLE.navAudit, organizerOnly: true },
];

/** Jurors reach their judging page only (entries stay anonymous to them). */
const JUROR_NAV: NavItem[] = [{ href: "/admin/judging", label: CONSOLE.navJudging }];

export function page(req: Request, title: string, contest: { title: string; judged: boolean; written: boolean }, body: Html): string {
  const signed = req.console;
  const items = signed?.user.role === "JURY" ? JUROR_NAV : NAV;
  const nav = signed
    ? items
        .filter(
          (n) => (!n.organizerOnly || signed.user.role === "ORGANIZER") && (!n.judged || contest.judged) && (!n.written || contest.written),
        )
        .map((n) => html`<a href="${n.href}"${req.originalUrl.split("?")[0] === n.href ? html` aria-current="page"` : ""}>${n.label}</a>`)
    : [];
  return html`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${CONSOLE.appName}</title>
<link rel="stylesheet" href="/admin/assets/console.css">
${signed ? html`<meta name="csrf-token" content="${signed.csrfToken}">` : ""}
<script src="/admin/assets/console.js" defer></script></head>
<body><header><div class="brand">${CONSOLE.appName}<small>${contest.title}</small></div>
${
  signed
    ? html`<nav>${nav}</nav><form method="post" action="/admin/logout" class="who"><span>${signed.user.name} · ${CONSOLE.roleNames[signed.user.role] ?? ""}</span>
<input type="hidden" name="_csrf" value="${signed.csrfToken}"><button>${CONSOLE.signOut}</button></form>`
    : ""
}</header>
<main><h1>${title}</h1>${body}</main></body></html>`.value;
}

/** A notice line above a page's content (after an action). */
export const notice = (text: string | undefined, kind: "ok" | "error" = "ok"): Html =>
  text ? html`<p class="notice ${kind}" role="status">${text}</p>` : html``;
