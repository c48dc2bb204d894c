import type { Stack } from '../stack/types.ts';
import type { LatencySummary, Timeline } from '../model/timeline.ts';
import { emptyTotals, type Totals } from '../model/totals.ts';
import { OUTCOMES } from '../model/outcomes.ts';
import { responseBytesByOutcome } from '../simulate/response-bytes.ts';
import { queryId, type MetricRole } from './metric-queries.ts';
import type { SeriesById } from './get-metric-data.ts';

/** CloudWatch sees no cohorts: everything the API served lands in this one. */
export const COLLECTED_COHORT = 'all traffic';

export interface MappedTimeline {
  timeline: Timeline;
  notes: string[];
  /** Window-wide figures that have no place in Totals but belong in the report. */
  observed: {
    apiCount?: number;
    api4xx?: number;
    api5xx?: number;
    peakConcurrency?: number;
    meanIntegrationLatencyMs?: number;
  };
}

/*
 * How CloudWatch metrics become outcomes — every decision here is repeated in the result's notes:
 *
 * - invoked = Lambda `Invocations` (AWS: "equals the number of requests billed").
 * - failed = Lambda `Errors` (capped at Invocations). Function timeouts are Errors too, so a
 *   function that ran into its own timeout counts as failed, not timedOut.
 * - timedOut (REST/HTTP only) = the gateway's 5XX that Lambda throttles and errors do not explain
 *   (5XX − Throttles − Errors, at least 0, at most the remaining invocations). Those are the
 *   integration timeouts (504/503) — and, indistinguishably, handler responses with a 5xx status.
 *   They are taken out of succeeded: the function ran (and billed) either way.
 * - succeeded = Invocations − failed − timedOut.
 * - lambdaThrottled = Lambda `Throttles` (each one a 500 behind API Gateway, a 429 on a URL).
 * - gatewayThrottled = requests API Gateway counted but never sent to the function:
 *   Count − Invocations − Throttles (at least 0). CloudWatch has no throttle metric: these
 *   are 4XX answers, and 429 (rate limit), 429 (quota), 403 (API key / authorizer) and 403
 *   (unknown route) cannot be told apart, so all of them go to gatewayThrottled. AWS also warns
 *   it "might not generate logs and metrics" for excessive 429s: a lower bound.
 *   The 4XX metric itself is not used for counting because it also holds the handler's own 4xx
 *   responses, which were invoked and billed.
 * - wafBlocked, authRejected, quotaExceeded = 0 (not separable, see above; WAF's own metrics
 *   live in AWS/WAFV2 and are not collected).
 * - offered = the sum of the outcomes, so the timeline conserves requests; API Gateway's Count
 *   is compared with it in the notes.
 * - gbSeconds = Σ Duration (ms) / 1000 × memory GB. Lambda bills each invocation rounded up to
 *   the next 1 ms and, since 2025-08-01, bills INIT too; the Duration metric has neither, so
 *   this is a slight under-estimate. coldStarts and initGbSeconds stay 0 (INIT is only in logs).
 * - billedApiRequests = Invocations + Throttles (what reached the integration). HTTP APIs meter
 *   per 512 KB; request sizes are not in CloudWatch, so each request counts once.
 * - bytesOut = each outcome × the body the simulator and emulator send for it (the stack's
 *   responseBytes for a success): there is no response-size metric for REST APIs.
 * - function URLs have no API Gateway metrics: offered = Invocations + Throttles.
 */
/**
 * The outcomes CloudWatch cannot tell from a throttle (see above): a timeline it gives holds them
 * all in gatewayThrottled, and these at 0, which is no count of them.
 */
export const CLOUDWATCH_BLIND = ['wafBlocked', 'authRejected', 'quotaExceeded'] as const;

