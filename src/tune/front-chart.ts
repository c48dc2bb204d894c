import { escapeHtml as h } from '../report/escape.ts';
import { formatMoney } from '../report/format.ts';
import type { FrontPoint, TunedConfig } from './document.ts';
import { formatChange, formatSuccess } from './format.ts';

const W = 860;
const H = 380;
const PAD = { left: 90, right: 30, top: 24, bottom: 56 };
const OK = '#2e9d57';
const MISS = '#8a8f98';
const BASE = '#c44a4a';
const BEST = '#3b72c4';

/**
 * The cost/success front as a self-contained SVG: $/hour across, legit success up, each
 * Pareto-optimal configuration a point (green when it meets the SLO), the stack as given and the
 * recommendation marked, the SLO threshold dashed. Plain SVG with <title> tooltips; no script.
 */
export function frontChartSvg(front: FrontPoint[], opts: { baseline: TunedConfig; best: TunedConfig | null; sloShare?: number }): string {
  const pts = [...front.map((p) => ({ x: p.perHour, y: p.legitSuccess })), { x: opts.baseline.perHour, y: opts.baseline.legitSuccess }];
  const xMax = niceCeil(Math.max(...pts.map((p) => p.x), 1e-6));
  const yMin = Math.min(...pts.map((p) => p.y), opts.sloShare ?? 1, 0.999);
  const yLo = Math.max(0, Math.floor(yMin * 100 - 0.5) / 100);
  const sx = (x: number) => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - yLo) / (1 - yLo || 1)) * (H - PAD.top - PAD.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Cost against legit success" font-family="system-ui, sans-serif" font-size="12">`);
  for (let i = 0; i <= 5; i++) {
    const x = (xMax * i) / 5;
    const y = yLo + ((1 - yLo) * i) / 5;
    out.push(`<line x1="${sx(x)}" y1="${PAD.top}" x2="${sx(x)}" y2="${H - PAD.bottom}" stroke="#eef0f4"/>`);
    out.push(`<text x="${sx(x)}" y="${H - PAD.bottom + 18}" text-anchor="middle" fill="#5b6474">${h(formatMoney(x))}</text>`);
    out.push(`<line x1="${PAD.left}" y1="${sy(y)}" x2="${W - PAD.right}" y2="${sy(y)}" stroke="#eef0f4"/>`);
    out.push(`<text x="${PAD.left - 8}" y="${sy(y) + 4}" text-anchor="end" fill="#5b6474">${h(`${+(y * 100).toFixed(2)}%`)}</text>`);
  }
  out.push(`<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 12}" text-anchor="middle" fill="#1d2330">worst-case $/hour across the scenarios</text>`);
  out.push(`<text x="16" y="${(PAD.top + H - PAD.bottom) / 2}" text-anchor="middle" fill="#1d2330" transform="rotate(-90 16 ${(PAD.top + H - PAD.bottom) / 2})">legit success (worst scenario)</text>`);
  if (opts.sloShare !== undefined && opts.sloShare >= yLo) {
    out.push(`<line x1="${PAD.left}" y1="${sy(opts.sloShare)}" x2="${W - PAD.right}" y2="${sy(opts.sloShare)}" stroke="${BEST}" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${W - PAD.right}" y="${sy(opts.sloShare) - 6}" text-anchor="end" fill="${BEST}">SLO ${h(formatSuccess(opts.sloShare))}</text>`);
  }
  const path = front.map((p, i) => `${i ? 'L' : 'M'}${sx(p.perHour).toFixed(1)},${sy(p.legitSuccess).toFixed(1)}`).join(' ');
  if (front.length > 1) out.push(`<path d="${path}" fill="none" stroke="#b8c2d3" stroke-width="1.5"/>`);
  for (const p of front) {
    const tip = `${formatMoney(p.perHour)}/h · ${formatSuccess(p.legitSuccess)}${p.changes.length ? ' · ' + p.changes.map(formatChange).join('; ') : ' · no change'}`;
    out.push(`<circle cx="${sx(p.perHour).toFixed(1)}" cy="${sy(p.legitSuccess).toFixed(1)}" r="5" fill="${p.sloMet ? OK : MISS}" data-point="front"><title>${h(tip)}</title></circle>`);
  }
  const mark = (c: TunedConfig, color: string, label: string) =>
    `<g data-point="${h(label)}"><rect x="${(sx(c.perHour) - 7).toFixed(1)}" y="${(sy(c.legitSuccess) - 7).toFixed(1)}" width="14" height="14" fill="none" stroke="${color}" stroke-width="2.5"/>` +
    `<text x="${(sx(c.perHour) + 10).toFixed(1)}" y="${(sy(c.legitSuccess) - 10).toFixed(1)}" fill="${color}" font-weight="600">${h(label)} ${h(formatMoney(c.perHour))}/h</text></g>`;
  out.push(mark(opts.baseline, BASE, 'as given'));
  if (opts.best) out.push(mark(opts.best, BEST, 'recommended'));
  out.push('</svg>');
  return out.join('\n');
}

function niceCeil(x: number): number {
  const e = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= x - 1e-12) return m * e;
  return 10 * e;
}
