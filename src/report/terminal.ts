import type { ResultDocument, StackResult } from '../model/result.ts';
import type { Outcome } from '../model/outcomes.ts';
import { timelineTotals, type Timeline } from '../model/timeline.ts';
import type { Totals } from '../model/totals.ts';
import { formatCount, formatCountColumnShort, formatMoney, formatMoneyColumn, formatPercent } from './format.ts';
import { CLOUDWATCH_BLIND } from '../collect/to-timeline.ts';
import { OUTCOME_ORDER, apiKindTitle, horizonLabel, nonZeroOutcomes, rankStacks } from './figures.ts';
import { detectionLines, detectionRanking, detectionWindow } from './detection.ts';
import { cohortDeviationTable, latencyTable } from './live-tables.ts';
import { routeLines } from './route-table.ts';
import type { Table } from './tables.ts';
import { tableWidth, textTable, truncate, visibleLength, wrapText, type TextColumn } from './text-table.ts';
import { moneyColumns } from './money-cells.ts';

const MAX_WIDTH = 100;

const SHORT: Record<Outcome, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  timedOut: 'timedOut',
  lambdaThrottled: 'lambdaThrottled',
  gatewayThrottled: 'gatewayThrottled',
  quotaExceeded: 'quota',
  authRejected: 'authRejected',
  wafBlocked: 'wafBlocked',
};
// tighter headers for when the full ones do not fit in 100 columns
const SHORTER: Record<Outcome, string> = {
  succeeded: 'ok',
  failed: 'failed',
  timedOut: 'timeout',
  lambdaThrottled: 'λthrottle',
  gatewayThrottled: 'gw429',
  quotaExceeded: 'quota',
  authRejected: 'auth403',
  wafBlocked: 'waf',
};

export interface SummaryOptions {
  /** ANSI bold for headings; only when printing to a terminal. */
  color?: boolean;
}

/** The result as compact tables for a terminal (≤ 100 columns): per stack and cohort, bills, ranking. */
export function formatSummary(doc: ResultDocument, opts: SummaryOptions = {}): string {
  const bold = (s: string) => (opts.color ? `\u001b[1m${s}\u001b[22m` : s);
  const out: string[] = [];
  const horizon = horizonLabel(doc);
  out.push(
    bold(`dowsim · ${oneLine(doc.scenario)}`) +
      ` · ${doc.source} · horizon ${horizon} · prices ${doc.prices.region} as of ${doc.prices.asOf} (${doc.prices.source})`,
  );
  for (const s of doc.stacks) {
    out.push('');
    out.push(bold(`${oneLine(s.name)}`) + ` (${apiKindTitle(s.apiKind)})`);
    out.push(...cohortTable(s));
    out.push(...routeLines(s));
    out.push(...billLines(s, horizon));
    out.push(...detectionLines(s, detectionWindow(doc)));
  }
  if (doc.stacks.length >= 2) {
    out.push('');
    out.push(bold(`Ranking (cheapest under attack first, then least collateral; costs over ${horizon})`));
    out.push(...rankingTable(doc));
    const ranking = detectionRanking(doc);
    const byDetection = ranking && moneyColumns(ranking);
    if (byDetection) out.push('', bold('Ranking by cost until first detection (with throttling)'), ...textTable(byDetection.headers.map((header, i) => ({ header, align: byDetection.align[i] })), byDetection.rows.map((r) => r.map((c) => oneLine(c.text)))));
  }
  const live = liveTable(doc);
  if (live.length) {
    out.push('');
    const what = liveSources(doc);
    out.push(bold(`${what.charAt(0).toUpperCase()}${what.slice(1)}, over the run itself${runLabel(doc)}`));
    out.push(...live);
    const note = liveNote(doc);
    if (note) out.push(...wrapText(note, MAX_WIDTH, '  ', '  '));
  }
  const perCohort = cohortDeviationTable(doc);
  if (perCohort) {
    out.push('');
    out.push(bold('Per cohort (Δ = measured − predicted, as a share of the cohort\'s offered requests)'));
    out.push(...plainTable(perCohort));
  }
  const latency = latencyTable(doc);
  if (latency) {
    out.push('');
    out.push(bold('Latency per cohort, as the client saw it'));
    out.push(...plainTable(latency));
  }
  const lines = out.map((l) => fit(l));
  // warnings are never cut: a warning is what the reader most needs to read in full
  for (const w of doc.warnings ?? []) {
    const loud = /^MISMATCH/.test(w);
    lines.push(...wrapText(oneLine(w), MAX_WIDTH, loud ? bold('WARNING: ') : 'warning: ', '  '));
  }
  return `${lines.join('\n')}\n`;
}

