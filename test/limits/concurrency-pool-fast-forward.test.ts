import { describe, expect, it } from 'vitest';
import { ConcurrencyPool } from '../../src/limits/concurrency-pool.ts';

// The simulator's fast-forward contract for Lambda's concurrency pool (fluid mode). Limit 100,
// scaling 1,000 per 10 s (100/s, burst 1,000). A steady 100 rps of 0.1 s invocations needs
// 100 × 0.1 = 10 environments.
const pool = (idleTimeout = 600, limit = 100) => new ConcurrencyPool({ limit, scaling: { environments: 1000, perSeconds: 10 }, idleTimeout });

/** One-second fluid ticks of `n` invocations ending at from + 1 … to; totals. */
function tick(p: ConcurrencyPool, from: number, to: number, n: number, init = 0): { passed: number; cold: number } {
  let passed = 0;
  let cold = 0;
  for (let t = from + 1; t <= to; t++) {
    const r = p.takeFluid(t, n, 1, 0.1, init);
    passed += r.passed;
    cold += r.coldStarts;
  }
  return { passed, cold };
}

describe('concurrency pool: fingerprint', () => {
  it('undefined while new environments are in INIT, then the scaling tokens and the environments held', () => {
    const p = pool();
    // tick 1: no environment yet; 100 invocations × 0.1 s need 10 new ones (all 100 served)
    expect(tick(p, 0, 1, 100)).toEqual({ passed: 100, cold: 10 });
    expect(p.fingerprint()).toBeUndefined();
    // tick 2: the 10 are ready and serve all 100 warm; scaling is back to its burst of 1,000
    expect(tick(p, 1, 2, 100)).toEqual({ passed: 100, cold: 0 });
    expect(p.fingerprint()).toBe('1000|10');
    tick(p, 2, 3, 100);
    expect(p.fingerprint()).toBe('1000|10');
  });

  it('an older, higher peak still keeping environments warm is part of it, until it leaves the idle window', () => {
    const p = pool();
    tick(p, 0, 3, 200); // 20 environments, the last in second 2
    tick(p, 3, 5, 100); // 10 in use, the 20 of the peak still alive
    expect(p.fingerprint()).toBe('1000|20,10');
    // second 2 + idle timeout 600: the tick that starts then is the first that may differ
    expect(p.steadyUntil()).toBe(602);
    tick(p, 5, 6, 100);
    expect(p.fingerprint()).toBe('1000|20,10');
  });
});

describe('concurrency pool: skipTo', () => {
  it('skipping through a steady stretch keeps its environments alive, as ticking would', () => {
    // idle timeout 5 s: a skip that left the window behind would lose the 10 warm environments
    const ticked = pool(5);
    tick(ticked, 0, 50, 100);
    const skipped = pool(5);
    tick(skipped, 0, 3, 100);
    skipped.skipTo(50);
    expect(skipped.fingerprint()).toBe(ticked.fingerprint());
    expect(tick(skipped, 50, 51, 100)).toEqual({ passed: 100, cold: 0 });
    expect(tick(ticked, 50, 51, 100)).toEqual({ passed: 100, cold: 0 });
  });
});

describe('concurrency pool: shift and snapshot', () => {
  it('a shifted pool answers dt later what the original answers now, INIT in progress included', () => {
    // INIT 2 s: tick 1 starts 100 environments (100/s × min(1 s step, 2.1 s) = 100, the limit),
    // in INIT until 0.5 + 2 = 2.5
    const a = pool();
    const b = pool();
    tick(a, 0, 1, 100, 2);
    tick(b, 0, 1, 100, 2);
    b.shift(100);
    expect(b.snapshot(101)).toBe(a.snapshot(1));
    expect(a.snapshot(1)).toBe('1000|1:100|1.5:100');
    const x = tick(a, 1, 4, 100, 2);
    const y = tick(b, 101, 104, 100, 2);
    expect(y.passed).toBeCloseTo(x.passed, 9);
    expect(y.cold).toBeCloseTo(x.cold, 9);
    expect(b.snapshot(104)).toBe(a.snapshot(4));
  });

  it('the snapshot tells apart states the fingerprint cannot (INIT pending, recent peaks)', () => {
    const a = pool();
    const b = pool();
    // no INIT: 100 × 0.1 = 10 new environments, or 200 × 0.1 = 20
    tick(a, 0, 1, 100);
    tick(b, 0, 1, 200);
    expect(a.snapshot(1)).toBe('1000|1:10|-0.5:10'); // new ones ready mid-tick: 0.5 − 1
    expect(b.snapshot(1)).toBe('1000|1:20|-0.5:20');
  });
});

