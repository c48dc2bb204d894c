/**
 * When each request is due — pure, no clock, no I/O. An open-model schedule: arrivals follow the
 * scenario's rate profile whatever the target does. Memory is O(cohorts), whatever the run length:
 * arrivals are produced one at a time, in time order across cohorts.
 *
 * Arrival k of a cohort (k = 1, 2, …) is due when the cumulative rate Λ(t) = ∫ rate reaches
 * k − ½ (uniform), or at the jumps of a seeded Poisson process of intensity rate(t) (poisson:
 * Exp(1) steps in Λ-space). Counts over any stretch therefore follow the exact integral the
 * simulator uses, and uniform arrivals round it to the nearest whole request. Random arrivals
 * send uniform's exact count, each window's requests at seeded independent random times in it
 * (a Poisson process held to the scenario's count): no cohort locks into phase with a token
 * bucket's refills — evenly spaced cohorts do, and then one of them gets every token — and, as
 * with any Poisson traffic, every request finds the bucket as it is on average, so cohorts share
 * a throttle in proportion to their rates, as the simulator has it.
 */
import { seededRandom } from '../limits/duration-model.ts';
import type { Segment } from '../scenario/types.ts';
import { arrivalsBetween, constantUntil, profileDuration, rateAt } from '../scenario/profile.ts';
import { repeatedArrivals, trafficPeriod } from '../scenario/repetition.ts';

export type ArrivalProcess = 'uniform' | 'poisson' | 'random';

export interface ScheduleCohort {
  segments: Segment[];
  clients: number;
  /** Seconds between IP rotations (epochs); undefined: one identity per client for the whole run. */
  rotate?: number;
}

export interface ScheduleOptions {
  /** Length of the run in seconds; arrivals are due in [0, durationSeconds). */
  durationSeconds: number;
  arrivals?: ArrivalProcess;
  seed?: number;
  /** Stop after this many arrivals in all (in time order). */
  maxRequests?: number;
  /**
   * The scenario's length: profiles repeat with this period when the run is longer (a scenario
   * "lasts as long as its longest cohort; a longer horizon repeats it"). Default: longest cohort.
   */
  periodSeconds?: number;
}

export interface Arrival {
  /** Seconds after the start of the run. */
  at: number;
  cohort: number;
  /** Which of the cohort's clients sends it (0 … clients−1). */
  client: number;
  /** IP rotation epoch: floor(at / rotate), 0 without rotation. */
  epoch: number;
}

/** Width of a step through a stretch whose rate varies (ramps, diurnal curves). */
const VARYING_STEP = 0.01;

/** One cohort's arrival times, walked window by window over its profile. */
class CohortArrivals {
  private a = 0; // current window [a, b) in run time
  private b = 0;
  private mass = 0; // expected arrivals in the window (exact integral)
  private cum = 0; // Λ at a
  private target: number; // Λ of the next arrival
  private readonly own: number; // the cohort's own profile length
  private done = false;
  private rrClient = 0;
  // random: requests still due in the current window, the Λ-offset of the last one, whether counted
  private left = 0;
  private pos = 0;
  private counted = false;

  constructor(
    private readonly c: ScheduleCohort,
    private readonly duration: number,
    private readonly period: number,
    private readonly rng: (() => number) | undefined,
    private readonly exactCount = false,
  ) {
    this.own = profileDuration(c.segments);
    this.target = rng ? expStep(rng) : 0.5;
    this.openWindow(0);
  }

  /** Due time of the cohort's next arrival, or undefined when the run has none left. */
  nextTime(): number | undefined {
    if (this.done) return undefined;
    if (this.exactCount && this.rng) return this.nextRandom(this.rng);
    while (this.cum + this.mass < this.target) {
      this.cum += this.mass;
      if (this.b >= this.duration) {
        this.done = true;
        return undefined;
      }
      this.openWindow(this.b);
    }
    const t = this.a + ((this.target - this.cum) / this.mass) * (this.b - this.a);
    this.target += this.rng ? expStep(this.rng) : 1;
    return t;
  }

  /** The next of a window's requests: the least of `left` independent uniform times after the last one. */
  private nextRandom(rng: () => number): number | undefined {
    while (this.left === 0) {
      if (this.counted) {
        this.cum += this.mass;
        if (this.b >= this.duration) {
          this.done = true;
          return undefined;
        }
        this.openWindow(this.b);
      }
      this.counted = true;
      // as many as uniform arrivals (due at Λ = k − ½) fall in this window: the same exact count
      this.left = Math.floor(this.cum + this.mass + 0.5) - Math.floor(this.cum + 0.5);
      this.pos = 0;
    }
    this.pos += (this.mass - this.pos) * (1 - Math.pow(1 - rng(), 1 / this.left));
    this.left--;
    return this.a + (this.pos / this.mass) * (this.b - this.a);
  }

  nextClient(): number {
    if (this.c.clients <= 1) return 0;
    if (this.rng && !this.exactCount) return Math.floor(this.rng() * this.c.clients);
    // Round-robin splits the rate evenly, each client exactly rate/clients (DESIGN: clients alike).
    const k = this.rrClient;
    this.rrClient = k + 1 === this.c.clients ? 0 : k + 1;
    return k;
  }

