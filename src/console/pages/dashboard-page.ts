// The dashboard page: the open round's figures, participation per unit (bars against target
// or headcount), attempts per hour (a line) and the units furthest from target. The page's
// script reloads the fragment (/admin/fragments/dashboard) every 15 seconds.
import { DateTime } from "luxon";
import { CONSOLE } from "../../messages/console.js";
import type { Dashboard } from "../dashboard.js";
import { type Html, html } from "../html.js";
import { barChart, lineChart } from "./charts.js";

export function dashboardFragment(d: Dashboard, timezone: string, now: Date): Html {
  const local = (date: Date, format: string) => DateTime.fromJSDate(date, { zone: timezone }).toFormat(format);
  const card = (label: string, value: number, key: string) =>
    html`<div class="card figure"><span class="value" data-figure="${key}">${value.toLocaleString("vi-VN")}</span><span>${label}</span></div>`;
  const furthest = d.furthest.length
    ? html`<table><thead><tr><th>${CONSOLE.colUnit}</th><th>${CONSOLE.colAttempted}</th><th>${CONSOLE.colBase}</th><th>${CONSOLE.colRate}</th></tr></thead>
<tbody>${d.furthest.map((u) => html`<tr><td>${u.name}</td><td>${u.attempted}</td><td>${u.base}</td><td>${u.rate}</td></tr>`)}</tbody></table>`
    : html`<p>${CONSOLE.noData}</p>`;
  return html`<p class="round">${CONSOLE.openRound(d.round)}</p>
<div class="figures">${card(CONSOLE.registered, d.registered, "registered")}${card(CONSOLE.attempts, d.attempted, "attempted")}${card(CONSOLE.perfect, d.perfect, "perfect")}</div>
<section class="card"><h2>${CONSOLE.participationByUnit}</h2>
${d.units.length ? barChart(d.units.map((u) => ({ label: u.name, value: u.attempted, base: u.base }))) : html`<p>${CONSOLE.noData}</p>`}</section>
<section class="card"><h2>${CONSOLE.attemptsPerHour}</h2>
${d.perHour.length ? lineChart(d.perHour.map((p) => ({ label: local(p.hour, "dd/MM HH:mm"), value: p.attempts }))) : html`<p>${CONSOLE.noData}</p>`}</section>
<section class="card"><h2>${CONSOLE.furthestFromTarget}</h2>${furthest}</section>
<p class="muted">${CONSOLE.refreshedAt(local(now, "HH:mm:ss"))}</p>`;
}

export const dashboardBody = (fragment: Html) => html`<div id="dashboard" data-refresh="/admin/fragments/dashboard">${fragment}</div>`;
