import type { ResultDocument } from '../model/result.ts';
import type { Timeline } from '../model/timeline.ts';
import { TOTAL_KEYS } from '../model/totals.ts';
import { csvField } from './escape.ts';

export const CSV_COLUMNS = ['stack', 'variant', 'cohort', 'role', 'bucket', 'startSeconds', 'endSeconds', 'time', ...TOTAL_KEYS, 'route'] as const;

/**
 * The timelines as CSV (RFC 4180, CRLF): one row per stack × variant × cohort × bucket, every count
 * column; then, where a variant knows its routes, one row per route with its totals over the whole
 * horizon (cohort and role empty, bucket "total", the route key in the last column).
 */
export function renderCsv(doc: ResultDocument): string {
  const rows: unknown[][] = [[...CSV_COLUMNS]];
  for (const { stack, variant, timeline } of csvTimelines(doc)) {
    const start = timeline.startTime ? Date.parse(timeline.startTime) : NaN;
    for (const c of timeline.cohorts) {
      c.buckets.forEach((b, i) => {
        const t0 = i * timeline.bucketSeconds;
        const t1 = timeline.durationSeconds > t0 ? Math.min(t0 + timeline.bucketSeconds, timeline.durationSeconds) : t0 + timeline.bucketSeconds;
        const time = Number.isFinite(start) ? new Date(start + t0 * 1000).toISOString() : '';
        rows.push([stack, variant, c.name, c.role, i, t0, t1, time, ...TOTAL_KEYS.map((k) => b[k]), '']);
      });
    }
  }
  for (const s of doc.stacks) {
    for (const variant of ['throttled', 'unthrottled'] as const) {
      for (const [route, t] of Object.entries(s[variant].routes ?? {})) {
        rows.push([s.name, variant, '', '', 'total', 0, doc.horizonSeconds, '', ...TOTAL_KEYS.map((k) => t[k]), route]);
      }
    }
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Which timelines the CSV holds, in row order (stacks' variants, then a live run's three views). */
export function csvTimelines(doc: ResultDocument): { stack: string; variant: string; timeline: Timeline }[] {
  const out: { stack: string; variant: string; timeline: Timeline }[] = [];
  for (const s of doc.stacks) {
    if (s.throttled.timeline) out.push({ stack: s.name, variant: 'throttled', timeline: s.throttled.timeline });
    if (s.unthrottled.timeline) out.push({ stack: s.name, variant: 'unthrottled', timeline: s.unthrottled.timeline });
  }
  // a live run is against one stack; its measured/server/predicted views belong to it
  const liveStack = doc.stacks.length === 1 ? doc.stacks[0].name : '';
  for (const variant of ['predicted', 'measured', 'server'] as const) {
    const tl = doc[variant];
    if (tl) out.push({ stack: liveStack, variant, timeline: tl });
  }
  return out;
}