/** " (10 s, poisson arrivals, seed 42)" for a live run; '' otherwise. */
function runLabel(doc: ResultDocument): string {
  const run = doc.extras?.run as { durationSeconds?: number; arrivals?: string; seed?: number } | undefined;
  if (!run || run.durationSeconds === undefined) return '';
  const secs = Math.round(run.durationSeconds * 10) / 10;
  return ` (${secs} s, ${run.arrivals ?? 'uniform'} arrivals${run.seed !== undefined ? `, seed ${run.seed}` : ''})`;
}

function plainTable(t: Table): string[] {
  return textTable(
    t.headers.map((h, i) => ({ header: h, align: t.align[i] })),
    t.rows.map((r) => r.map((cell) => oneLine(cell.text))),
  );
}

function cohortTable(s: StackResult): string[] {
  const entries = Object.entries(s.throttled.cohorts);
  const outcomes = nonZeroOutcomes(entries.map(([, c]) => c.totals));
  const build = (short: boolean, nameMax: number) => {
    const headers = short ? SHORTER : SHORT;
    const cols: TextColumn[] = [
      { header: 'cohort' },
      { header: 'role' },
      { header: 'offered', align: 'right' },
      ...outcomes.map((o) => ({ header: headers[o], align: 'right' as const })),
    ];
    const labels = entries.map(([name, c]) => [truncate(oneLine(name), nameMax), c.role]);
    const totals = entries.map(([, c]) => c.totals);
    if (entries.length > 1) {
      labels.push(['all', '']);
      totals.push(s.throttled.totals);
    }
    // column by column, so that a short column is short throughout (formatCountColumnShort)
    const columns = (['offered', ...outcomes] as const).map((k) => totals.map((t) => t[k]));
    const cells = columns.map((col) => (short ? formatCountColumnShort(col) : col.map(formatCount)));
    return textTable(cols, labels.map((l, i) => [...l, ...cells.map((col) => col[i])]));
  };
  return firstThatFits([() => build(false, 24), () => build(true, 24), () => build(true, 12)]);
}

function billLines(s: StackResult, horizon: string): string[] {
  const t = s.throttled.bill;
  const u = s.unthrottled.bill;
  const totals = formatMoneyColumn([t.total, u.total]);
  const perHour = formatMoneyColumn([t.perHour, u.perHour]);
  const rows = [
    ['bill with throttling', totals[0], `${perHour[0]}/h`],
    ['bill without throttling', totals[1], `${perHour[1]}/h`],
  ];
  return [
    ...textTable([{ header: `over ${horizon}` }, { header: 'total', align: 'right' }, { header: 'per hour', align: 'right' }], rows),
    `  savings ${formatMoney(s.savings)} · damage ${formatMoney(s.damage)} · collateral ${formatPercent(s.collateral)} of legit requests not served`,
    ...(s.runWindow
      ? [
          `  this run itself (${Math.round(s.runWindow.seconds * 10) / 10} s, not scaled): cost ${runCost(s.runWindow)[0]} measured, ` +
            `${runCost(s.runWindow)[1]} predicted`,
          `  legit requests not served in the run: ${formatPercent(s.runWindow.collateral.measured)} measured, ${formatPercent(s.runWindow.collateral.predicted)} predicted`,
        ]
      : []),
  ];
}

/** The run's measured and predicted cost at one precision, so that the two compare digit by digit. */
function runCost(w: NonNullable<StackResult['runWindow']>): string[] {
  return formatMoneyColumn([w.measured.bill.total, w.predicted.bill.total]);
}

function rankingTable(doc: ResultDocument): string[] {
  const ranked = rankStacks(doc);
  // each money column at one precision: [throttled total, per hour, unthrottled total, savings]
  const money = [
    formatMoneyColumn(ranked.map((f) => f.throttledTotal)),
    formatMoneyColumn(ranked.map((f) => f.throttledPerHour)),
    formatMoneyColumn(ranked.map((f) => f.unthrottledTotal)),
    formatMoneyColumn(ranked.map((f) => f.savings)),
  ];
  const build = (nameMax: number) =>
    textTable(
      [
        { header: '#', align: 'right' },
        { header: 'stack' },
        { header: 'with throttling', align: 'right' },
        { header: 'per hour', align: 'right' },
        { header: 'without', align: 'right' },
        { header: 'savings', align: 'right' },
        { header: 'collateral', align: 'right' },
      ],
      ranked.map((f, i) => [
        String(i + 1),
        truncate(oneLine(f.name), nameMax),
        money[0][i],
        money[1][i],
        money[2][i],
        money[3][i],
        formatPercent(f.collateral),
      ]),
    );
  return firstThatFits([() => build(32), () => build(20), () => build(12)]);
}