export function metricsToTimeline(
  stack: Stack,
  series: SeriesById,
  window: { start: number; end: number; period: number },
): MappedTimeline {
  const { start, end, period } = window;
  const n = Math.max(1, Math.ceil((end - start) / period));
  const get = (role: MetricRole): number[] => {
    const out = new Array<number>(n).fill(0);
    const s = series.get(queryId(role));
    if (!s) return out;
    for (const [t, v] of s) {
      const i = Math.floor((t - start) / period);
      if (i >= 0 && i < n && Number.isFinite(v)) out[i] += v;
    }
    return out;
  };
  const has = (role: MetricRole) => (series.get(queryId(role))?.size ?? 0) > 0;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  const hasApi = stack.api.kind !== 'function-url';
  const invocations = get('lambda.invocations');
  const errors = get('lambda.errors');
  const throttles = get('lambda.throttles');
  const durationSum = get('lambda.durationSum');
  const count = get('api.count');
  // HTTP APIs: whichever spelling carries data (never both at once in one account, but be safe)
  const x5 = stack.api.kind === 'http' ? maxEach(get('api.5xx'), get('api.5XXError')) : get('api.5XXError');
  const x4 = stack.api.kind === 'http' ? maxEach(get('api.4xx'), get('api.4XXError')) : get('api.4XXError');
  const memoryGb = stack.lambda.memoryMb / 1024;
  const bodyBytes = responseBytesByOutcome(stack);

  const buckets: Totals[] = [];
  for (let i = 0; i < n; i++) {
    const t = emptyTotals();
    const inv = Math.round(invocations[i]);
    const thr = Math.round(throttles[i]);
    t.failed = Math.min(Math.round(errors[i]), inv);
    t.timedOut = hasApi ? clamp(Math.round(x5[i]) - thr - t.failed, 0, inv - t.failed) : 0;
    t.succeeded = inv - t.failed - t.timedOut;
    t.lambdaThrottled = thr;
    t.gatewayThrottled = hasApi ? Math.max(0, Math.round(count[i]) - inv - thr) : 0;
    t.invoked = inv;
    t.offered = t.succeeded + t.failed + t.timedOut + t.lambdaThrottled + t.gatewayThrottled;
    t.gbSeconds = (durationSum[i] / 1000) * memoryGb;
    t.billedApiRequests = hasApi ? inv + thr : 0;
    for (const o of OUTCOMES) t.bytesOut += t[o] * bodyBytes[o];
    buckets.push(t);
  }

  const notes: string[] = [
    'CloudWatch sees no cohorts: all traffic is one cohort ("' + COLLECTED_COHORT + '").',
    'invoked = Lambda Invocations; failed = Lambda Errors, which include function timeouts.',
    'gbSeconds = Sum of Lambda Duration × memory: per-invocation rounding up to 1 ms and billed INIT time are not in the metric (a slight under-estimate); cold starts are not counted.',
  ];
  if (hasApi) {
    notes.push(
      'gatewayThrottled = API Gateway Count − Invocations − Throttles: every request rejected before the function (429 throttle or quota, 403 key/authorizer/unknown route) — CloudWatch cannot tell them apart, and AWS may not count excessive 429s at all, so count 429s client-side for an exact figure.',
      'timedOut = API Gateway 5XX not explained by Lambda Throttles and Errors (integration timeouts, or handler responses with a 5xx status).',
    );
    if (stack.api.kind === 'http') notes.push('HTTP API billing per 512 KB is not visible in CloudWatch: each request counts as one billed unit.');
  } else {
    notes.push('function URLs publish no API Gateway metrics: offered = Invocations + Throttles.');
  }
  notes.push(`bytesOut is estimated from the outcomes: the stack's responseBytes (${stack.responseBytes} B) per success, API Gateway's short error bodies otherwise.`);

  const totalInv = sum(invocations);
  const totalThr = sum(throttles);
  const observed: MappedTimeline['observed'] = {};
  if (hasApi) {
    observed.apiCount = sum(count);
    observed.api4xx = sum(x4);
    observed.api5xx = sum(x5);
    const rejected = Math.max(0, observed.apiCount - totalInv - totalThr);
    if (observed.apiCount === 0 && totalInv + totalThr > 0) {
      const api = stack.api.kind === 'rest' ? `ApiName ${stack.deployed.apiName}` : `ApiId ${stack.deployed.apiId}`;
      notes.push(`API Gateway reported no requests for ${api}, Stage ${stack.deployed.stage} while the function ran ${totalInv} times: check deployed.${stack.api.kind === 'rest' ? 'apiName' : 'apiId'} and deployed.stage in the stack file.`);
    } else if (observed.apiCount < totalInv + totalThr) {
      notes.push(`API Gateway counted ${observed.apiCount} requests but the function saw ${totalInv + totalThr} (invocations + throttles): something else invokes it too, or the metrics have not settled yet.`);
    }
    if (rejected > observed.api4xx) {
      notes.push(`${rejected - observed.api4xx} requests never reached the function but were not 4XX either (gateway-side 5XX?); they are counted as gatewayThrottled.`);
    }
    const integ = series.get(queryId('api.integrationLatencyAvg'));
    if (integ && integ.size) observed.meanIntegrationLatencyMs = [...integ.values()].reduce((a, b) => a + b, 0) / integ.size;
  }
  if (totalInv === 0 && totalThr === 0 && !has('api.count')) {
    notes.push(`No data for function ${stack.deployed.functionName} in this window: check deployed.functionName, the Region and the window.`);
  }
  const peak = series.get(queryId('lambda.concurrencyMax'));
  if (peak && peak.size) {
    // a loop: a long window's points spread into Math.max overflow the call stack (~125,000)
    let top = -Infinity;
    for (const v of peak.values()) if (v > top) top = v;
    observed.peakConcurrency = top;
    notes.push(`Peak ConcurrentExecutions: ${observed.peakConcurrency}.`);
  }

  const latency = hasApi
    ? latencySummary(series, start, period, n, 'api.latencySum', 'api.latencyCount', 'api.latencyMax', ['api.latencyP50', 'api.latencyP90', 'api.latencyP99'])
    : latencySummary(series, start, period, n, 'lambda.durationSum', 'lambda.durationCount', 'lambda.durationMax', ['lambda.durationP50', 'lambda.durationP90', 'lambda.durationP99']);
  if (latency) notes.push('latency p50/p90/p99 over the window are the sample-weighted means of per-period percentiles (CloudWatch cannot merge percentiles across periods); mean and max are exact.');

  const timeline: Timeline = {
    source: 'cloudwatch',
    startTime: new Date(start * 1000).toISOString(),
    durationSeconds: end - start,
    bucketSeconds: period,
    cohorts: [{ name: COLLECTED_COHORT, role: 'legit', buckets, ...(latency ? { latency } : {}) }],
  };
  return { timeline, notes, observed };
}

