/**
 * Lambda handler durations: a log-normal fitted to p50 and p99 (a fixed duration when they are
 * equal), and what a duration becomes behind API Gateway — success, a function timeout (an error,
 * 502) or an integration timeout (504/503; the function keeps running and billing).
 */
export type InvocationOutcome = 'succeeded' | 'failed' | 'timedOut';

export interface DurationLimits {
  functionTimeout: number; // seconds: the function is stopped (and errors) here
  integrationTimeout: number; // seconds: API Gateway answers 504/503 here
  errorRate: number; // share of completed invocations where the handler fails
}

export interface FluidInvocations {
  succeeded: number; // shares of 1
  failed: number;
  timedOut: number;
  billedSeconds: number; // mean billed duration per invocation (per-ms rounding included)
  busySeconds: number; // mean time an invocation holds its environment
}

const Z99 = 2.3263478740408408;

const FLUID_MEMO = new Map<string, FluidInvocations>();
const FLUID_MEMO_SIZE = 256;

export class DurationModel {
  readonly p50: number;
  readonly p99: number;
  private readonly mu: number;
  private readonly sigma: number;

  constructor(opts: { p50: number; p99: number }) {
    this.p50 = opts.p50;
    this.p99 = Math.max(opts.p50, opts.p99);
    this.mu = Math.log(Math.max(this.p50, 1e-6));
    this.sigma = this.p99 > this.p50 ? (Math.log(this.p99) - Math.log(this.p50)) / Z99 : 0;
  }

  /** Duration (seconds) at quantile u in (0, 1). */
  quantile(u: number): number {
    if (this.sigma === 0) return this.p50;
    return Math.exp(this.mu + this.sigma * inverseNormal(u));
  }

  /** A random duration; `rng` returns uniforms in [0, 1). */
  sample(rng: () => number): number {
    const u = Math.min(1 - 1e-12, Math.max(1e-12, rng()));
    return this.quantile(u);
  }

  /** What one invocation of `duration` seconds becomes, and how long it is billed (per 1 ms). */
  static outcome(duration: number, limits: DurationLimits, errored = false): { outcome: InvocationOutcome; billedSeconds: number; busySeconds: number } {
    const runs = Math.min(duration, limits.functionTimeout);
    const billedSeconds = billedPerMs(runs);
    if (runs > limits.integrationTimeout) return { outcome: 'timedOut', billedSeconds, busySeconds: runs };
    if (duration > limits.functionTimeout) return { outcome: 'failed', billedSeconds, busySeconds: runs };
    return { outcome: errored ? 'failed' : 'succeeded', billedSeconds, busySeconds: runs };
  }

  /**
   * The same as `outcome`, as expected shares over the whole distribution (for the simulator).
   * Remembered per distribution and limits: `tune` builds thousands of alike stacks, and 2,000
   * quantiles of a log-normal are not free.
   */
  fluid(limits: DurationLimits, points = 2000): FluidInvocations {
    const key = `${this.p50}|${this.p99}|${limits.functionTimeout}|${limits.integrationTimeout}|${limits.errorRate}|${points}`;
    const seen = FLUID_MEMO.get(key);
    if (seen) return { ...seen };
    const out = this.fluidShares(limits, points);
    if (FLUID_MEMO.size >= FLUID_MEMO_SIZE) FLUID_MEMO.clear();
    FLUID_MEMO.set(key, out);
    return { ...out };
  }

  private fluidShares(limits: DurationLimits, points: number): FluidInvocations {
    const out: FluidInvocations = { succeeded: 0, failed: 0, timedOut: 0, billedSeconds: 0, busySeconds: 0 };
    const n = this.sigma === 0 ? 1 : points;
    for (let i = 0; i < n; i++) {
      const d = this.quantile((i + 0.5) / n);
      const o = DurationModel.outcome(d, limits);
      if (o.outcome === 'succeeded') {
        out.succeeded += (1 - limits.errorRate) / n;
        out.failed += limits.errorRate / n;
      } else {
        out[o.outcome] += 1 / n;
      }
      out.billedSeconds += o.billedSeconds / n;
      out.busySeconds += o.busySeconds / n;
    }
    return out;
  }
}

/** Lambda bills duration rounded up to the next millisecond. */
export function billedPerMs(seconds: number): number {
  return Math.ceil(seconds * 1000 - 1e-9) / 1000;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** A small seeded PRNG (mulberry32): reproducible runs from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
