/**
 * The merge that prices a staging run from both sides: gateway-side outcomes from the client
 * (CloudWatch cannot tell 429s from 403s and under-counts excessive 429s, aws-facts.md),
 * function-side outcomes and duration from CloudWatch; and what the run's document says about it.
 */
import type { CollectOutcome } from '../collect/collect-timeline.ts';
import { getMetricDataLines } from '../cost/cloudwatch-api.ts';
import type { Bill } from '../model/result.ts';
import { cohortTotals, timelineTotals, type CohortTimeline, type Timeline } from '../model/timeline.ts';
import { emptyTotals, type Totals } from '../model/totals.ts';
import type { PriceBook } from '../pricing/types.ts';
import { responseBytesByOutcome } from '../simulate/response-bytes.ts';
import type { Stack } from '../stack/types.ts';

const GATEWAY_SIDE = ['wafBlocked', 'authRejected', 'gatewayThrottled', 'quotaExceeded'] as const;
const FUNCTION_SIDE = ['lambdaThrottled', 'succeeded', 'failed', 'timedOut'] as const;
type FunctionOutcome = (typeof FUNCTION_SIDE)[number];

/** Requests that reached the integration (API Gateway bills them). */
function passed(t: Totals): number {
  return t.lambdaThrottled + t.succeeded + t.failed + t.timedOut;
}

/**
 * The priced timeline of a staging run: the client's cohorts and buckets, with the function-side
 * outcomes (Lambda throttles, successes, errors, timeouts) replaced by CloudWatch's totals —
 * split among cohorts, then among each cohort's seconds, in proportion to what the client saw of
 * the same outcome — and GB-seconds from CloudWatch's Duration. The gateway-side outcomes stay the
 * client's. INIT time is not in the Duration metric: it comes from the simulator's cold starts per
 * invocation, as for a client-only run. Requests stay conserved: offered = the outcomes (+ connection errors).
 */
export function mergeCloudWatch(measured: Timeline, cloudwatch: Timeline, predicted: Timeline, stack: Stack): Timeline {
  const cw = timelineTotals(cloudwatch);
  const client = measured.cohorts.map((c) => cohortTotals(c));
  const perCohort = {} as Record<FunctionOutcome, number[]>;
  for (const o of FUNCTION_SIDE) {
    perCohort[o] = apportion(cw[o], firstWeights([client.map((t) => t[o]), client.map(passed), client.map((t) => t.offered)], client.length));
  }
  const body = responseBytesByOutcome(stack);
  const defaultUnits = stack.api.kind === 'function-url' ? 0 : 1;

  const cohorts = measured.cohorts.map((c, i): CohortTimeline => {
    const ct = client[i];
    const invoked = perCohort.succeeded[i] + perCohort.failed[i] + perCohort.timedOut[i];
    const durationGbSeconds = cw.invoked > 0 ? (cw.gbSeconds * invoked) / cw.invoked : 0;
    const p = predicted.cohorts.find((x) => x.name === c.name);
    const pt = p ? cohortTotals(p) : undefined;
    const initPer = pt && pt.invoked > 0 ? pt.initGbSeconds / pt.invoked : 0;
    const coldPer = pt && pt.invoked > 0 ? pt.coldStarts / pt.invoked : 0;
    // API Gateway units per request (HTTP APIs bill per 512 KB): the cohort's, as the client booked them
    const unitsPer = passed(ct) > 0 ? ct.billedApiRequests / passed(ct) : defaultUnits;

    const source = c.buckets.length > 0 || !FUNCTION_SIDE.some((o) => perCohort[o][i] > 0) ? c.buckets : [emptyTotals()];
    const perBucket = {} as Record<FunctionOutcome, number[]>;
    for (const o of FUNCTION_SIDE) {
      perBucket[o] = apportion(perCohort[o][i], firstWeights([source.map((b) => b[o]), source.map(passed), source.map((b) => b.offered)], source.length));
    }
    const buckets = source.map((b, j) => {
      const t: Totals = { ...b };
      let added = 0;
      let bytes = 0;
      for (const o of FUNCTION_SIDE) {
        const n = perBucket[o][j];
        added += n - b[o];
        bytes += (n - b[o]) * body[o];
        t[o] = n;
      }
      t.invoked = t.succeeded + t.failed + t.timedOut;
      t.offered = b.offered + added;
      t.bytesOut = Math.max(0, b.bytesOut + bytes);
      t.billedApiRequests = passed(t) * unitsPer;
      t.initGbSeconds = t.invoked * initPer;
      t.coldStarts = t.invoked * coldPer;
      t.gbSeconds = (invoked > 0 ? (durationGbSeconds * t.invoked) / invoked : 0) + t.initGbSeconds;
      return t;
    });
    return { ...c, buckets };
  });
  return { ...measured, cohorts };
}

