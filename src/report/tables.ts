import type { BillLine, ResultDocument, StackResult, VariantResult } from '../model/result.ts';
import { formatCount, formatMoney, formatNumber, formatPercent, formatQuantity, formatUnitPrice } from './format.ts';
import { horizonLabel, nonZeroOutcomes, stackFigures } from './figures.ts';
import { liveRows } from './terminal.ts';
import { moneyCell as m } from './money-cells.ts';

/** A cell: display text (raw user text allowed — each renderer escapes it) and an optional figure key. */
export interface Cell {
  text: string;
  /** Names the document figure this cell shows (`stacks.0.throttled.bill.perHour`), so tests can find it. */
  figure?: string;
  strong?: boolean;
  /** An amount in dollars: `text` shows it, with its column's decimals once the table is drawn (money-cells.ts). */
  usd?: number;
}

/** A table both Markdown and HTML render: the same figures in both, escaped by each, amounts aligned per column. */
export interface Table {
  headers: string[];
  align: ('left' | 'right')[];
  rows: Cell[][];
}

const c = (text: string, figure?: string, strong?: boolean): Cell => ({ text, figure, strong });

/** Per stack: cost per hour and over the horizon with and without throttling, savings, damage, collateral. */
export function headlineTable(doc: ResultDocument): Table {
  const h = horizonLabel(doc);
  return {
    headers: ['Stack', 'With throttling, per hour', `With throttling, ${h}`, 'Without, per hour', `Without, ${h}`, 'Savings', 'Damage', 'Collateral'],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows: stackFigures(doc).map((f) => {
      const p = `stacks.${f.index}`;
      return [
        c(f.name, `${p}.name`),
        m(f.throttledPerHour, `${p}.throttled.bill.perHour`, true),
        m(f.throttledTotal, `${p}.throttled.bill.total`, true),
        m(f.unthrottledPerHour, `${p}.unthrottled.bill.perHour`),
        m(f.unthrottledTotal, `${p}.unthrottled.bill.total`),
        m(f.savings, `${p}.savings`),
        m(f.damage, `${p}.damage`),
        c(formatPercent(f.collateral), `${p}.collateral`),
      ];
    }),
  };
}

/** What each cohort's requests became in one variant, over the horizon (only outcomes that occurred). */
export function cohortTable(s: StackResult, variant: 'throttled' | 'unthrottled', stackIndex: number): Table {
  const v: VariantResult = s[variant];
  const entries = Object.entries(v.cohorts);
  const outcomes = nonZeroOutcomes(entries.map(([, x]) => x.totals));
  const p = `stacks.${stackIndex}.${variant}`;
  const rows: Cell[][] = entries.map(([name, x], j) => [
    c(name),
    c(x.role),
    c(formatCount(x.totals.offered), `${p}.cohorts.${j}.offered`),
    ...outcomes.map((o) => c(formatCount(x.totals[o]), `${p}.cohorts.${j}.${o}`)),
    c(formatCount(x.totals.invoked)),
    c(formatCount(x.totals.coldStarts)),
    c(formatNumber(x.totals.gbSeconds, 1)),
  ]);
  rows.push([
    c('all cohorts', undefined, true),
    c(''),
    c(formatCount(v.totals.offered), `${p}.totals.offered`, true),
    ...outcomes.map((o) => c(formatCount(v.totals[o]), `${p}.totals.${o}`, true)),
    c(formatCount(v.totals.invoked), `${p}.totals.invoked`, true),
    c(formatCount(v.totals.coldStarts), undefined, true),
    c(formatNumber(v.totals.gbSeconds, 1), undefined, true),
  ]);
  return {
    headers: ['Cohort', 'Role', 'Offered', ...outcomes, 'Invoked', 'Cold starts', 'GB-seconds'],
    align: ['left', 'left', 'right', ...outcomes.map(() => 'right' as const), 'right', 'right', 'right'],
    rows,
  };
}

