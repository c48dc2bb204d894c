import { BASE_STYLE, pageHead } from './html-page.ts';
import type { ResultDocument } from '../model/result.ts';
import { formatDuration } from '../model/units.ts';
import { escapeHtml as h } from './escape.ts';
import { renderCharts, type Chart } from './charts.ts';
import { apiKindTitle, horizonLabel, rankStacks } from './figures.ts';
import { detectionRanking, detectionSentence, detectionTable, detectionWindow } from './detection.ts';
import { formatMoney, formatPercent } from './format.ts';
import { routeTable } from './route-table.ts';
import { billTable, cohortTable, deviationTable, headlineSentences, headlineTable, liveTable, type Table } from './tables.ts';
import { liveNote, liveSources } from './terminal.ts';
import { cohortDeviationTable, latencyTable, runWindowTable } from './live-tables.ts';
import { moneyColumns } from './money-cells.ts';

// No script at all, and a policy that would refuse one anyway: a report must stay inert even if
// some user text slipped past escaping. Inline styles are needed by the page and by the SVG charts.

export interface HtmlOptions {
  /** Charts already rendered for this document (writeReports renders them once for HTML and Markdown). */
  charts?: Chart[];
}

/** The report as one self-contained HTML page: charts inline as SVG, no network, no script. */
export function renderHtml(doc: ResultDocument, opts: HtmlOptions = {}): string {
  const charts = opts.charts ?? renderCharts(doc);
  const hz = horizonLabel(doc);
  const overview = charts.filter((c) => c.stackIndex === undefined);
  const parts: string[] = [];
  parts.push(`${pageHead(`dowsim report: ${doc.scenario}`, STYLE)}
<body>
<header>
<p class="kicker">dowsim · denial-of-wallet report</p>
<h1 id="scenario-name">${h(doc.scenario)}</h1>
${doc.scenarioDescription ? `<p class="description" id="scenario-description">${h(doc.scenarioDescription)}</p>` : ''}
<p class="meta">Source <b>${h(doc.source)}</b> · horizon <b>${h(hz)}</b> · prices <b>${h(doc.prices.region)}</b> as of <b>${h(doc.prices.asOf)}</b> (${h(doc.prices.source)}) · generated ${h(doc.generatedAt)}${doc.scenarioFile ? ` · scenario file <code>${h(doc.scenarioFile)}</code>` : ''}</p>
</header>
<main>`);

  parts.push(`<section id="headline"><h2>Headline</h2>`);
  parts.push(cards(doc));
  parts.push(`<ul class="sentences">${headlineSentences(doc).map((s) => `<li>${h(s)}</li>`).join('')}</ul>`);
  parts.push(table(headlineTable(doc), 'headline-table'));
  parts.push(
    `<p class="legend"><b>Savings</b>: bill without API Gateway throttling minus bill with it. <b>Damage</b>: bill with throttling minus the bill of the legit cohorts alone. <b>Collateral</b>: share of legit requests that did not succeed.</p>`,
  );
  parts.push(`</section>`);

  if (overview.length) {
    parts.push(`<section id="compare"><h2>Configurations compared</h2><div class="charts">${overview.map(figure).join('')}</div></section>`);
  }

  const byDetection = doc.stacks.length >= 2 ? detectionRanking(doc) : undefined;
  if (byDetection) parts.push(`<section id="detection"><h2>Ranking by cost until first detection (with throttling)</h2>${table(byDetection, 'detection-ranking')}</section>`);

  doc.stacks.forEach((s, i) => {
    parts.push(`<section class="stack" id="stack-${i + 1}"><h2>${h(s.name)} <small>${h(apiKindTitle(s.apiKind))}</small></h2>`);
    if (s.file) parts.push(`<p class="meta">Stack file <code>${h(s.file)}</code></p>`);
    parts.push(`<h3>Outcomes with throttling, per cohort, over ${h(hz)}</h3>`, table(cohortTable(s, 'throttled', i)));
    parts.push(`<h3>Outcomes without throttling</h3>`, table(cohortTable(s, 'unthrottled', i)));
    const routes = routeTable(s, i);
    if (routes) parts.push(`<h3>Outcomes per route, with throttling</h3>`, table(routes));
    const mine = charts.filter((c) => c.stackIndex === i);
    if (mine.length) parts.push(`<div class="charts">${mine.map(figure).join('')}</div>`);
    parts.push(`<h3>Bill over ${h(hz)}</h3>`, table(billTable(s, i)));
    const det = detectionTable(s, i, detectionWindow(doc));
    if (det) parts.push(`<h3>Cost until detection</h3><p>${h(detectionSentence(s, detectionWindow(doc)))}</p>`, table(det, `detection-${i + 1}`));
    if (s.notes?.length) parts.push(`<ul class="notes">${s.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>`);
    parts.push(`</section>`);
  });

  const live = liveTable(doc);
  if (live) {
    const tl = doc.measured ?? doc.server ?? doc.predicted;
    parts.push(`<section id="live"><h2>Live run: ${h(liveSources(doc))}</h2>`);
    if (tl) parts.push(`<p>Run length ${h(formatDuration(tl.durationSeconds))}; counts over the run itself (not projected).</p>`);
    parts.push(table(live, 'live-table'));
    const note = liveNote(doc);
    if (note) parts.push(`<p class="note">${h(note)}</p>`);
    const dev = deviationTable(doc);
    if (dev) parts.push(table(dev, 'deviation-table'));
    const win = runWindowTable(doc);
    if (win) parts.push(`<h3>What the run itself cost</h3>`, table(win, 'run-window-table'));
    const perCohort = cohortDeviationTable(doc);
    if (perCohort) parts.push(`<h3>Per cohort and outcome</h3><p>Δ = measured − predicted, as a share of the cohort's offered requests.</p>`, table(perCohort, 'cohort-deviation-table'));
    parts.push(`</section>`);
  }
  const latency = latencyTable(doc);
  if (latency) parts.push(`<section id="latency"><h2>Latency per cohort (client-observed)</h2>`, table(latency, 'latency-table'), `</section>`);
  if (doc.warnings?.length) {
    parts.push(`<section id="warnings"><h2>Warnings</h2><ul>${doc.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul></section>`);
  }
  parts.push(`<section id="assumptions"><h2>Assumptions</h2><ul>`);
  for (const a of doc.assumptions) parts.push(`<li>${h(a)}</li>`);
  parts.push(
    `<li>Prices: the ${h(doc.prices.region)} price book as of ${h(doc.prices.asOf)}, source ${h(doc.prices.source)}. Figures are estimates, rounded for display only; the JSON document holds them unrounded.</li>`,
  );
  parts.push(`</ul></section>`);
  parts.push(`</main>
<footer>Generated by dowsim from a dowsim.result/1 document · figures are estimates from the price book above</footer>
</body>
</html>
`);
  return parts.join('\n');
}