/** The first weight list with anything in it; equal weights when none has. */
function firstWeights(candidates: number[][], n: number): number[] {
  for (const w of candidates) if (w.some((x) => x > 0)) return w;
  return new Array<number>(n).fill(1);
}

/** Splits a whole number in proportion to the weights, in whole numbers that add up to it (largest remainder). */
export function apportion(total: number, weights: number[]): number[] {
  const whole = Math.max(0, Math.round(total));
  const sum = weights.reduce((a, b) => a + Math.max(0, b), 0);
  if (weights.length === 0 || whole === 0 || !(sum > 0)) return weights.map(() => 0);
  const raw = weights.map((w) => (whole * Math.max(0, w)) / sum);
  const out = raw.map(Math.floor);
  let rest = whole - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k].i]++;
  return out;
}

export interface CloudWatchReport {
  /** The priced (throttled) timeline. */
  timeline: Timeline;
  /** For the stack's notes. */
  notes: string[];
  warnings: string[];
  /** The collector's own notes (how metrics became outcomes), for the assumptions. */
  assumptions: string[];
  /** `extras.collection`, as `dowsim collect` reports it: what the collection itself cost. */
  collection: Record<string, unknown>;
}

/** Everything a staging run's document says about its CloudWatch collection, and the merged timeline it prices. */
export function cloudWatchReport(measured: Timeline, predicted: Timeline, collected: CollectOutcome, stack: Stack, book: PriceBook): CloudWatchReport {
  const timeline = mergeCloudWatch(measured, collected.timeline, predicted, stack);
  const m = timelineTotals(measured);
  const s = timelineTotals(collected.timeline);
  const from = iso(collected.window.start);
  const to = iso(collected.window.end);
  const notes = [
    'Of those counts, the gateway-side outcomes (wafBlocked, authRejected, gatewayThrottled, quotaExceeded) are the client\'s — CloudWatch cannot tell 429s from 403s and may not count excessive 429s; ' +
      'invocations (succeeded, failed, timedOut), Lambda throttles and GB-seconds (Duration) come from CloudWatch, ' +
      'split among the cohorts in proportion to the client\'s counts of each outcome (CloudWatch sees no cohorts). ' +
      'Billed INIT time and cold starts per invocation are the simulator\'s (not in CloudWatch\'s Duration).',
  ];
  const warnings = [
    `Server-side counts are CloudWatch's for ${from} – ${to} (period ${collected.period} s): the bill takes invocations, errors, Lambda throttles and duration from CloudWatch, and 429s/403s from the client.`,
  ];
  const clientInvoked = m.invoked;
  if (Math.abs(s.invoked - clientInvoked) > Math.max(5, 0.02 * clientInvoked)) {
    warnings.push(
      `CloudWatch counted ${s.invoked.toLocaleString('en-US')} invocations where the client saw ${clientInvoked.toLocaleString('en-US')} answers from the function: ` +
        (s.invoked < clientInvoked
          ? 'the metrics may not have settled yet (a longer --settle), or the stack\'s deployed names do not match the target (check its `deployed` section).'
          : 'something else invoked the function in that window, or requests without an answer (connection errors) still ran.') +
        ' The bill uses CloudWatch\'s count.',
    );
  }
  const clientRejected = GATEWAY_SIDE.reduce((a, o) => a + m[o], 0);
  if (s.gatewayThrottled !== clientRejected) {
    warnings.push(
      `CloudWatch counted ${s.gatewayThrottled.toLocaleString('en-US')} requests turned away before the function, the client ${clientRejected.toLocaleString('en-US')} (429s and 403s): the bill uses the client's.`,
    );
  }
  const lines = getMetricDataLines(collected.metricsRequested, book);
  const bill: Omit<Bill, 'perHour'> = { currency: 'USD', total: lines.reduce((a, l) => a + l.cost, 0), lines };
  return {
    timeline,
    notes,
    warnings,
    assumptions: collected.notes.map((n) => (n.startsWith('CloudWatch') ? n : `CloudWatch: ${n}`)),
    collection: {
      window: { start: from, end: to },
      periodSeconds: collected.period,
      calls: collected.calls,
      retries: collected.retries,
      metricsRequested: collected.metricsRequested,
      endpoint: collected.endpoint,
      bill,
      observed: collected.observed,
    },
  };
}

function iso(sec: number): string {
  return new Date(sec * 1000).toISOString();
}
