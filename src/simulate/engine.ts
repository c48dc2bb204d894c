import type { Scenario, Cohort } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import type { Timeline } from '../model/timeline.ts';
import { chooseBucketSeconds } from '../model/timeline.ts';
import { OUTCOMES } from '../model/outcomes.ts';
import { emptyTotals, sumTotals } from '../model/totals.ts';
import { arrivalsBetween, constantUntil, profileDuration, scenarioDuration } from '../scenario/profile.ts';
import { Gateway, type AdmitRequest } from '../limits/gateway.ts';
import type { GatewayLimits } from '../limits/gateway-limits.ts';
import { lambdaModels } from '../limits/lambda.ts';
import { addTotals } from '../model/totals.ts';
import type { Totals } from '../model/totals.ts';
import { functionIndexOfRoute } from '../stack/functions.ts';
import { billableUnits } from '../cost/api-gateway.ts';
import { matchRoute } from '../stack/routes.ts';
import { representativeClient, representativeKey, rotationEpoch } from './identities.ts';
import { CountRounder } from './rounding.ts';
import { MAX_STRIDE, planStride } from './stride.ts';
import { responseBytesByOutcome } from './response-bytes.ts';

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
}

/** Largest folded period the periodic fast-forward keeps (values): beyond it, periods are simulated through. */
const MAX_FOLD = 4_000_000;

export const DEFAULT_START_EPOCH = Date.UTC(2026, 0, 5) / 1000;

/** The fields the engine accumulates per tick per cohort (fluid counts). */
const FIELDS = ['offered', ...OUTCOMES, 'coldStarts', 'gbSeconds', 'initGbSeconds'] as const;
type Field = (typeof FIELDS)[number];
const NF = FIELDS.length;
const IDX = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;

/**
 * One lane: what one cohort sends to one request of its mix (a share weight / Σ weights of the
 * cohort's arrivals), through one route to one function. A cohort without a mix is one lane.
 */
interface Lane {
  cohort: Cohort;
  cohortIndex: number;
  share: number;
  bodyBytes: number;
  req: AdmitRequest;
  /** The route that serves it, or "METHOD /path (no route)". */
  routeKey: string;
  routed: boolean;
  fn: number; // index into the stack's functions
  lastEpoch: number;
  duration: number;
  buckets: Float64Array; // nb × NF fluid counts
}

/** A piece of the output: `out` per tick, repeated over [start, start + length). */
interface Piece {
  start: number;
  length: number;
  ticks: number;
  out: Float64Array[]; // per lane, NF values for one tick
}

/**
 * Runs a scenario against a stack in virtual time and answers what each cohort's requests became,
 * per bucket. Ticks are 1 s; stretches where nothing changes (steady floods) are fast-forwarded, and
 * so are whole repetitions of the scenario once the system repeats itself from one to the next.
 */