// The figure a reader looks for first: the cheapest and the most expensive configuration under attack.
function cards(doc: ResultDocument): string {
  if (doc.stacks.length === 0) return '<p>No stacks in this result.</p>';
  const ranked = rankStacks(doc);
  const worst = ranked[ranked.length - 1];
  const best = ranked[0];
  const card = (label: string, f: (typeof ranked)[number]) =>
    `<div class="card"><div class="label">${h(label)}</div><div class="name">${h(f.name)}</div>` +
    `<div class="big" data-figure="stacks.${f.index}.throttled.bill.perHour">${h(formatMoney(f.throttledPerHour))}<span>/hour</span></div>` +
    `<div class="small"><span data-figure="stacks.${f.index}.throttled.bill.total">${h(formatMoney(f.throttledTotal))}</span> over ${h(horizonLabel(doc))} with throttling · ` +
    `<span data-figure="stacks.${f.index}.unthrottled.bill.total">${h(formatMoney(f.unthrottledTotal))}</span> without</div>` +
    `<div class="small">saves <span data-figure="stacks.${f.index}.savings">${h(formatMoney(f.savings))}</span> · damage <span data-figure="stacks.${f.index}.damage">${h(formatMoney(f.damage))}</span> · collateral <span data-figure="stacks.${f.index}.collateral">${h(formatPercent(f.collateral))}</span></div></div>`;
  const list = ranked.length === 1 ? [card('Under attack', best)] : [card('Most expensive under attack', worst), card('Cheapest under attack', best)];
  return `<div class="cards">${list.join('')}</div>`;
}

function figure(c: Chart): string {
  return `<figure class="chart" id="chart-${h(c.id)}" data-chart="${h(c.kind)}"><figcaption>${h(c.title)}</figcaption>${c.svg}</figure>`;
}

function table(drawn: Table, id?: string): string {
  const t = moneyColumns(drawn);
  const th = t.headers.map((x, i) => `<th class="${t.align[i]}">${h(x)}</th>`).join('');
  const rows = t.rows
    .map(
      (r) =>
        `<tr>${r
          .map((cell, i) => {
            const attrs = `class="${t.align[i]}"${cell.figure ? ` data-figure="${h(cell.figure)}"` : ''}`;
            const text = cell.strong ? `<b>${h(cell.text)}</b>` : h(cell.text);
            return `<td ${attrs}>${text}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table${id ? ` id="${id}"` : ''}><thead><tr>${th}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

const STYLE = `${BASE_STYLE}h2 small { color: var(--muted); font-weight: normal; font-size: 14px; }
.description { margin: 0 0 6px; font-size: 16px; overflow-wrap: anywhere; }
.card .name { font-weight: 600; overflow-wrap: anywhere; }
.card .big { color: var(--bad); }
.sentences { padding-left: 20px; }
.legend { color: var(--muted); font-size: 13px; }
.table-wrap { overflow-x: auto; }
.left { text-align: left; }
.charts { display: grid; grid-template-columns: 1fr; gap: 12px; }
figure.chart figcaption { font-size: 13px; font-weight: 600; margin: 0 0 4px 4px; overflow-wrap: anywhere; }
`;