describe('concurrency pool: coversStride', () => {
  it('a stride that could never meet the limit or the scaling rate is covered', () => {
    // 50/s × 0.1 s = at worst 5 new environments; 1,000 + 100 × 10 scaling tokens
    expect(pool().coversStride(10, 10, 50, 0.1, 0)).toBe(true);
    // exactly the limit (1,000/s × 0.1 s = 100) still fits; 1,010/s (101) does not
    expect(pool().coversStride(10, 10, 1000, 0.1, 0)).toBe(true);
    expect(pool().coversStride(10, 10, 1010, 0.1, 0)).toBe(false);
  });

  it('not while environments are in INIT', () => {
    const p = pool(600, 1000);
    tick(p, 0, 1, 100, 2); // 100 environments, ready at 2.5
    expect(p.coversStride(12, 10, 1, 0.1, 2)).toBe(false); // the stride starts at 2 < 2.5
    expect(p.coversStride(13, 10, 1, 0.1, 2)).toBe(true); // starts at 3: ready by then
  });

  it('an environment held longer than a second covers only strides its warm environments serve', () => {
    // INIT 1 s + 0.5 s busy > 1 s: 10/s × 0.5 s = 5 busy; none alive yet → not covered
    const p = pool();
    expect(p.coversStride(10, 10, 10, 0.5, 1)).toBe(false);
    // ticks of 10/s: tick 1 starts 10 × min(1, 1.5) = 10 (ready at 1.5); tick 2 finds them still in
    // INIT and starts 10 more (ready at 2.5); tick 3 serves all 10 warm. 20 alive ≥ 5 busy.
    expect([1, 2, 3].map((t) => p.takeFluid(t, 10, 1, 0.5, 1).coldStarts)).toEqual([10, 10, 0]);
    expect(p.coversStride(13, 10, 10, 0.5, 1)).toBe(true);
  });

  it('not when the scaling rate could not add the worst case in time', () => {
    // scaling 10 per 10 s (1/s, burst 10), drained by 10 cold starts at t = 0
    const p = new ConcurrencyPool({ limit: 100, scaling: { environments: 10, perSeconds: 10 }, idleTimeout: 600 });
    for (let i = 0; i < 10; i++) expect(p.acquire(0)).toEqual({ ok: true, cold: true });
    // worst: 20/s × 0.5 s = 10 new environments; over 5 s the rate adds 5 → no; over 10 s, 10 → yes
    expect(p.coversStride(5, 5, 20, 0.5, 0)).toBe(false);
    expect(p.coversStride(10, 10, 20, 0.5, 0)).toBe(true);
  });
});

describe('concurrency pool: steadyStride', () => {
  it('warm: a rate the kept environments serve, or whose growth fits the limit and the scaling rate', () => {
    // 100 rps × 0.1 s held 10 environments for 20 s; a 10-s stride from 20 to 30 keeps them (idle 600 s)
    const p = pool();
    tick(p, 0, 20, 100);
    expect(p.steadyStride(30, 10, { lo: 95, hi: 100 }, 0.1, 0)).toBe(true);
    // 150/s: 5 more environments at worst (50/s × (0.1 s + 0.4 s INIT) = 25 ≤ 100 − 10, scaling ≥ 25): covered
    expect(p.steadyStride(30, 10, { lo: 95, hi: 150 }, 0.1, 0.4)).toBe(true);
    // 2,000/s: 1,900/s × 0.5 s = 950 more would pass the limit of 100
    expect(p.steadyStride(30, 10, { lo: 95, hi: 2000 }, 0.1, 0.4)).toBe(false);
  });

  it('full: the pool holds its limit and even the lowest rate is above limit / busy', () => {
    // 2,000 rps × 0.1 s wants 200 environments; the limit holds 100 (1,000/s served) once they are up
    const p = pool();
    tick(p, 0, 20, 2000);
    expect(p.steadyStride(30, 10, { lo: 1900, hi: 2100 }, 0.1, 0)).toBe(true);
    // 900/s at the low end is under the 1,000/s the full pool serves: some seconds would not be full
    expect(p.steadyStride(30, 10, { lo: 900, hi: 2100 }, 0.1, 0)).toBe(false);
  });

  it('only environments that stay in the idle window for the whole stride count as kept', () => {
    // idle timeout 4 s: a 10-s stride from 20 to 30 keeps nothing seen before it (entries must be ≥ 26)
    const p = pool(4);
    tick(p, 0, 20, 2000);
    expect(p.steadyStride(30, 10, { lo: 1900, hi: 2100 }, 0.1, 0)).toBe(false);
  });
});