function latencySummary(
  series: SeriesById,
  start: number,
  period: number,
  n: number,
  sumRole: MetricRole,
  countRole: MetricRole,
  maxRole: MetricRole,
  pRoles: [MetricRole, MetricRole, MetricRole],
): LatencySummary | undefined {
  const at = (role: MetricRole) => {
    const arr = new Array<number | undefined>(n).fill(undefined);
    for (const [t, v] of series.get(queryId(role)) ?? []) {
      const i = Math.floor((t - start) / period);
      if (i >= 0 && i < n && Number.isFinite(v)) arr[i] = v;
    }
    return arr;
  };
  const sums = at(sumRole);
  const counts = at(countRole);
  const maxes = at(maxRole);
  const ps = pRoles.map(at);
  let count = 0;
  let total = 0;
  let max = 0;
  const weighted = [0, 0, 0];
  const weights = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const c = counts[i] ?? 0;
    if (c <= 0) continue;
    count += c;
    total += sums[i] ?? 0;
    max = Math.max(max, maxes[i] ?? 0);
    ps.forEach((p, k) => {
      if (p[i] !== undefined) {
        weighted[k] += (p[i] as number) * c;
        weights[k] += c;
      }
    });
  }
  if (count === 0) return undefined;
  const mean = total / count;
  const pct = (k: number) => (weights[k] > 0 ? weighted[k] / weights[k] : mean);
  return { count: Math.round(count), mean, p50: pct(0), p90: pct(1), p99: pct(2), max };
}

function maxEach(a: number[], b: number[]): number[] {
  return a.map((x, i) => Math.max(x, b[i] ?? 0));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}
