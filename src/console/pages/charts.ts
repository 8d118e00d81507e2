// Charts drawn on the server (no chart library, no script needed to read them): horizontal
// bars of participation against a base (HTML), and a line of counts per hour (inline SVG).
import { type Html, html } from "../html.js";

/**
 * One bar per item: the value's share of its base (or of the largest value without bases), with
 * its figures. Plain HTML rows, so the labels stay readable on a phone.
 */
export function barChart(items: { label: string; value: number; base: number | null }[]): Html {
  const largest = Math.max(1, ...items.map((i) => Math.max(i.value, i.base ?? 0)));
  const share = (v: number) => `${((v / largest) * 100).toFixed(1)}%`;
  return html`<div class="bars" role="list">${items.map((item) => {
    const figures = item.base ? `${item.value}/${item.base} (${Math.round((item.value / item.base) * 1000) / 10}%)` : String(item.value);
    return html`<div class="bar" role="listitem"><span class="label">${item.label}</span><span class="track">
${item.base ? html`<span class="base" style="width:${share(item.base)}"></span>` : ""}<span class="value" style="width:${share(item.value)}"></span></span>
<span class="figure">${figures}</span></div>`;
  })}</div>`;
}

/** A line through the points, with the largest value and the first and last labels marked. */
export function lineChart(points: { label: string; value: number }[]): Html {
  const width = 640;
  const height = 160;
  const pad = 24;
  const largest = Math.max(1, ...points.map((p) => p.value));
  const x = (i: number) => pad + (i / Math.max(1, points.length - 1)) * (width - 2 * pad);
  const y = (v: number) => height - pad - (v / largest) * (height - 2 * pad);
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)} ${y(p.value).toFixed(1)}`).join(" ");
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img">
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" class="axis"/>
<path d="${path}" class="line"/>
<text x="${pad}" y="${pad - 8}" class="figure">max ${largest}</text>
<text x="${pad}" y="${height - 6}" class="label">${points[0]?.label ?? ""}</text>
<text x="${width - pad}" y="${height - 6}" class="label" text-anchor="end">${points.at(-1)?.label ?? ""}</text></svg>`;
}
