import type { StackResult } from '../model/result.ts';
import type { Totals } from '../model/totals.ts';
import { nonZeroOutcomes } from './figures.ts';
import { formatCount, formatCountColumnShort, formatNumber } from './format.ts';
import type { Cell, Table } from './tables.ts';
import { textTable, type TextColumn } from './text-table.ts';

/** The function behind a route key, as the result document names it ("lambda" unless routeFunctions says otherwise). */
export function routeFunction(s: StackResult, route: string): string {
  return s.routeFunctions?.[route] ?? 'lambda';
}

/** The per-route rows worth a table: only when the stack result knows two or more routes. */
function routeEntries(s: StackResult): [string, Totals][] | undefined {
  const routes = s.throttled.routes;
  if (!routes || Object.keys(routes).length < 2) return undefined;
  return Object.entries(routes);
}

/**
 * What each route's requests became with throttling (only outcomes that occurred), which function
 * served them and its GB-seconds, beside what the route served without throttling: where an
 * attacker's chosen route costs, and which throttle held it.
 */
export function routeTable(s: StackResult, stackIndex: number): Table | undefined {
  const entries = routeEntries(s);
  if (!entries) return undefined;
  const outcomes = nonZeroOutcomes(entries.map(([, t]) => t));
  const p = `stacks.${stackIndex}.throttled.routes`;
  const c = (text: string, figure?: string): Cell => ({ text, figure });
  const rows = entries.map(([route, t]) => {
    const u = s.unthrottled.routes?.[route];
    return [
      c(route),
      c(routeFunction(s, route)),
      c(formatCount(t.offered), `${p}.${route}.offered`),
      ...outcomes.map((o) => c(formatCount(t[o]), `${p}.${route}.${o}`)),
      c(formatNumber(t.gbSeconds, 1), `${p}.${route}.gbSeconds`),
      c(u ? formatCount(u.succeeded) : '—'),
      c(u ? formatNumber(u.gbSeconds, 1) : '—'),
    ];
  });
  return {
    headers: ['Route', 'Function', 'Offered', ...outcomes, 'GB-seconds', 'Succeeded without throttling', 'GB-seconds without'],
    align: ['left', 'left', 'right', ...outcomes.map(() => 'right' as const), 'right', 'right', 'right'],
    rows,
  };
}

/** The terminal's compact per-route lines (throttled variant): route, function, offered, served, refused, GB-s. */
export function routeLines(s: StackResult): string[] {
  const entries = routeEntries(s);
  if (!entries) return [];
  const cols: TextColumn[] = [
    { header: 'route' },
    { header: 'function' },
    { header: 'offered', align: 'right' },
    { header: 'succeeded', align: 'right' },
    { header: 'refused', align: 'right' },
    { header: 'GB-s', align: 'right' },
  ];
  // each count column in one form (formatCountColumnShort)
  const [offered, succeeded, refused] = [(t: Totals) => t.offered, (t: Totals) => t.succeeded, (t: Totals) => t.offered - t.succeeded].map((f) => formatCountColumnShort(entries.map(([, t]) => f(t))));
  const rows = entries.map(([route, t], i) => [route.length > 28 ? `${route.slice(0, 27)}…` : route, routeFunction(s, route), offered[i], succeeded[i], refused[i], formatNumber(t.gbSeconds, 1)]);
  return textTable(cols, rows);
}
