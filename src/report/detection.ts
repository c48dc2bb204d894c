/**
 * Cost until detection in the reports: when each alarm or budget would fire, what the bill was by
 * then, and a ranking by the cost until anyone is told. "Never fires" is said in those words.
 */
import type { Detection, ResultDocument, StackResult, VariantResult } from '../model/result.ts';
import { formatMoney, formatMoneyColumn } from './format.ts';
import { moneyCell } from './money-cells.ts';
import { horizonLabel } from './figures.ts';
import { formatDuration } from '../model/units.ts';
import type { Cell, Table } from './tables.ts';

/** The alarm that fires first on a variant, or undefined when none fires (or the stack has none). */
export function firstDetection(v: VariantResult): (Detection & { firesAtSeconds: number }) | undefined {
  let first: (Detection & { firesAtSeconds: number }) | undefined;
  for (const d of v.detection ?? []) {
    if (d.firesAtSeconds !== null && (first === undefined || d.firesAtSeconds < first.firesAtSeconds)) first = d as Detection & { firesAtSeconds: number };
  }
  return first;
}

/** What the attack costs before anyone is told: the first alarm's cost, or the whole bill when none fires. */
export function costUntilFirstDetection(v: VariantResult): number {
  return firstDetection(v)?.costBeforeUsd ?? v.bill.total;
}

/** "12m", "6d 6h", "1h 30m 5s": elapsed time since the scenario started. */
export function formatElapsed(seconds: number): string {
  if (seconds === 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, s] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / s);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * s;
  }
  return parts.length ? parts.join(' ') : `${+seconds.toFixed(3)}s`;
}

/**
 * The stretch the alarms were evaluated over: the horizon for a simulation, the run itself for a
 * live run or an import, the window for a collection (their detection comes from their own
 * counts, not a projection).
 */
export function detectionWindow(doc: ResultDocument): string {
  const run = doc.measured ?? doc.server;
  // a live run's detection is the simulator's over the horizon, like its bills (one basis)
  if (!run || doc.stacks.some((s) => s.runWindow)) return horizonLabel(doc);
  return doc.source === 'cloudwatch' ? `the collected ${formatDuration(run.durationSeconds)}` : `the ${formatDuration(run.durationSeconds)} run`;
}

/** "after 12m" or "never fires within 30d". */
export function whenText(d: Detection, horizon: string): string {
  return d.firesAtSeconds === null ? `never fires within ${horizon}` : `after ${formatElapsed(d.firesAtSeconds)}`;
}

/** Per alarm/budget: when it fires with and without throttling, and the bill by then. */
export function detectionTable(s: StackResult, stackIndex: number, horizon: string): Table | undefined {
  const t = s.throttled.detection;
  if (!t?.length) return undefined;
  const u = s.unthrottled.detection ?? [];
  const cell = (text: string, figure?: string, strong?: boolean): Cell => ({ text, figure, strong });
  const p = `stacks.${stackIndex}`;
  return {
    headers: ['Alarm or budget', 'Fires (with throttling)', 'Cost until then', 'Fires (without)', 'Cost until then (without)'],
    align: ['left', 'left', 'right', 'left', 'right'],
    rows: t.map((d, j) => {
      const w = u.find((x) => x.alarm === d.alarm);
      return [
        cell(d.alarm),
        cell(whenText(d, horizon), `${p}.throttled.detection.${j}.firesAtSeconds`, d.firesAtSeconds === null),
        moneyCell(d.costBeforeUsd, `${p}.throttled.detection.${j}.costBeforeUsd`, true),
        cell(w ? whenText(w, horizon) : ''),
        w ? moneyCell(w.costBeforeUsd) : cell(''),
      ];
    }),
  };
}

/** Terminal lines for one stack: one per alarm, then who is told first. */
export function detectionLines(s: StackResult, horizon: string): string[] {
  const t = s.throttled.detection;
  if (!t?.length) return [];
  const names = t.map((d) => oneLine(d.alarm));
  const width = Math.max(...names.map((n) => n.length));
  const lines = ['  cost until detection (with throttling):'];
  const amounts = formatMoneyColumn(t.map((d) => d.costBeforeUsd));
  t.forEach((d, i) => {
    const cost = d.firesAtSeconds === null ? `nobody told: the whole ${amounts[i]}` : `${amounts[i]} by then`;
    lines.push(`    ${names[i].padEnd(width)}  ${whenText(d, horizon).padEnd(24)} ${cost}`);
  });
  const first = firstDetection(s.throttled);
  const never = t.filter((d) => d.firesAtSeconds === null).length;
  const silent = never ? `; ${never} of ${t.length} never fire` : '';
  lines.push(first ? `  first told after ${formatElapsed(first.firesAtSeconds)} (${oneLine(first.alarm)}) at ${formatMoney(first.costBeforeUsd)}${silent}` : `  nobody is told within ${horizon}`);
  return lines;
}

/** One sentence: who is told first and what it cost by then, or that nobody is told. */
export function detectionSentence(s: StackResult, horizon: string): string {
  const first = firstDetection(s.throttled);
  const never = (s.throttled.detection ?? []).filter((d) => d.firesAtSeconds === null).map((d) => d.alarm);
  const silent = never.length ? `; never fires within ${horizon}: ${never.join(', ')}` : '';
  if (!first) return `Nobody is told: no alarm or budget fires within ${horizon}, and the whole ${formatMoney(s.throttled.bill.total)} runs up.`;
  return `First told after ${formatElapsed(first.firesAtSeconds)} (${first.alarm}), by when the bill is ${formatMoney(first.costBeforeUsd)}${silent}.`;
}

/** Stacks ranked by what the attack costs before anyone is told (with throttling), for `compare`. */
export function detectionRanking(doc: ResultDocument): Table | undefined {
  const watched = doc.stacks.map((s, index) => ({ s, index })).filter(({ s }) => s.throttled.detection?.length);
  if (watched.length === 0) return undefined;
  const h = detectionWindow(doc);
  const ranked = watched
    .map(({ s, index }) => ({ s, index, cost: costUntilFirstDetection(s.throttled), first: firstDetection(s.throttled) }))
    .sort((a, b) => a.cost - b.cost || (a.first?.firesAtSeconds ?? Infinity) - (b.first?.firesAtSeconds ?? Infinity) || a.index - b.index);
  return {
    headers: ['#', 'Stack', 'Cost until first detection', 'First told', 'By'],
    align: ['right', 'left', 'right', 'left', 'left'],
    rows: ranked.map((r, i) => [
      { text: String(i + 1) },
      { text: r.s.name },
      moneyCell(r.cost, undefined, true),
      { text: r.first ? `after ${formatElapsed(r.first.firesAtSeconds)}` : `never within ${h}` },
      { text: r.first ? r.first.alarm : '—' },
    ]),
  };
}

// Names come from user files: no line breaks or control characters in a terminal line.
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}
