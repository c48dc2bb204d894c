import type { FastForward } from './types.ts';
import { TokenBucket } from './token-bucket.ts';
import { doubleArray, objectArray } from './doubles.ts';

export interface ScalingRate {
  environments: number; // new execution environments a function may add …
  perSeconds: number; // … per this many seconds, refilled continuously
}

/**
 * The account's unreserved concurrency, drawn on by every function without reserved concurrency
 * (AWS: reserved concurrency is carved out of the account; the others share the rest).
 */
export class ConcurrencyShare {
  /** Environments busy in all pools of the share (discrete mode). */
  busy = 0;
  readonly pools: ConcurrencyPool[] = [];
  constructor(readonly limit: number) {}

  /** Fluid: what the other pools of the share held in their latest tick. */
  usedByOthers(pool: ConcurrencyPool): number {
    let used = 0;
    for (const p of this.pools) if (p !== pool) used += p.fluidUsed;
    return used;
  }
}

/**
 * Lambda's execution environments for one function: at most `limit` busy at once (reserved or
 * account concurrency), new environments only as fast as the scaling rate allows (1,000 per 10 s,
 * refilled continuously), an environment idle for `idleTimeout` is reclaimed, and every new
 * environment is a cold start. Discrete calls serve the emulator, fluid calls the simulator.
 */
export class ConcurrencyPool implements FastForward {
  readonly limit: number;
  readonly idleTimeout: number;
  private readonly scaling: TokenBucket;

  // discrete state: busy count, idle environments as a stack of last-used times (oldest first)
  private busy = 0;
  private idle: number[] = [];
  private idleHead = 0;

  // fluid state: environments in use per whole second, a sliding-window maximum over idleTimeout,
  // and the new environments still in INIT
  private readonly window = new SlidingMax();
  private pending: { readyAt: number; count: number }[] = objectArray(inInit(0, 0));
  /** Fluid: environments this pool held in its latest tick (what a share's other pools see). */
  fluidUsed = 0;
  /**
   * Fluid: the most environments any of this pool's answers so far compared with its limit (what
   * a take needed, what it held, what a stride could need). A pool with any limit above it
   * (limitAnswersAsBefore) would have answered every one of them the same way.
   */
  peakDemand = 0;
  private readonly share?: ConcurrencyShare;

  constructor(opts: { limit: number; scaling: ScalingRate; idleTimeout: number; share?: ConcurrencyShare }) {
    this.limit = opts.limit;
    if (opts.share) {
      this.share = opts.share;
      opts.share.pools.push(this);
    }
    this.idleTimeout = opts.idleTimeout;
    this.scaling = new TokenBucket({
      rate: opts.scaling.environments / opts.scaling.perSeconds,
      burst: opts.scaling.environments,
    });
  }

  /** One invocation wants to start at `now`: throttled, or given a warm or a new (cold) environment. */
  acquire(now: number): { ok: false } | { ok: true; cold: boolean } {
    this.reclaim(now);
    if (this.busy >= this.limit || (this.share && this.share.busy >= this.share.limit)) {
      this.scaling.take(now, 0);
      return { ok: false };
    }
    if (this.idle.length > this.idleHead) {
      this.idle.pop();
      if (this.idle.length === this.idleHead) {
        // empty again: reuse the array instead of copying it
        this.idle.length = 0;
        this.idleHead = 0;
      }
      this.hold(1);
      return { ok: true, cold: false };
    }
    if (this.scaling.take(now, 1) < 1) return { ok: false };
    this.hold(1);
    return { ok: true, cold: true };
  }

  /** The invocation that held an environment ended at `now`; the environment goes idle. */
  release(now: number): void {
    if (this.busy <= 0) return;
    this.hold(-1);
    this.idle.push(now);
  }

  private hold(d: number): void {
    this.busy += d;
    if (this.share) this.share.busy += d;
  }

  /** Busy environments (discrete mode). */
  get inFlight(): number {
    return this.busy;
  }

  /** Environments alive (busy + idle) at `now` (discrete mode). */
  environments(now: number): number {
    this.reclaim(now);
    return this.busy + this.idle.length - this.idleHead;
  }