const LIVE_KEYS: (keyof Totals)[] = ['offered', ...OUTCOME_ORDER, 'invoked', 'coldStarts', 'connectionErrors', 'dropped'];

/** What a client cannot observe: shown as "—" in the measured column, not as a misleading 0. */
const CLIENT_BLIND: (keyof Totals)[] = ['coldStarts'];

/** The server column came from CloudWatch (`run --server cloudwatch`, or a real target), not from the emulator's own count. */
function serverFromCloudWatch(doc: ResultDocument): boolean {
  return doc.server?.source === 'cloudwatch';
}

/**
 * Under a live table whose server column is CloudWatch's: what its gatewayThrottled holds, and the
 * client's count of the same (every request refused before the function), when the two differ
 * in kind (the client saw 403s or quota or WAF refusals). undefined otherwise.
 */
export function liveNote(doc: ResultDocument): string | undefined {
  if (!doc.server || !doc.measured || !serverFromCloudWatch(doc)) return undefined;
  const m = timelineTotals(doc.measured);
  if (CLOUDWATCH_BLIND.every((k) => m[k] === 0)) return undefined;
  const before = m.gatewayThrottled + CLOUDWATCH_BLIND.reduce((n, k) => n + m[k], 0);
  return `server: CloudWatch has no throttle metric, so its gatewayThrottled is every request API Gateway answered without the function (429 throttles and quotas, 403 keys, authorizers and WAF blocks alike); the client measured ${formatCount(before)} such (${['gatewayThrottled', ...CLOUDWATCH_BLIND].filter((k) => m[k as keyof Totals] > 0).map((k) => `${k} ${formatCount(m[k as keyof Totals])}`).join(', ')}).`;
}

/** What the live table compares, as its heading says it: "predicted vs measured vs server", or as much of it as the document has ("measured" alone for an imported k6 run without a prediction or server). */
export function liveSources(doc: ResultDocument): string {
  return liveRows(doc)?.headers.join(' vs ') ?? '';
}

/** Predicted vs measured vs server totals of a live run (nothing for a simulation). */
export function liveRows(doc: ResultDocument): { headers: string[]; rows: [keyof Totals, (number | undefined)[]][] } | undefined {
  const sources: [string, Timeline | undefined][] = [
    ['predicted', doc.predicted],
    ['measured', doc.measured],
    ['server', doc.server],
  ];
  const present = sources.filter(([, tl]) => tl !== undefined) as [string, Timeline][];
  if (present.length === 0) return undefined;
  const totals = present.map(([, tl]) => timelineTotals(tl));
  const cloudWatch = serverFromCloudWatch(doc);
  const blind = (source: string, k: keyof Totals) => (source === 'measured' && CLIENT_BLIND.includes(k)) || (source === 'server' && cloudWatch && (CLOUDWATCH_BLIND as readonly string[]).includes(k));
  const rows = LIVE_KEYS.filter((k) => k === 'offered' || totals.some((t) => t[k] !== 0)).map(
    (k) => [k, totals.map((t, i) => (blind(present[i][0], k) ? undefined : t[k]))] as [keyof Totals, (number | undefined)[]],
  );
  return { headers: present.map(([n]) => n), rows };
}

function liveTable(doc: ResultDocument): string[] {
  const live = liveRows(doc);
  if (!live) return [];
  return textTable(
    [{ header: 'count' }, ...live.headers.map((h) => ({ header: h, align: 'right' as const }))],
    live.rows.map(([k, vals]) => [k, ...vals.map((v) => (v === undefined ? '—' : formatCount(v)))]),
  );
}

function firstThatFits(variants: (() => string[])[]): string[] {
  let last: string[] = [];
  for (const v of variants) {
    last = v();
    if (tableWidth(last) <= MAX_WIDTH) return last;
  }
  return last;
}

function fit(line: string): string {
  if (visibleLength(line) <= MAX_WIDTH) return line;
  // eslint-disable-next-line no-control-regex
  return truncate(line.replace(/\u001b\[[0-9;]*m/g, ''), MAX_WIDTH);
}

// Names come from user files: no line breaks or control characters in a terminal table.
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}
