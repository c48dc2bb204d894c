import { escapeHtml as h } from './escape.ts';

/** Every dowsim page is self-contained: no script, no network, inline styles and images only. */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The rules every dowsim page shares; a page appends its own after them (later rules win). */
export const BASE_STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6474; --line: #dfe3ea; --accent: #3b72c4; --bad: #c44a4a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
.kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; font-size: 12px; }
h1 { margin: 4px 0 6px; font-size: 28px; overflow-wrap: anywhere; }
h2 { margin: 0 0 12px; font-size: 20px; overflow-wrap: anywhere; }
h3 { font-size: 15px; margin: 18px 0 8px; }
.meta { color: var(--muted); margin: 0 0 8px; font-size: 13px; overflow-wrap: anywhere; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin: 18px 0; }
.cards { display: flex; gap: 16px; flex-wrap: wrap; margin-bottom: 12px; }
.card { flex: 1 1 300px; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; background: #fbfcfe; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.card .big { font-size: 30px; font-weight: 700; }
.card .big span { font-size: 15px; font-weight: 400; color: var(--muted); margin-left: 4px; }
.card .small { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f2f6; font-weight: 600; white-space: nowrap; }
td { overflow-wrap: anywhere; }
.right { text-align: right; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px; background: #fff; }
figure.chart svg { display: block; width: 100%; height: auto; }
.notes { color: var(--muted); font-size: 13px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eef0f4; padding: 1px 4px; border-radius: 4px; }
footer { color: var(--muted); font-size: 12px; padding-bottom: 28px; }
`;

/** The opening of a self-contained dowsim HTML page, up to and including </head>. */
export function pageHead(title: string, style: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dowsim">
<title>${h(title)}</title>
<style>${style}</style>
</head>`;
}
