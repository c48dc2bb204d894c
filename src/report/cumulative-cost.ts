/** How a variant's bill accrues over the horizon: the curve of the cumulative-cost chart. */
import type { BillLine, VariantResult } from '../model/result.ts';
import type { Timeline } from '../model/timeline.ts';
import type { Totals } from '../model/totals.ts';

/**
 * What a variant's bill has run up by time t of the horizon. The bill covers the whole horizon and
 * the timeline one pass of the scenario (repeated to fill the horizon), so each bill line is spread
 * over time in proportion to the count that drives it (API requests, invocations, GB-seconds,
 * bytes); monthly fees accrue evenly.
 */
export function cumulativeCost(v: VariantResult, t: number, horizonSeconds: number): number {
  let sum = 0;
  for (const line of v.bill.lines) sum += line.cost * accruedShare(line, v.timeline, t, horizonSeconds);
  return sum;
}

function accruedShare(line: BillLine, tl: Timeline | undefined, t: number, H: number): number {
  if (H <= 0) return 1;
  const key = lineDriver(line);
  const linear = Math.min(1, Math.max(0, t / H));
  if (!key || !tl || tl.durationSeconds <= 0 || tl.durationSeconds > H) return linear;
  const D = tl.durationSeconds;
  const b = tl.bucketSeconds;
  const n = Math.max(...tl.cohorts.map((c) => c.buckets.length), 0);
  const per = new Array<number>(n).fill(0);
  for (const c of tl.cohorts) c.buckets.forEach((x, i) => (per[i] += x[key]));
  const pass = per.reduce((a, x) => a + x, 0);
  if (!(pass > 0)) return linear;
  const within = (x: number) => {
    // share of one pass's driver count reached x seconds into the pass
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const start = i * b;
      if (x >= start + b) acc += per[i];
      else {
        if (x > start) acc += (per[i] * (x - start)) / b;
        break;
      }
    }
    return acc / pass;
  };
  const raw = (x: number) => {
    const done = Math.floor(x / D);
    return done + within(x - done * D);
  };
  // normalised so the curve ends exactly at the bill's total even when the horizon ends mid-pass
  return Math.min(1, Math.max(0, raw(Math.min(t, H)) / raw(H)));
}

function lineDriver(line: BillLine): keyof Totals | undefined {
  const svc = line.service.toLowerCase();
  const unit = line.unit.toLowerCase();
  if (svc.includes('api gateway')) return 'billedApiRequests';
  if (svc.includes('lambda')) return unit.includes('gb') ? 'gbSeconds' : 'invoked';
  if (svc.includes('waf')) return unit.includes('request') ? 'offered' : undefined;
  if (svc.includes('log')) return 'invoked';
  if (svc.includes('transfer')) return 'bytesOut';
  return undefined;
}