/** The bill lines of both variants side by side, matched by service and item, with unit prices. */
export function billTable(s: StackResult, stackIndex: number): Table {
  const key = (l: BillLine) => `${l.service}\u0000${l.item}\u0000${l.unit}`;
  const order: string[] = [];
  const withL = new Map<string, BillLine>();
  const withoutL = new Map<string, BillLine>();
  for (const [list, map] of [[s.throttled.bill.lines, withL], [s.unthrottled.bill.lines, withoutL]] as const) {
    for (const l of list) {
      const k = key(l);
      map.set(k, l);
      if (order.includes(k)) continue;
      // a line only one variant has (a higher price tier) goes after its service's other lines
      let at = -1;
      order.forEach((o, i) => {
        if (o.startsWith(`${l.service}\u0000`)) at = i;
      });
      if (at === -1) order.push(k);
      else order.splice(at + 1, 0, k);
    }
  }
  const p = `stacks.${stackIndex}`;
  const rows: Cell[][] = order.map((k) => {
    const a = withL.get(k);
    const b = withoutL.get(k);
    const any = (a ?? b)!;
    return [
      c(any.service),
      c(any.item),
      c(unitPriceText(any)),
      c(a ? `${formatQuantity(a.quantity)} ${any.unit}` : '—'),
      a ? m(a.cost) : c('—'),
      c(b ? `${formatQuantity(b.quantity)} ${any.unit}` : '—'),
      b ? m(b.cost) : c('—'),
    ];
  });
  rows.push([
    c('Total', undefined, true),
    c(''),
    c(''),
    c(''),
    m(s.throttled.bill.total, `${p}.throttled.bill.total`, true),
    c(''),
    m(s.unthrottled.bill.total, `${p}.unthrottled.bill.total`, true),
  ]);
  return {
    headers: ['Service', 'Item', 'Unit price', 'Quantity with throttling', 'Cost with', 'Quantity without', 'Cost without'],
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    rows,
  };
}

/** Totals of a live run as the simulator predicted, the client measured and the server counted. */
export function liveTable(doc: ResultDocument): Table | undefined {
  const live = liveRows(doc);
  if (!live) return undefined;
  return {
    headers: ['Count', ...live.headers],
    align: ['left', ...live.headers.map(() => 'right' as const)],
    rows: live.rows.map(([k, vals]) => [c(k), ...vals.map((v, i) => c(v === undefined ? '—' : formatCount(v), `live.${live.headers[i]}.${k}`))]),
  };
}

/** The deviation the live run recorded between its views, per metric. */
export function deviationTable(doc: ResultDocument): Table | undefined {
  const d = doc.deviation;
  if (!d || Object.keys(d).length === 0) return undefined;
  const hasServer = Object.values(d).some((x) => x.server !== undefined);
  return {
    headers: ['Metric', 'Predicted', 'Measured', ...(hasServer ? ['Server'] : []), 'Relative deviation'],
    align: ['left', 'right', 'right', ...(hasServer ? (['right'] as const) : []), 'right'],
    rows: Object.entries(d).map(([m, x]) => [
      c(m),
      c(formatNumber(x.predicted, 2)),
      c(formatNumber(x.measured, 2)),
      ...(hasServer ? [c(x.server === undefined ? '' : formatNumber(x.server, 2))] : []),
      c(formatPercent(x.relative)),
    ]),
  };
}

/** One sentence per stack a budget owner can read without the tables. */
export function headlineSentences(doc: ResultDocument): string[] {
  const h = horizonLabel(doc);
  return stackFigures(doc).map(
    (f) =>
      `${f.name}: ${formatMoney(f.throttledPerHour)} per hour (${formatMoney(f.throttledTotal)} over ${h}) with throttling, ` +
      `${formatMoney(f.unthrottledPerHour)} per hour (${formatMoney(f.unthrottledTotal)}) without; ` +
      `throttling saves ${formatMoney(f.savings)}, the attack adds ${formatMoney(f.damage)}, ` +
      `and ${formatPercent(f.collateral)} of legit requests are not served.`,
  );
}

// Request prices read better per million, as AWS quotes them ("$3.50 per 1M requests").
function unitPriceText(l: BillLine): string {
  if (l.unit === 'requests' && l.unitPrice > 0 && l.unitPrice < 0.001) return `${formatMoney(l.unitPrice * 1e6)} per 1M requests`;
  return `${formatUnitPrice(l.unitPrice)} per ${singular(l.unit)}`;
}

function singular(unit: string): string {
  if (unit === 'requests') return 'request';
  if (unit.endsWith('-months')) return unit.replace(/-months$/, '-month');
  if (unit === 'metrics') return 'metric';
  return unit;
}