  /**
   * Fluid: `n` invocations arrive evenly over [now − over, now], each keeping an environment busy
   * for `busySeconds` on average. Ready (warm) environments serve over/busy invocations each; the
   * rest need new environments, which the scaling rate and the limit allow or not. A new
   * environment is busy for INIT + the invocation before it can take another, so a sustained
   * excess of x invocations per second needs x·(init + busy) new environments, not x·busy — the
   * cold-start pile-up a real (or emulated) burst shows. What gets no environment is throttled.
   */
  takeFluid(now: number, n: number, over: number, busySeconds: number, initSeconds = 0): { passed: number; coldStarts: number } {
    const slot = Math.floor(now - over / 2);
    const tickStart = now - over;
    // environments still in INIT at the start of this tick cannot take work yet
    this.dropReady(tickStart);
    let initializing = 0;
    for (const p of this.pending) initializing += p.count;
    const alive = this.window.maxBefore(slot, this.idleTimeout);
    const ready = Math.max(0, alive - initializing);
    if (n <= 0) {
      this.scaling.take(now, 0, over);
      // (no demand: what is still in INIT was counted with the take that started it)
      this.window.push(slot, initializing);
      this.fluidUsed = initializing;
      return { passed: 0, coldStarts: 0 };
    }
    const busy = Math.max(busySeconds, 1e-9);
    const warmServed = Math.min(n, (ready * over) / busy);
    const coldWanted = n - warmServed;
    let granted = 0;
    let coldServed = 0;
    if (coldWanted > 1e-12) {
      const needed = (coldWanted / over) * Math.min(over, initSeconds + busy);
      this.demand(ready + initializing + needed);
      let room = Math.max(0, this.limit - ready - initializing);
      if (this.share) room = Math.min(room, Math.max(0, this.share.limit - this.share.usedByOthers(this) - ready - initializing));
      const want = Math.min(needed, room);
      granted = want > 0 ? this.scaling.take(now, want, over) : (this.scaling.take(now, 0, over), 0);
      coldServed = needed > 0 ? coldWanted * (granted / needed) : 0;
      if (granted > 0) this.pending.push(inInit(now - over / 2 + initSeconds, granted));
    } else {
      this.scaling.take(now, 0, over);
    }
    const warmUsed = (warmServed * busy) / over;
    this.demand(warmUsed + initializing + granted);
    this.fluidUsed = Math.min(this.limit, warmUsed + initializing + granted);
    this.window.push(slot, this.fluidUsed);
    // a long take that kept every environment busy (steadyStride's full case) held them up to its last
    // second, as its one-second ticks would have: the full pool leaves the window from there
    if (over > 1 && this.fluidUsed >= this.limit) this.window.push(Math.floor(now - 1), this.fluidUsed);
    return { passed: Math.min(n, warmServed + coldServed), coldStarts: granted };
  }

  /**
   * Whether one long fluid take over (now − over, now] answers what its one-second takes would, for
   * invocations within `band` per second: coversStride, or else steadyStride. Notes in peakDemand
   * the least limit under which the answer would still be yes (the run's own stride plan).
   */
  strideFits(now: number, over: number, band: { lo: number; hi: number }, busySeconds: number, initSeconds: number): boolean {
    const need = Math.min(this.coverNeed(now, over, band.hi, busySeconds, initSeconds), this.warmNeed(now, over, band, busySeconds, initSeconds));
    if (need <= this.limit) {
      this.demand(need);
      return true;
    }
    return this.full(now, over, band, busySeconds);
  }

  /**
   * Whether invocations at most `peakRate` per second over (now − over, now] stay clear of every
   * edge: no environment still in INIT, and even if every one of them needed a new environment
   * (busy for INIT + the invocation), neither the limit nor the scaling rate would refuse one.
   * Then one long fluid take serves them all, as many short ones would.
   * (The simulator asks strideFits, which is this or steadyStride and records the demand; this and
   * steadyStride answer one case each, as the tests check them.)
   */
  coversStride(now: number, over: number, peakRate: number, busySeconds: number, initSeconds: number): boolean {
    return this.coverNeed(now, over, peakRate, busySeconds, initSeconds) <= this.limit;
  }

  /** The least limit under which coversStride says yes (Infinity: none; the other edges refuse). */
  private coverNeed(now: number, over: number, peakRate: number, busySeconds: number, initSeconds: number): number {
    // environments whose INIT ended before the stride starts are ready (as takeFluid will find)
    this.dropReady(now - over);
    if (this.pending.length > 0) return Infinity;
    const busy = Math.max(busySeconds, 1e-9);
    const worst = peakRate * (busy + initSeconds);
    const alive = this.window.maxBefore(Math.floor(now - over), this.idleTimeout);
    // a new environment held longer than a second is counted by how long the step is (takeFluid caps
    // INIT + busy at the step): then only a stride that needs no new environment is a sum of seconds
    if (initSeconds + busy > 1 && peakRate * busy > alive) return Infinity;
    if (!(this.scaling.level(now - over) + this.scaling.rate * over >= worst)) return Infinity;
    return alive + worst;
  }

