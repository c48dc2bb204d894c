import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import type { Timeline } from '../model/timeline.ts';
import { chooseBucketSeconds } from '../model/timeline.ts';
import { scenarioDuration } from '../scenario/profile.ts';
import { Gateway } from '../limits/gateway.ts';
import type { GatewayLimits } from '../limits/gateway-limits.ts';
import { lambdaModels } from '../limits/lambda.ts';
import { rotationEpoch } from './identities.ts';
import { band } from '../limits/band.ts';
import { withDoubleN } from '../limits/doubles.ts';
import { MAX_STRIDE } from './stride.ts';
import { stridePlanner } from './stride-cache.ts';
import { NF } from './fields.ts';
import { buildLanes, repeatingConstantUntil } from './lanes.ts';
import { foldPeriod } from './fold-period.ts';
import { Accumulator } from './accumulator.ts';
import { Ticker } from './ticker.ts';
import { timelineOf } from './timeline-output.ts';
import { wafTraceFor } from './waf-trace.ts';

export interface SimulateOptions {
  /** Seconds of virtual time to simulate; the scenario repeats to fill it. */
  horizonSeconds: number;
  /** false: the "unthrottled" variant (stage, route and usage-plan limits removed). */
  throttled?: boolean;
  /** Only these cohorts' traffic (the damage figure needs the legit cohorts alone). */
  onlyRole?: 'legit' | 'attack';
  /** Epoch seconds (UTC) of virtual time 0; quotas reset on UTC boundaries. Default 2026-01-05T00:00Z, a Monday. */
  startEpoch?: number;
  tickSeconds?: number;
  bucketSeconds?: number;
  /** false: one-second ticks everywhere (no long steps through gradual stretches). Default true. */
  adaptive?: boolean;
  /** Filled in with how many steps the run took (ticks and strides) and how many were strides. */
  stats?: { steps: number; strides: number };
  /**
   * Filled in with each function's (stackFunctions order) peak concurrency demand: the most
   * environments its pool's answers compared with its limit (ConcurrencyPool.peakDemand).
   */
  peaks?: { concurrency: number[] };
  /**
   * true: a stack's WAF rate rule gives the verdicts of a trace worked out once per scenario and
   * rule (simulate/waf-trace.ts: the rule judges the clients second by second, before any other
   * limit, so no throttle changes them) instead of judging every run's keys again. For callers
   * that simulate one scenario against many stacks (tune).
   */
  wafTrace?: boolean;
}

export const DEFAULT_START_EPOCH = Date.UTC(2026, 0, 5) / 1000;

/**
 * Runs a scenario against a stack in virtual time and answers what each cohort's requests became,
 * per bucket. Ticks are 1 s; stretches where nothing changes (steady floods) are fast-forwarded, and
 * so are whole repetitions of the scenario once the system repeats itself from one to the next.
 */
