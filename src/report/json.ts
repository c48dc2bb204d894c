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
  return `${pretty(doc, '')}\n`;
}

/**
 * One pass, ordering keys as it writes. Most objects of a document are buckets whose keys already
 * come in order and hold plain values: those are written by JSON.stringify as they are, with no
 * reordered copy (a month of buckets for several stacks is tens of thousands of them).
 */
function pretty(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPlain)) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  const obj = value as Record<string, unknown>;
  const { keys: own, inOrder } = orderedKeys(obj);
  const keys = own.filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function');
  if (keys.length === 0) return '{}';
  if (keys.every((k) => isPlain(obj[k]))) {
    // keys already in order and nothing left out: JSON.stringify writes the very same line
    if (inOrder && keys.length === own.length) return JSON.stringify(obj);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(obj[k])}`).join(',')}}`;
  }
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${pretty(obj[k], inner)}`).join(',\n')}\n${indent}}`;
}

function isPlain(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/** The object's own keys, known ones in KEY_ORDER, unknown ones after them in their own order; `inOrder`: as they were. */
function orderedKeys(obj: Record<string, unknown>): { keys: string[]; inOrder: boolean } {
  const keys = Object.keys(obj);
  let last = -1;
  let sorted = true;
  for (const k of keys) {
    const r = RANK.get(k) ?? KEY_ORDER.length;
    if (r < last) {
      sorted = false;
      break;
    }
    last = r;
  }
  if (sorted) return { keys, inOrder: true };
  const keyed = keys.map((k, i) => ({ k, r: RANK.get(k) ?? KEY_ORDER.length, i }));
  keyed.sort((a, b) => a.r - b.r || a.i - b.i);
  return { keys: keyed.map(({ k }) => k), inOrder: false };
}