  /**
   * Two more stretches where one long fluid take answers what its one-second takes would (all
   * served, or the same share throttled; cold starts may differ by the few a slow rise needs), both
   * with no environment in INIT, judged by `kept`: the most environments the pool is known to hold
   * warm for the whole of (now − over, now] (window entries that do not leave it before the end).
   * - Warm: at most `band.hi` invocations per second need the kept environments plus what the
   *   excess x = band.hi − kept / busy needs if every one of it were new (x · (INIT + busy)), and the
   *   limit and the scaling rate allow that. Nothing is throttled either way. (Users beside a steady
   *   flood the function absorbs: coversStride asks room for the whole flood to be new, this only
   *   for its growth.) A new environment held longer than a second is counted by how long the step
   *   is (takeFluid caps INIT + busy at the step), so then there may be no excess at all.
   * - Full: the pool holds its limit, and even `band.lo` per second brings more than the limit can
   *   serve (limit / busy per second). Every second serves limit / busy, throttles the rest and
   *   starts nothing. (A flood far above the function's concurrency, users' diurnal traffic beside it.)
   * Pools that share the account's unreserved concurrency take the warm case only without excess.
   */
  steadyStride(now: number, over: number, band: { lo: number; hi: number }, busySeconds: number, initSeconds: number): boolean {
    return this.warmNeed(now, over, band, busySeconds, initSeconds) <= this.limit || this.full(now, over, band, busySeconds);
  }

  /** The least limit under which steadyStride's warm case says yes (0: any; Infinity: none). */
  private warmNeed(now: number, over: number, band: { lo: number; hi: number }, busySeconds: number, initSeconds: number): number {
    this.dropReady(now - over);
    if (this.pending.length > 0) return Infinity;
    const kept = this.kept(now, over);
    const busy = Math.max(busySeconds, 1e-9);
    const excess = Math.max(0, band.hi - kept / busy);
    if (excess === 0) return 0;
    const grow = excess * (busy + initSeconds);
    if (!this.share && initSeconds + busy <= 1 && this.scaling.level(now - over) + this.scaling.rate * over >= grow) return kept + grow;
    return Infinity;
  }

  /** steadyStride's full case (never for a pool in a share). */
  private full(now: number, over: number, band: { lo: number; hi: number }, busySeconds: number): boolean {
    this.dropReady(now - over);
    if (this.pending.length > 0 || this.share) return false;
    if (this.kept(now, over) < this.limit) return false;
    return band.lo * Math.max(busySeconds, 1e-9) >= this.limit * (1 + 1e-9);
  }

  /** The most environments the pool is known to hold warm for the whole of (now − over, now]. */
  private kept(now: number, over: number): number {
    return this.window.maxWithin(Math.floor(now) - this.idleTimeout, Math.floor(now - over));
  }

  /**
   * Fluid steady-state fingerprint; `undefined` while environments are still in INIT. An older
   * peak still keeping environments warm is part of it, and `steadyUntil` says when it goes.
   */
  fingerprint(): string | undefined {
    if (this.pending.length > 0) return undefined;
    return `${this.scaling.fingerprint()}|${this.window.fingerprint()}`;
  }

  /** Until when (epoch seconds) the steady state may repeat: the tick that starts when an older peak leaves the window is computed. */
  steadyUntil(): number {
    return this.window.expiresAt(this.idleTimeout);
  }

  /** Full fluid state relative to `now` (for the simulator's periodic check). */
  snapshot(now: number): string {
    const pending = this.pending.map((p) => `${p.readyAt - now}:${p.count}`).join(',');
    return `${this.scaling.fingerprint()}|${this.window.snapshot(Math.floor(now))}|${pending}`;
  }

  /** Moves the fluid state's clock forward by dt: the state repeats dt later. */
  shift(dt: number): void {
    this.scaling.shift(dt);
    this.window.shift(Math.round(dt));
    for (const p of this.pending) p.readyAt += dt;
  }

  /** Fast-forward: the steady concurrency holds until `t`. */
  skipTo(t: number): void {
    this.scaling.skipTo(t);
    this.window.skipTo(Math.floor(t) - 1);
  }

