import type { FastForward, Limiter } from './types.ts';

/**
 * API Gateway's token bucket: `rate` tokens per second refill a bucket of `burst`, full at the
 * start. Instant takes (the emulator) pass whole requests while a whole token is left; spread
 * takes (the simulator's ticks) use the exact fluid answer for arrivals spread evenly over the
 * interval, which is what the instant rule integrates to:
 *   passed = min(n, T0 + rate·over),  T1 = min(burst, T0 + rate·over − passed)
 * (if arrivals outpace the refill the bucket drains and then passes `rate`; if not, all pass).
 */
export class TokenBucket implements Limiter, FastForward {
  readonly rate: number;
  readonly burst: number;
  private tokens: number;
  private last: number | undefined;

  constructor(opts: { rate: number; burst: number }) {
    this.rate = opts.rate;
    this.burst = opts.burst;
    this.tokens = opts.burst;
  }

  private refill(to: number): void {
    if (this.last === undefined) {
      this.last = to;
      return;
    }
    if (to > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + this.rate * (to - this.last));
      this.last = to;
    }
  }

  take(now: number, n: number, over = 0): number {
    if (n <= 0) {
      this.refill(now);
      return 0;
    }
    if (over <= 0) {
      this.refill(now);
      // a hair of tolerance so refills computed from float clocks do not lose a whole token
      const whole = Math.floor(this.tokens + 1e-9);
      const passed = Math.min(n, Math.max(0, whole));
      this.tokens -= passed;
      return passed;
    }
    this.refill(now - over);
    const available = this.tokens + this.rate * over;
    const passed = Math.min(n, available);
    this.tokens = Math.min(this.burst, available - passed);
    this.last = now;
    return passed;
  }

  /** Tokens in the bucket at `now` (refilled, not taken). */
  level(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** The tokens: unchanged across a tick, the next tick is identical; it is also the full state relative to the last take. */
  fingerprint(): string {
    return String(this.tokens);
  }

  /** Moves the bucket's clock forward by dt without refilling: the state repeats dt later. */
  shift(dt: number): void {
    if (this.last !== undefined) this.last += dt;
  }

  /** Fast-forward: the steady state held from the last take until `t` (no refill is credited). */
  skipTo(t: number): void {
    if (this.last === undefined || t > this.last) this.last = t;
  }
}

/**
 * A fresh process's first buckets hold whole numbers (the account's 10,000, a stage's 50), so V8
 * records whole-number arithmetic in `take` and optimises for it; a route's 1.5 later threw that
 * code away ("not a Smi", `node --trace-deopt`) and with it the stride code that inlined it. V8
 * keeps what a function saw only after it has run a few times: a few takes of fractions at load
 * (a bucket of its own, nothing else touched) make its arithmetic general from the start. See
 * doubles.ts.
 */
function settleBucketFeedback(): void {
  const b = new TokenBucket({ rate: 0.5, burst: 1.5 });
  for (let i = 1; i <= 40; i++) {
    b.take(i + 0.5, 0.25, 0.5);
    b.take(i + 0.75, 0.5);
    b.take(i + 0.8, 0);
  }
}
settleBucketFeedback();