export function simulate(scenario: Scenario, stack: Stack, opts: SimulateOptions): Timeline {
  const H = opts.horizonSeconds;
  const dt = opts.tickSeconds ?? 1;
  const S = Math.max(dt, scenarioDuration(scenario));
  const epoch0 = opts.startEpoch ?? DEFAULT_START_EPOCH;
  const bucketSeconds = opts.bucketSeconds ?? chooseBucketSeconds(H);
  const nb = Math.max(1, Math.ceil(H / bucketSeconds - 1e-9));
  const adaptive = opts.adaptive ?? true;
  const gateway = new Gateway(stack, { throttled: opts.throttled ?? true });
  const lambdas = lambdaModels(stack);

  const cohorts = scenario.cohorts.filter((c) => !opts.onlyRole || c.role === opts.onlyRole);
  const runs: Lane[] = [];
  scenario.cohorts.forEach((cohort, i) => {
    if (opts.onlyRole && cohort.role !== opts.onlyRole) return;
    const weights = cohort.requests.reduce((sum, r) => sum + r.weight, 0);
    for (const r of cohort.requests) {
      const route = matchRoute(stack, r.method, r.path);
      runs.push({
        cohort,
        cohortIndex: cohorts.indexOf(cohort),
        share: r.weight / weights,
        bodyBytes: r.bodyBytes,
        req: { method: r.method, path: r.path, apiKey: representativeKey(cohort, i), client: representativeClient(cohort), clients: cohort.clients },
        routeKey: route ? route.key : `${r.method} ${r.path} (no route)`,
        routed: route !== undefined,
        fn: functionIndexOfRoute(stack, route?.key),
        lastEpoch: 0,
        duration: profileDuration(cohort.rate),
        buckets: new Float64Array(nb * NF),
      });
    }
  });

  const addPiece = (p: Piece, times = 1, offset = 0) => {
    for (let rep = 0; rep < times; rep++) {
      const start = p.start + offset + rep * S;
      addSpan(start, p.length, p.ticks, p.out);
    }
  };
  const addSpan = (start: number, length: number, ticks: number, out: Float64Array[]) => {
    // spread `ticks` ticks' worth of output evenly over [start, start + length)
    let s = start;
    const end = Math.min(H, start + length);
    while (s < end - 1e-9) {
      const b = Math.min(nb - 1, Math.floor(s / bucketSeconds + 1e-9));
      const bEnd = Math.min(end, (b + 1) * bucketSeconds);
      const share = (ticks * (bEnd - s)) / length;
      for (let c = 0; c < runs.length; c++) {
        const dst = runs[c].buckets;
        const src = out[c];
        const base = b * NF;
        for (let f = 0; f < NF; f++) dst[base + f] += src[f] * share;
      }
      s = bEnd;
    }
  };

  // One repetition of the scenario, folded as it is simulated into slots that each fall inside one
  // output bucket: memory bounded by the period's shape, not by how many steps it took. Periods
  // too finely cut to fold are simply simulated through.
  const slotSeconds = gcd(S, bucketSeconds);
  const slots = slotSeconds >= 1 ? Math.round(S / slotSeconds) : Infinity;
  const fold = slots * runs.length * NF <= MAX_FOLD ? new Float64Array(slots * runs.length * NF) : undefined;
  const foldPiece = (p: Piece, start: number) => {
    if (!fold) return;
    const r = slotSeconds;
    let s0 = p.start - start;
    const end = s0 + p.length;
    while (s0 < end - 1e-9) {
      const k = Math.min(slots - 1, Math.floor(s0 / r + 1e-9));
      const kEnd = Math.min(end, (k + 1) * r);
      const share = (p.ticks * (kEnd - s0)) / p.length;
      for (let c = 0; c < runs.length; c++) {
        const base = (k * runs.length + c) * NF;
        const src = p.out[c];
        for (let f = 0; f < NF; f++) fold[base + f] += src[f] * share;
      }
      s0 = kEnd;
    }
  };

  /** Adds j more repetitions of the folded period, from `at` on. */
  const replayPeriod = (fold: Float64Array, at: number, j: number) => {
    const r = slotSeconds;
    for (let rep = 0; rep < j; rep++) {
      for (let k = 0; k < slots; k++) {
        const at0 = at + rep * S + k * r;
        if (at0 >= H - 1e-9) break;
        const b = Math.min(nb - 1, Math.floor(at0 / bucketSeconds + 1e-9));
        for (let c = 0; c < runs.length; c++) {
          const dst = runs[c].buckets;
          const base = (k * runs.length + c) * NF;
          for (let f = 0; f < NF; f++) dst[b * NF + f] += fold[base + f];
        }
      }
    }
  };

  const tick = (t: number, step: number): Float64Array[] => {
    const now = epoch0 + t + step;
    // a cohort's arrivals are split among its mix exactly by weight
    const arrivals = cohorts.map(() => NaN);
    const flows = runs.map((r) => {
      const e = rotationEpoch(r.cohort, t);
      if (e !== r.lastEpoch) {
        gateway.limits.forgetClient(r.req.client);
        r.lastEpoch = e;
      }
      if (Number.isNaN(arrivals[r.cohortIndex])) arrivals[r.cohortIndex] = repeatingArrivals(r, t, t + step, S);
      return { n: arrivals[r.cohortIndex] * r.share, req: r.req };
    });
    const adm = gateway.admitBatch(now, step, flows);
    const passedByFn = new Float64Array(lambdas.length);
    adm.forEach((a, c) => (passedByFn[runs[c].fn] += a.passed));
    const lams = lambdas.map((m, f) => m.invokeFluid(now, passedByFn[f], step));
    return runs.map((r, c) => {
      const a = adm[c];
      const passed = passedByFn[r.fn];
      const lam = lams[r.fn];
      const share = passed > 0 ? a.passed / passed : 0;
      const o = new Float64Array(NF);
      o[IDX.offered] = flows[c].n;
      o[IDX.wafBlocked] = a.wafBlocked;
      o[IDX.authRejected] = a.authRejected;
      o[IDX.gatewayThrottled] = a.gatewayThrottled;
      o[IDX.quotaExceeded] = a.quotaExceeded;
      o[IDX.lambdaThrottled] = lam.lambdaThrottled * share;
      o[IDX.succeeded] = lam.succeeded * share;
      o[IDX.failed] = lam.failed * share;
      o[IDX.timedOut] = lam.timedOut * share;
      o[IDX.coldStarts] = lam.coldStarts * share;
      o[IDX.gbSeconds] = lam.gbSeconds * share;
      o[IDX.initGbSeconds] = lam.initGbSeconds * share;
      return o;
    });
  };

  let t = 0;
  let prevOut: Float64Array[] | undefined;
  let prevFp: string | undefined;
  // periodic fast-forward bookkeeping: start of the current repetition (folded into `fold`), its snapshot
  let periodStart = 0;
  let periodSnap: string | undefined;
  let periodQuota: number[] = [];
  // long steps through gradual stretches: when the limiters last said no, wait a while before asking again
  const strideLanes = runs.map((r) => ({ segments: r.cohort.rate, duration: r.duration, share: r.share }));
  let strideAfter = 0;
  let strideBackoff = 1;

  while (t < H - 1e-9) {
    if (S > dt && t > 0 && isMultiple(t, S)) {
      const snap = snapshot(t);
      const quotas = gateway.limits.quotaCounters();
      if (fold && periodSnap !== undefined && snap === periodSnap) {
        const j = periodicSkip(t, quotas);
        if (j > 0) {
          replayPeriod(fold, t, j);
          const D = j * S;
          gateway.limits.shift(D, quotas.map((q, i) => j * (q.usedInPeriod - (periodQuota[i] ?? 0))));
          for (const m of lambdas) m.shift(D);
          for (const r of runs) r.lastEpoch = rotationEpoch(r.cohort, t + D - dt);
          t += D;
          prevOut = undefined;
          prevFp = undefined;
          // look for the next repeat from scratch (a quota reset may have cut this one short)
          periodSnap = undefined;
          continue;
        }
      }
      periodSnap = snap;
      periodQuota = quotas.map((q) => q.usedInPeriod);
      fold?.fill(0);
      periodStart = t;
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
    const out = tick(t, step);
    const piece: Piece = { start: t, length: step, ticks: 1, out };
    addPiece(piece);
    foldPiece(piece, periodStart);
    t += step;
    // steady: two one-second ticks in a row with the same outputs and the same limiter state
    // (the state is only fingerprinted once the outputs already repeat: strings are not free)
    let fp: string | undefined;
    if (step === dt && prevOut && sameOutputs(out, prevOut)) fp = fingerprint();
    if (fp !== undefined && fp === prevFp) {
      const until = Math.min(H, steadyUntil(t - step), nextPeriod(t));
      const m = Math.floor((until - t) / dt + 1e-9);
      if (m >= 1) {
        const skip: Piece = { start: t, length: m * dt, ticks: m, out };
        addPiece(skip);
        foldPiece(skip, periodStart);
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
    const bucketEnd = (Math.floor(t / bucketSeconds + 1e-9) + 1) * bucketSeconds;
    let most = Math.min(MAX_STRIDE, H - t, bucketEnd - t, nextPeriod(t) - t);
    for (const r of runs) if (r.cohort.rotate && r.cohort.rotate > dt) most = Math.min(most, (rotationEpoch(r.cohort, t) + 1) * r.cohort.rotate - t);
    if (!(most >= 2 * dt)) return 0;
    const plan = planStride(strideLanes, t, S, most);
    if (!plan) return 0;
    const end = epoch0 + t + plan.length;
    const flows = runs.map((r, c) => ({ n: plan.n[c], band: { lo: plan.lo[c], hi: plan.hi[c] }, req: r.req }));
    const passed = gateway.strideBands(end, plan.length, flows);
    if (!passed) return 0;
    const toLambda = lambdas.map(() => ({ lo: 0, hi: 0 }));
    passed.forEach((b, c) => {
      toLambda[runs[c].fn].lo += b.lo;
      toLambda[runs[c].fn].hi += b.hi;
    });
    return lambdas.every((m, f) => m.coversStride(end, plan.length, toLambda[f])) ? plan.length : 0;
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
  function periodicSkip(at: number, quotas: ReturnType<GatewayLimits['quotaCounters']>): number {
    let j = Math.floor((H - at) / S + 1e-9);
    const now = epoch0 + at;
    quotas.forEach((q, i) => {
      const delta = q.usedInPeriod - (periodQuota[i] ?? 0);
      if (delta < 0) j = 0; // it reset during the last repetition: not a repeat
      j = Math.min(j, Math.floor((q.nextReset(now) - now) / S));
      if (delta > 0) j = Math.min(j, Math.floor((q.limit - q.usedInPeriod) / delta) - 1);
    });
    return Math.max(0, j);
  }

  /** End of the stretch from t over which every cohort's rate and identity stay the same. */
  function steadyUntil(t: number): number {
    let until = epochToT(gateway.limits.steadyUntil(epoch0 + t));
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

  const rounded = runs.map((r) => {
    const rounder = new CountRounder(
      billableUnits(stack.api.kind, r.bodyBytes, stack.responseBytes),
      responseBytesByOutcome(stack, { unknownRoute: !r.routed }),
    );
    return Array.from({ length: nb }, (_, b) => {
      const fluid = emptyTotals();
      for (let f = 0; f < NF; f++) (fluid as unknown as Record<string, number>)[FIELDS[f]] = r.buckets[b * NF + f];
      return rounder.round(fluid);
    });
  });
  return {
    source: 'simulated',
    durationSeconds: H,
    bucketSeconds,
    cohorts: cohorts.map((cohort, ci) => {
      const lanes = rounded.filter((_, l) => runs[l].cohortIndex === ci);
      const buckets = lanes.length === 1 ? lanes[0] : Array.from({ length: nb }, (_, b) => sumTotals(lanes.map((l) => l[b])));
      return { name: cohort.name, role: cohort.role, buckets };
    }),
    routes: routeTotals(runs, rounded),
  };
}

/** Whole-run totals per route key, summed over the lanes that went through it. */
function routeTotals(lanes: Lane[], rounded: Totals[][]): Record<string, Totals> {
  const routes: Record<string, Totals> = {};
  lanes.forEach((lane, l) => {
    const t = (routes[lane.routeKey] ??= emptyTotals());
    for (const b of rounded[l]) addTotals(t, b);
  });
  return routes;
}



function repeatingArrivals(r: Lane, a: number, b: number, S: number): number {
  let total = 0;
  let s = a;
  while (s < b - 1e-12) {
    const k = Math.floor(s / S + 1e-9);
    const local = s - k * S;
    const e = Math.min(b, (k + 1) * S);
    const lb = local + (e - s);
    if (local < r.duration) total += arrivalsBetween(r.cohort.rate, local, Math.min(lb, r.duration));
    s = e;
  }
  return total;
}

function repeatingConstantUntil(r: Lane, t: number, S: number): number {
  const k = Math.floor(t / S + 1e-9);
  const local = t - k * S;
  const periodEnd = (k + 1) * S;
  if (local >= r.duration - 1e-9) return periodEnd; // silent until the scenario starts over
  const cu = constantUntil(r.cohort.rate, local);
  if (cu <= local) return t;
  return Math.min(periodEnd, t + (cu - local));
}

/** Greatest common divisor of two durations in whole seconds (0 when either is not whole). */
function gcd(a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return 0;
  while (b) [a, b] = [b, a % b];
  return a;
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
