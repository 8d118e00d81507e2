// Charts drawn on the server as inline SVG (no chart library, no script needed to read them):
// horizontal bars of participation against a base, and a line of counts per hour.
import { type Html, html } from "../html.js";

/** One bar per item: the value's share of its base (or of the largest value without bases), labelled. */
export function barChart(items: { label: string; value: number; base: number | null }[]): Html {
  const rowHeight = 26;
  const width = 640;
  const labelWidth = 220;
  const barSpace = width - labelWidth - 90;
  const largest = Math.max(1, ...items.map((i) => Math.max(i.value, i.base ?? 0)));
  const bars = items.map((item, k) => {
    const y = k * rowHeight;
    const scale = (v: number) => (v / largest) * barSpace;
    const text = item.base ? `${item.value}/${item.base} (${Math.round((item.value / item.base) * 1000) / 10}%)` : String(item.value);
    return html`<g transform="translate(0 ${y})"><text x="0" y="17" class="label">${item.label.slice(0, 32)}</text>
${item.base ? html`<rect x="${labelWidth}" y="5" width="${scale(item.base).toFixed(1)}" height="16" class="base"/>` : ""}
<rect x="${labelWidth}" y="5" width="${scale(item.value).toFixed(1)}" height="16" class="value"/>
<text x="${labelWidth + Math.max(scale(item.value), scale(item.base ?? 0)) + 6}" y="17" class="figure">${text}</text></g>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${width} ${Math.max(rowHeight, items.length * rowHeight)}" role="img">${bars}</svg>`;
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