export function simulate(scenario: Scenario, stack: Stack, opts: SimulateOptions): Timeline {
  const H = opts.horizonSeconds;
  const dt = opts.tickSeconds ?? 1;
  const S = Math.max(dt, scenarioDuration(scenario));
  const F = foldPeriod(scenario, S, H, dt); // the traffic comes round every F (a multiple of S)
  const epoch0 = opts.startEpoch ?? DEFAULT_START_EPOCH;
  const bucketSeconds = opts.bucketSeconds ?? chooseBucketSeconds(H);
  const nb = Math.max(1, Math.ceil(H / bucketSeconds - 1e-9));
  const adaptive = opts.adaptive ?? true;
  const gateway = new Gateway(stack, { throttled: opts.throttled ?? true });
  const lambdas = lambdaModels(stack);

  const { cohorts, lanes: runs } = buildLanes(scenario, stack, opts.onlyRole, nb);
  const sink = new Accumulator(runs, { H, S: F, bucketSeconds, nb });
  const ticker = new Ticker(runs, gateway, lambdas, { epoch0, S, cohorts: cohorts.length });
  const rule = stack.waf?.rateLimit;
  if (opts.wafTrace && rule && gateway.limits.waf) {
    const trace = wafTraceFor({ scenario, lanes: runs, rule, keyOf: (req) => gateway.limits.wafKeyOf(req), epoch0, seconds: H, S });
    if (trace) gateway.limits.useWafTrace(trace);
  }

  let t = 0;
  let prevOut: Float64Array[] | undefined;
  let prevFp: string | undefined;
  // periodic fast-forward bookkeeping: start of the current repetition (folded into `fold`), its snapshot
  let periodSnap: string | undefined;
  let periodQuota: number[] = [];
  // what each quota counted in one repetition, once a repetition was seen to repeat
  let periodDelta: number[] | undefined;
  // long steps through gradual stretches: when the limiters last said no, wait a while before asking again
  const planStride = stridePlanner(
    scenario,
    runs.map((r) => ({ segments: r.cohort.rate, duration: r.duration, share: r.share, cohort: r.cohort })),
  );
  let strideAfter = 0;
  let strideBackoff = 1;
  // what a stride asks the limiters, made once and filled in per attempt (allocations were measurable)
  // n kept as a double: a whole 0 first and a fraction later changed the records' class under
  // optimised stride code (doubles.ts)
  const strideFlows = runs.map((r) => withDoubleN((n) => ({ n, band: band(0, 0), req: r.req })));
  const toLambda = lambdas.map(() => band(0, 0));

  while (t < H - 1e-9) {
    if (F < Infinity && t > 0 && isMultiple(t, F)) {
      const snap = snapshot(t);
      const quotas = gateway.limits.quotaCounters();
      if (sink.folds && periodSnap !== undefined && snap === periodSnap) {
        const deltas = periodDelta ?? quotas.map((q, i) => q.usedInPeriod - (periodQuota[i] ?? 0));
        const j = periodicSkip(t, quotas, deltas);
        if (j > 0) {
          sink.replay(t, j);
          const D = j * F;
          gateway.limits.shift(D, deltas.map((d) => j * d));
          for (const m of lambdas) m.shift(D);
          for (const r of runs) r.lastEpoch = rotationEpoch(r.cohort, t + D - dt);
          t += D;
          prevOut = undefined;
          prevFp = undefined;
          // a skip stops at the next quota reset at the latest: a quota that resets here and never
          // ran out (so it refused nothing in the repetition) starts over, and the repetition goes on
          // being the same; one that ran out looks for the next repeat from scratch
          if (quotas.some((q) => q.usedInPeriod >= q.limit)) periodSnap = undefined;
          periodQuota = quotas.map((q) => {
            q.remaining(epoch0 + t);
            return q.usedInPeriod;
          });
          periodDelta = periodSnap === undefined ? undefined : deltas;
          continue;
        }
      }
      periodSnap = snap;
      periodQuota = quotas.map((q) => q.usedInPeriod);
      periodDelta = undefined;
      sink.startPeriod(t);
    }
    let step = Math.min(dt, H - t);
    if (adaptive && t >= strideAfter) {
      const stride = strideLength(t);
      if (stride > step) {
        step = stride;
        strideBackoff = 1;
      } else {
        strideAfter = t + strideBackoff * dt;
        strideBackoff = Math.min(64, strideBackoff * 2);
      }
    }
    if (opts.stats) {
      opts.stats.steps++;
      if (step > dt) opts.stats.strides++;
    }
    const out = ticker.tick(t, step);
    sink.add(t, step, 1, out);
    t += step;
    // steady: two one-second ticks in a row with the same outputs and the same limiter state
    // (the state is only fingerprinted once the outputs already repeat: strings are not free)
    let fp: string | undefined;
    if (step === dt && prevOut && sameOutputs(out, prevOut)) fp = fingerprint();
    if (fp !== undefined && fp === prevFp) {
      const until = Math.min(H, steadyUntil(t - step), nextPeriod(t));
      const m = Math.floor((until - t) / dt + 1e-9);
      if (m >= 1) {
        sink.add(t, m * dt, m, out);
        gateway.limits.skipTo(epoch0 + t + m * dt);
        for (const l of lambdas) l.skipTo(epoch0 + t + m * dt);
        t += m * dt;
      }
    }
    prevOut = step === dt ? out : undefined;
    prevFp = fp;
  }

  /** A step longer than a tick from t, if every cohort's rate is gradual and no limiter is near an edge; else 0. */
  function strideLength(t: number): number {
    // a rotation at t is the stride's first change: the limiters judge the identities it brings
    ticker.rotate(t);
    const bucketEnd = (Math.floor(t / bucketSeconds + 1e-9) + 1) * bucketSeconds;
    let most = Math.min(MAX_STRIDE, H - t, bucketEnd - t, nextPeriod(t) - t);
    for (const r of runs) if (r.cohort.rotate && r.cohort.rotate > dt) most = Math.min(most, (rotationEpoch(r.cohort, t) + 1) * r.cohort.rotate - t);
    // a traced WAF rule's verdicts are known: a stride ends where one of them turns
    const trace = gateway.limits.wafTrace;
    if (trace) most = Math.min(most, trace.steadyUntil(epoch0 + t) - epoch0 - t);
    if (!(most >= 2 * dt)) return 0;
    const plan = planStride(t, S, most);
    if (!plan) return 0;
    const end = epoch0 + t + plan.length;
    for (let c = 0; c < runs.length; c++) {
      const f = strideFlows[c];
      f.n = plan.n[c];
      f.band.lo = plan.lo[c];
      f.band.hi = plan.hi[c];
    }
    const passed = gateway.strideBands(end, plan.length, strideFlows);
    if (!passed) return 0;
    for (const b of toLambda) b.lo = b.hi = 0;
    for (let c = 0; c < passed.length; c++) {
      const to = toLambda[runs[c].fn];
      to.lo += passed[c].lo;
      to.hi += passed[c].hi;
    }
    for (let f = 0; f < lambdas.length; f++) if (!lambdas[f].coversStride(end, plan.length, toLambda[f])) return 0;
    return plan.length;
  }

  function fingerprint(): string | undefined {
    const g = gateway.limits.fingerprint();
    if (g === undefined) return undefined;
    const parts = [g];
    for (const m of lambdas) {
      const l = m.fingerprint();
      if (l === undefined) return undefined;
      parts.push(l);
    }
    return parts.join('#');
  }

  function snapshot(at: number): string {
    const now = epoch0 + at;
    const phases = runs.map((r) => (r.cohort.rotate && r.cohort.rotate > dt ? ((at % r.cohort.rotate) + r.cohort.rotate) % r.cohort.rotate : 0));
    return `${gateway.limits.snapshot(now)}#${lambdas.map((m) => m.snapshot(now)).join('#')}#${phases.join(',')}`;
  }

  /** How many whole repetitions can be copied from the last one. */
  function periodicSkip(at: number, quotas: ReturnType<GatewayLimits['quotaCounters']>, deltas: number[]): number {
    let j = Math.floor((H - at) / F + 1e-9);
    const now = epoch0 + at;
    quotas.forEach((q, i) => {
      const delta = deltas[i] ?? 0;
      if (delta < 0) j = 0; // it reset during the last repetition: not a repeat
      j = Math.min(j, Math.floor((q.nextReset(now) - now) / F));
      if (delta > 0) j = Math.min(j, Math.floor((q.limit - q.usedInPeriod) / delta) - 1);
    });
    return Math.max(0, j);
  }

  /** End of the stretch from t over which every cohort's rate and identity stay the same. */
  function steadyUntil(t: number): number {
    let until = epochToT(gateway.limits.steadyUntil(epoch0 + t));
    for (const m of lambdas) until = Math.min(until, epochToT(m.steadyUntil()));
    for (const r of runs) {
      until = Math.min(until, repeatingConstantUntil(r, t, S));
      // rotating faster than a tick is the same every tick; slower, each rotation is a change
      if (r.cohort.rotate && r.cohort.rotate > dt) until = Math.min(until, (rotationEpoch(r.cohort, t) + 1) * r.cohort.rotate);
    }
    return until;
  }

  function nextPeriod(t: number): number {
    return (Math.floor(t / S + 1e-9) + 1) * S;
  }

  function epochToT(e: number): number {
    return e - epoch0;
  }

  if (opts.peaks) opts.peaks.concurrency = lambdas.map((m) => m.peakDemand);
  return timelineOf(stack, cohorts, runs, { H, bucketSeconds, nb });
}

function isMultiple(t: number, S: number): boolean {
  const k = Math.round(t / S);
  return Math.abs(t - k * S) < 1e-6;
}

function sameOutputs(a: Float64Array[], b: Float64Array[]): boolean {
  for (let c = 0; c < a.length; c++) {
    const x = a[c];
    const y = b[c];
    for (let f = 0; f < NF; f++) {
      const d = Math.abs(x[f] - y[f]);
      if (d > 1e-9 * Math.max(1, Math.abs(x[f]))) return false;
    }
  }
  return true;
}
