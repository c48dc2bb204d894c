import type { ResultDocument } from '../model/result.ts';
import { TOTAL_KEYS } from '../model/totals.ts';

// Known keys come in the order DESIGN lists them, so two runs diff cleanly whatever order the
// producer built its objects in; unknown keys follow in their own order. Record keys (cohort names,
// deviation metrics) are not in this list and keep their order, which is the scenario's.
const KEY_ORDER = [
  'schema',
  'generatedAt',
  'scenario',
  'scenarioDescription',
  'scenarioFile',
  'name',
  'description',
  'file',
  'apiKind',
  'horizonSeconds',
  'region',
  'asOf',
  'source',
  'startTime',
  'durationSeconds',
  'bucketSeconds',
  'prices',
  'stacks',
  'role',
  'throttled',
  'unthrottled',
  'savings',
  'damage',
  'collateral',
  'legitOnlyBill',
  'runWindow',
  'seconds',
  'totals',
  ...TOTAL_KEYS,
  'cohorts',
  'buckets',
  'latency',
  'count',
  'mean',
  'p50',
  'p90',
  'p99',
  'max',
  'bill',
  'currency',
  'total',
  'perHour',
  'lines',
  'service',
  'item',
  'quantity',
  'unit',
  'unitPrice',
  'cost',
  'timeline',
  'notes',
  'assumptions',
  'measured',
  'server',
  'predicted',
  'deviation',
  'cohortDeviation',
  'outcomes',
  'relative',
  'ofOffered',
  'beyondTolerance',
  'warnings',
  'extras',
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

/**
 * The result document as pretty JSON with a stable key order (what `--json` prints and `.json`
 * holds). Objects and arrays of plain values (a bucket's counts, a bill line) stay on one line:
 * a month of per-minute buckets stays a few MB and diffs read one bucket per line.
 */
export function renderJson(doc: ResultDocument): string {
  return `${pretty(ordered(doc), '')}\n`;
}

function pretty(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPlain)) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  if (entries.every(([, v]) => isPlain(v))) return JSON.stringify(value);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
}

function isPlain(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const keyed = entries.map(([k, v], i) => ({ k, v, r: RANK.get(k) ?? KEY_ORDER.length, i }));
  keyed.sort((a, b) => a.r - b.r || a.i - b.i);
  // fromEntries defines own properties, so a cohort named "__proto__" stays a plain key
  return Object.fromEntries(keyed.map(({ k, v }) => [k, ordered(v)]));
}