  private demand(environments: number): void {
    if (environments > this.peakDemand) this.peakDemand = environments;
  }

  /** Environments whose INIT ended by `at` are ready: off the INIT list. */
  private dropReady(at: number): void {
    while (this.pending.length > 0 && this.pending[0].readyAt <= at + 1e-9) this.pending.shift();
  }

  private reclaim(now: number): void {
    const cutoff = now - this.idleTimeout;
    while (this.idleHead < this.idle.length && this.idle[this.idleHead] < cutoff) this.idleHead++;
    if (this.idleHead > 1024 && this.idleHead * 2 > this.idle.length) this.compact();
  }

  private compact(): void {
    this.idle = this.idle.slice(this.idleHead);
    this.idleHead = 0;
  }
}

/**
 * Whether a lone pool (no share) limited to `limit` would have answered a fluid run exactly as
 * the pool that recorded `peakDemand` did, if that pool refused nothing: every comparison with the
 * limit (room for new environments, the most held, a stride's room) came out below it, and stays
 * below any limit clear of the peak (with a part in 10⁹ for the subtraction's rounding).
 */
export function limitAnswersAsBefore(limit: number, peakDemand: number): boolean {
  return limit > peakDemand * (1 + 1e-9) + 1e-9;
}

/** New environments (`count`, fluid) in INIT until `readyAt`; both fields kept as doubles from the start (doubles.ts). */
function inInit(readyAt: number, count: number): { readyAt: number; count: number } {
  const p = { readyAt: 0.5, count: 0.5 };
  p.readyAt = readyAt;
  p.count = count;
  return p;
}

/** Maximum of per-second values over a trailing window (monotonic deque, O(1) amortised). */
class SlidingMax {
  private slots: number[] = [];
  private values: number[] = doubleArray(); // per-second maxima: fractions in the fluid model
  private head = 0;
  private lastSlot = -Infinity;

  push(slot: number, value: number): void {
    if (slot === this.lastSlot && this.values.length > this.head) {
      // the same second again: keep the larger value
      const i = this.values.length - 1;
      if (this.slots[i] === slot && value <= this.values[i]) return;
    }
    while (this.values.length > this.head && this.values[this.values.length - 1] <= value) {
      this.values.pop();
      this.slots.pop();
    }
    this.values.push(value);
    this.slots.push(slot);
    this.lastSlot = slot;
    if (this.head > 4096) {
      this.values = this.values.slice(this.head);
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  /** Max over slots in [from, to), without letting older entries go (the deque holds decreasing values). */
  maxWithin(from: number, to: number): number {
    for (let i = this.head; i < this.values.length; i++) {
      const s = this.slots[i];
      if (s >= to) break;
      if (s >= from) return this.values[i];
    }
    return 0;
  }

  /** Max over slots in [slot − window, slot). */
  maxBefore(slot: number, window: number): number {
    while (this.head < this.values.length && this.slots[this.head] < slot - window) this.head++;
    let best = 0;
    // the deque is decreasing in value; the first entry older than `slot` is the max
    for (let i = this.head; i < this.values.length; i++) {
      if (this.slots[i] < slot) {
        best = this.values[i];
        break;
      }
    }
    return best;
  }

  /**
   * The values the window holds, oldest (largest) first: pushing the latest value again keeps
   * them, and the answer is the oldest one's until it leaves the window (`expiresAt`).
   */
  fingerprint(): string {
    const live = this.values.length - this.head;
    if (live === 0) return '0';
    if (live === 1) return String(this.values[this.head]);
    return this.values.slice(this.head).join(',');
  }

  /** The last slot whose answer still includes the oldest value held (Infinity when only one is held). */
  expiresAt(window: number): number {
    return this.values.length - this.head > 1 ? this.slots[this.head] + window : Infinity;
  }

  snapshot(slot: number): string {
    const parts: string[] = [];
    for (let i = this.head; i < this.values.length; i++) parts.push(`${slot - this.slots[i]}:${this.values[i]}`);
    return parts.join(',');
  }

  shift(d: number): void {
    for (let i = this.head; i < this.slots.length; i++) this.slots[i] += d;
    this.lastSlot += d;
  }

  skipTo(slot: number): void {
    const i = this.values.length - 1;
    if (i >= this.head && slot > this.slots[i]) this.slots[i] = slot;
    if (slot > this.lastSlot) this.lastSlot = slot;
  }
}
