// Renders one bench SuiteResult (bench/src/harness.ts) as a self-contained horizontal bar chart in SVG:
// one bar per contender at its median, a whisker from min to max, weft's bar highlighted, and weft's
// advantage over each peer printed beside the peer's bar.

const W = 760;
const VALUE = 210;
const CHAR = 7; // approximate width of a 13px system-ui character
const BAR_H = 22;
const GAP = 12;
const TOP = 46;

const esc = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );

/** 3 significant digits with thousands separators, like the harness's fmt(). */
export function formatNumber(n) {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString("en-US");
  if (abs >= 1) return n.toPrecision(3);
  return n.toPrecision(2);
}

export { checkSuiteResult } from "../../../../bench/src/result-schema.mjs";

/** @param {import("../../../../bench/src/result-schema.mjs").SuiteResult} r @returns {string} */
export function renderSuiteSvg(r) {
  const names = Object.keys(r.results);
  // weft first, then peers from best to worst.
  names.sort((a, b) => {
    if (a === r.ours) return -1;
    if (b === r.ours) return 1;
    const d = r.results[b].median - r.results[a].median;
    return r.higherIsBetter ? d : -d;
  });
  const LABEL = Math.min(300, Math.max(80, Math.max(...names.map((n) => n.length)) * CHAR + 16));
  const max = Math.max(...names.map((n) => r.results[n].max), Number.MIN_VALUE);
  const span = W - LABEL - VALUE;
  const x = (v) => LABEL + (Math.max(0, v) / max) * span;
  const height = TOP + names.length * (BAR_H + GAP) + 8;
  const direction = r.higherIsBetter ? "higher is better" : "lower is better";
  const rows = names.map((name, i) => {
    const s = r.results[name];
    const y = TOP + i * (BAR_H + GAP);
    const mid = y + BAR_H / 2;
    const ours = name === r.ours;
    const adv = r.advantage?.[name];
    const advText = adv === undefined ? "" : ` · weft ${formatNumber(adv)}x`;
    return [
      `<text x="${LABEL - 8}" y="${mid + 4}" text-anchor="end" class="label">${esc(name)}</text>`,
      `<rect x="${LABEL}" y="${y}" width="${(x(s.median) - LABEL).toFixed(1)}" height="${BAR_H}" rx="3" class="${ours ? "ours" : "peer"}"><title>${esc(name)}: median ${esc(formatNumber(s.median))} ${esc(r.unit)} (min ${esc(formatNumber(s.min))}, max ${esc(formatNumber(s.max))})</title></rect>`,
      `<line x1="${x(s.min).toFixed(1)}" x2="${x(s.max).toFixed(1)}" y1="${mid}" y2="${mid}" class="whisker"/>`,
      `<line x1="${x(s.min).toFixed(1)}" x2="${x(s.min).toFixed(1)}" y1="${mid - 5}" y2="${mid + 5}" class="whisker"/>`,
      `<line x1="${x(s.max).toFixed(1)}" x2="${x(s.max).toFixed(1)}" y1="${mid - 5}" y2="${mid + 5}" class="whisker"/>`,
      `<text x="${W - VALUE + 8}" y="${mid + 4}" class="value">${esc(formatNumber(s.median))} ${esc(r.unit)}${esc(advText)}</text>`,
    ].join("");
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-labelledby="bench-${esc(r.id)}-title">`,
    `<title id="bench-${esc(r.id)}-title">${esc(r.title)} (${esc(r.unit)}, ${direction})</title>`,
    "<style>text{font:13px system-ui,sans-serif;fill:currentColor}.head{font-weight:600}.ours{fill:#e8590c}.peer{fill:#868e96}.whisker{stroke:currentColor;stroke-width:1.2}.label{font-weight:500}</style>",
    `<text x="0" y="18" class="head">${esc(r.title)}</text>`,
    `<text x="0" y="36">median of interleaved rounds, whiskers min–max; ${esc(r.unit)}, ${direction}</text>`,
    ...rows,
    "</svg>",
  ].join("\n");
}
