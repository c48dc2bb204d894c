/**
 * Reads k6's end-of-test summary (`k6 run --summary-export=<file>`) for totals only: one bucket
 * covering the run. k6 keeps a tag-filtered count in the summary only for sub-metrics that carry
 * a threshold, so this works with scripts from `dowsim k6`, whose always-passing thresholds
 * (`http_reqs{cohort:…,status:…}` …) keep per-cohort, per-status counts there. Both the classic
 * layout ({"metrics":{"http_reqs":{"count":…}}}) and the newer one ({"metrics":{"http_reqs":
 * {"type":…,"values":{"count":…}}}}) are read.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../model/errors.ts';
import type { LatencySummary, Role } from '../model/timeline.ts';
import { HINT_METRIC } from './response-hints.ts';
import { K6Tally } from './tally.ts';

export interface SummaryRead {
  tally: K6Tally;
  durationSeconds: number;
  latency: Map<string, LatencySummary>;
}

type Values = Record<string, unknown>;

/** The per-cohort counts of a --summary-export file. */
export function readK6Summary(file: string): SummaryRead {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : code ? `cannot read it (${code})` : `not JSON (${(err as Error).message}): expected the file k6 writes with --summary-export`, file);
  }
  const metrics = (data as { metrics?: Record<string, unknown> } | null)?.metrics;
  if (!metrics || typeof metrics !== 'object') {
    throw new InputError('no "metrics" object: expected the file k6 writes with --summary-export', file);
  }
  const values = (name: string): Values | undefined => {
    const m = metrics[name] as Values | undefined;
    if (!m || typeof m !== 'object') return undefined;
    return (m.values && typeof m.values === 'object' ? m.values : m) as Values;
  };
  const num = (v: Values | undefined, k: string) => (v && typeof v[k] === 'number' ? (v[k] as number) : 0);

  const tally = new K6Tally();
  const latency = new Map<string, LatencySummary>();
  const roles = new Map<string, Role>();
  const totals = new Map<string, number>();
  const byStatus = new Map<string, number>();
  for (const key of Object.keys(metrics)) {
    const sub = parseSubmetric(key);
    if (!sub || sub.metric !== 'http_reqs' || !sub.tags.cohort) continue;
    const n = num(values(key), 'count');
    if (sub.tags.role !== undefined && sub.tags.status === undefined) {
      totals.set(sub.tags.cohort, n);
      if (sub.tags.role === 'legit' || sub.tags.role === 'attack') roles.set(sub.tags.cohort, sub.tags.role);
    } else if (sub.tags.status !== undefined) {
      byStatus.set(sub.tags.cohort, (byStatus.get(sub.tags.cohort) ?? 0) + n);
      tally.request(sub.tags.cohort, undefined, 0, Number(sub.tags.status), n);
    }
  }
  if (totals.size === 0) {
    throw new InputError(
      'no per-cohort counts (http_reqs{cohort:…,role:…}): this summary does not come from a script made by `dowsim k6`. ' +
        'Import the run\'s `--out json` output instead: it carries every request.',
      file,
    );
  }
  for (const [cohort, total] of totals) {
    const role = roles.get(cohort);
    // requests of statuses without a sub-metric of their own mean `succeeded` on every API kind
    const rest = total - (byStatus.get(cohort) ?? 0);
    tally.request(cohort, role, 0, 200, rest);
    tally.bytes(cohort, role, 0, num(values(`data_received{cohort:${cohort}}`), 'count'));
    tally.dropped(cohort, role, 0, num(values(`dropped_iterations{cohort:${cohort}}`), 'count'));
    const d = values(`http_req_duration{cohort:${cohort}}`);
    if (d && total > 0) {
      latency.set(cohort, { count: total, mean: num(d, 'avg'), p50: num(d, 'med'), p90: num(d, 'p(90)'), p99: num(d, 'p(99)'), max: num(d, 'max') });
    }
  }
  for (const key of Object.keys(metrics)) {
    const sub = parseSubmetric(key);
    if (!sub || sub.metric !== HINT_METRIC || !sub.tags.cohort || sub.tags.status === undefined) continue;
    tally.hint(sub.tags.cohort, roles.get(sub.tags.cohort), 0, { status: Number(sub.tags.status), message: sub.tags.message ?? '', errorType: '', wafAction: '' }, num(values(key), 'count'));
  }

  const all = values('http_reqs');
  const stateMs = (data as { state?: { testRunDurationMs?: number } }).state?.testRunDurationMs;
  const durationSeconds =
    typeof stateMs === 'number' && stateMs > 0
      ? stateMs / 1000
      : num(all, 'rate') > 0
        ? num(all, 'count') / num(all, 'rate')
        : 1;
  return { tally, durationSeconds, latency };
}

/** "http_reqs{cohort:bots,status:429}" → { metric: 'http_reqs', tags: { cohort: 'bots', status: '429' } }, as k6 splits it. */
export function parseSubmetric(key: string): { metric: string; tags: Record<string, string> } | undefined {
  const m = /^([^{]+)\{(.*)\}$/.exec(key);
  if (!m) return undefined;
  const tags: Record<string, string> = {};
  for (const kv of m[2].split(',')) {
    if (!kv) continue;
    const i = kv.indexOf(':');
    const k = (i < 0 ? kv : kv.slice(0, i)).trim().replace(/^["']|["']$/g, '');
    tags[k] = i < 0 ? '' : kv.slice(i + 1).trim().replace(/^["']|["']$/g, '');
  }
  return { metric: m[1], tags };
}