  private openWindow(a: number): void {
    const rep = Math.floor(a / this.period + 1e-12);
    const base = rep * this.period; // also how far this repetition's clock is ahead (diurnal curves go on)
    const u = Math.max(0, a - base); // time inside the profile
    let uEnd: number;
    let mass: number;
    if (u >= this.own) {
      uEnd = this.period; // silent until the scenario repeats
      mass = 0;
    } else {
      const c = constantUntil(this.c.segments, u, base);
      uEnd = c > u ? Math.min(c, this.own) : Math.min(u + VARYING_STEP, this.own);
      if (uEnd <= u) uEnd = Math.min(u + VARYING_STEP, this.period);
      mass = c > u ? rateAt(this.c.segments, u, base) * (uEnd - u) : arrivalsBetween(this.c.segments, u, uEnd, base);
    }
    let b = base + Math.min(uEnd, this.period);
    if (b <= a) b = base + this.period; // float guard: always make progress
    if (b > this.duration) {
      // The last window is cut at the end of the run, its mass with it.
      const cut = this.duration - base;
      mass = u >= this.own ? 0 : arrivalsBetween(this.c.segments, u, Math.min(cut, this.own), base);
      b = this.duration;
    }
    this.a = a;
    this.b = b;
    this.mass = Math.max(0, mass);
  }
}

/**
 * All cohorts' arrivals merged in time order. Iterable once: the dispatcher holds back the one
 * arrival it took that is not yet due, and sleeps until then.
 */
export class ArrivalSchedule implements IterableIterator<Arrival> {
  private readonly streams: CohortArrivals[];
  /** Each cohort's next due time, NaN when it has none left (a Float64Array: no boxed number per arrival). */
  private readonly heads: Float64Array;
  private readonly rotate: (number | undefined)[];
  private emitted = 0;
  private readonly max: number;
  /** The planned length of the run, seconds. */
  readonly durationSeconds: number;

  constructor(cohorts: readonly ScheduleCohort[], opts: ScheduleOptions) {
    const duration = Math.max(0, opts.durationSeconds);
    const period = opts.periodSeconds ?? Math.max(0, ...cohorts.map((c) => profileDuration(c.segments)));
    const safePeriod = period > 0 ? period : Math.max(duration, 1);
    const seeded = opts.arrivals === 'poisson' || opts.arrivals === 'random';
    const seed = opts.seed ?? 1;
    this.streams = cohorts.map(
      (c, i) => new CohortArrivals(c, duration, safePeriod, seeded ? seededRandom(hashSeed(seed, i)) : undefined, opts.arrivals === 'random'),
    );
    this.heads = Float64Array.from(this.streams, (s) => s.nextTime() ?? NaN);
    this.rotate = cohorts.map((c) => (c.rotate && c.rotate > 0 ? c.rotate : undefined));
    this.max = opts.maxRequests ?? Infinity;
    this.durationSeconds = duration;
  }

  /** How many arrivals have been taken so far. */
  get taken(): number {
    return this.emitted;
  }

  /**
   * The stretch [0, covered) of the profile the arrivals taken so far stand for: the planned
   * length, or — when `maxRequests` cut the run short — up to the first arrival left out.
   */
  coveredSeconds(): number {
    if (this.emitted < this.max) return this.durationSeconds;
    let best: number | undefined;
    for (const h of this.heads) if (!Number.isNaN(h) && (best === undefined || h < best)) best = h;
    return best ?? this.durationSeconds;
  }

  next(): IteratorResult<Arrival> {
    const a: Arrival = { at: 0, cohort: 0, client: 0, epoch: 0 };
    return this.nextInto(a) ? { done: false, value: a } : { done: true, value: undefined };
  }

  /** The next arrival written into `out` (no object made: the dispatcher reuses its records); false when none is left. */
  nextInto(out: Arrival): boolean {
    if (this.emitted >= this.max) return false;
    let k = -1;
    for (let i = 0; i < this.heads.length; i++) {
      const h = this.heads[i];
      if (h === h && (k < 0 || h < this.heads[k])) k = i; // h === h: not NaN
    }
    if (k < 0) return false;
    const at = this.heads[k];
    const s = this.streams[k];
    const r = this.rotate[k];
    out.at = at;
    out.cohort = k;
    out.client = s.nextClient();
    out.epoch = r ? Math.floor(at / r) : 0;
    this.heads[k] = s.nextTime() ?? NaN;
    this.emitted++;
    return true;
  }

  [Symbol.iterator](): IterableIterator<Arrival> {
    return this;
  }
}

/** Generator form of the schedule, for callers that only iterate. */
export function* arrivals(cohorts: readonly ScheduleCohort[], opts: ScheduleOptions): Generator<Arrival> {
  const s = new ArrivalSchedule(cohorts, opts);
  for (let r = s.next(); !r.done; r = s.next()) yield r.value;
}

/**
 * The highest one-second arrival count of any stretch of the run (all cohorts together): what the
 * connection pool is sized for. Sampled on at most ~20,000 windows, so long runs stay cheap, over
 * the stretch after which the traffic comes round again (one repetition, or more with diurnal curves).
 */
export function peakRate(cohorts: readonly ScheduleCohort[], durationSeconds: number, periodSeconds?: number): number {
  const period = periodSeconds ?? Math.max(0, ...cohorts.map((c) => profileDuration(c.segments)));
  if (!(period > 0)) return 0;
  const repeats = trafficPeriod(
    cohorts.map((c) => c.segments),
    period,
    durationSeconds,
  );
  const span = Math.min(durationSeconds, repeats ?? durationSeconds);
  if (span <= 0) return 0;
  const step = Math.max(1, span / 20_000);
  let peak = 0;
  for (let t = 0; t < span; t += step) {
    const t1 = Math.min(span, t + step);
    let sum = 0;
    for (const c of cohorts) sum += repeatedArrivals(c.segments, t, t1, period) / (t1 - t);
    if (sum > peak) peak = sum;
  }
  return peak;
}

function expStep(rng: () => number): number {
  return -Math.log(1 - rng());
}

function hashSeed(seed: number, i: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return h;
}

