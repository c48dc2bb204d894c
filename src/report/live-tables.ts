/**
 * The tables only a live run (or a k6 import) has: each cohort's outcomes as predicted, measured
 * and counted by the server, with the deviation and whether it is beyond the stated tolerance; the
 * run's own window priced beside its prediction; and latency percentiles per cohort. Terminal,
 * Markdown and HTML all render these same tables.
 */
import type { ResultDocument } from '../model/result.ts';
import { formatCount, formatNumber, formatPercent } from './format.ts';
import type { Cell, Table } from './tables.ts';
import { moneyCell } from './money-cells.ts';

const c = (text: string, figure?: string, strong?: boolean): Cell => ({ text, figure, strong });

/** Per cohort and outcome (rows where any view is non-zero): predicted, measured, server, deviation. */
export function cohortDeviationTable(doc: ResultDocument): Table | undefined {
  const d = doc.cohortDeviation;
  if (!d || Object.keys(d).length === 0) return undefined;
  const hasServer = Object.values(d).some((x) => Object.values(x.outcomes).some((r) => r.server !== undefined));
  const rows: Cell[][] = [];
  for (const [name, x] of Object.entries(d)) {
    for (const [k, r] of Object.entries(x.outcomes)) {
      if (k !== 'offered' && r.measured === 0 && r.predicted === 0 && !r.server) continue;
      const flag = r.beyondTolerance === true && k !== 'offered' && k !== 'invoked' && k !== 'dropped';
      rows.push([
        c(name),
        c(k),
        c(formatCount(r.predicted), `cohortDeviation.${name}.${k}.predicted`),
        c(formatCount(r.measured), `cohortDeviation.${name}.${k}.measured`),
        ...(hasServer ? [c(r.server === undefined ? '—' : formatCount(r.server))] : []),
        c(k === 'offered' || k === 'dropped' ? '' : signedPercent(r.ofOffered ?? 0)),
        c(flag ? 'MISMATCH' : '', undefined, flag),
      ]);
    }
  }
  return {
    headers: ['Cohort', 'Outcome', 'Predicted', 'Measured', ...(hasServer ? ['Server'] : []), 'Δ of offered', 'Beyond tolerance'],
    align: ['left', 'left', 'right', 'right', ...(hasServer ? (['right'] as const) : []), 'right', 'left'],
    rows,
  };
}

/** The run's own window: what it cost as measured, beside the simulator's prediction for it. */
export function runWindowTable(doc: ResultDocument): Table | undefined {
  const rows: Cell[][] = [];
  doc.stacks.forEach((s, i) => {
    const w = s.runWindow;
    if (!w) return;
    rows.push([
      c(s.name),
      moneyCell(w.measured.bill.total, `stacks.${i}.runWindow.measured.bill.total`),
      moneyCell(w.predicted.bill.total, `stacks.${i}.runWindow.predicted.bill.total`),
      c(formatPercent(w.collateral.measured)),
      c(formatPercent(w.collateral.predicted)),
    ]);
  });
  if (rows.length === 0) return undefined;
  return {
    headers: ['Stack', 'This run cost (measured)', 'Predicted for the run', 'Legit not served (measured)', 'Predicted'],
    align: ['left', 'right', 'right', 'right', 'right'],
    rows,
  };
}

/** Client-observed latency per cohort, milliseconds (k6 and Artillery users read p50/p90/p99). */
export function latencyTable(doc: ResultDocument): Table | undefined {
  const tl = doc.measured;
  const withLatency = tl?.cohorts.filter((x) => x.latency && x.latency.count > 0) ?? [];
  if (withLatency.length === 0) return undefined;
  const ms = (x: number) => formatNumber(x, x < 10 ? 1 : 0);
  return {
    headers: ['Cohort', 'Answers', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
    align: ['left', 'right', 'right', 'right', 'right', 'right'],
    rows: withLatency.map((x) => {
      const l = x.latency!;
      return [c(x.name), c(formatCount(l.count)), c(ms(l.p50), `latency.${x.name}.p50`), c(ms(l.p90), `latency.${x.name}.p90`), c(ms(l.p99), `latency.${x.name}.p99`), c(ms(l.max))];
    }),
  };
}

function signedPercent(x: number): string {
  if (x === 0) return '0%';
  return `${x > 0 ? '+' : '−'}${formatPercent(Math.abs(x))}`;
}
