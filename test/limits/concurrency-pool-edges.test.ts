import { describe, expect, it } from 'vitest';
import { ConcurrencyPool, ConcurrencyShare } from '../../src/limits/concurrency-pool.ts';

// Hand-computed edges of Lambda's concurrency pool. Scaling 1,000 per 10 s (100/s, burst 1,000)
// unless said otherwise; invocations of 0.1 s.
const pool = (limit = 100, idleTimeout = 600, share?: ConcurrencyShare) => new ConcurrencyPool({ limit, scaling: { environments: 1000, perSeconds: 10 }, idleTimeout, ...(share ? { share } : {}) });

describe('fluid ticks longer than a second', () => {
  it('two 2 s ticks: warm environments serve over/busy each, only the rest needs new ones', () => {
    const p = pool();
    // tick 0 … 2, 200 invocations: none warm; 100/s × 0.1 s = 10 new environments (ready at 1)
    expect(p.takeFluid(2, 200, 2, 0.1, 0)).toEqual({ passed: 200, coldStarts: 10 });
    // tick 2 … 4, 300: the 10 serve 10 × 2 / 0.1 = 200; 100 more at 50/s need 5 new ones.
    // In use: 200 × 0.1 / 2 = 10 warm + 5 new = 15.
    expect(p.takeFluid(4, 300, 2, 0.1, 0)).toEqual({ passed: 300, coldStarts: 5 });
    expect(p.snapshot(4)).toBe('1000|1:15|-1:5');
  });
});

describe('fluid INIT and the limit', () => {
  it('while the limit\'s environments are in INIT nothing more starts', () => {
    // limit 20, INIT 2 s: tick 1 wants 100 × min(1, 2.1) = 100 new, gets 20, serving 20 of 100
    const p = pool(20);
    expect(p.takeFluid(1, 100, 1, 0.1, 2)).toEqual({ passed: 20, coldStarts: 20 });
    // tick 2: the 20 are still in INIT (ready at 2.5): no room, nothing served
    expect(p.takeFluid(2, 100, 1, 0.1, 2)).toEqual({ passed: 0, coldStarts: 0 });
  });

  it('environments whose INIT ends exactly as a tick starts serve it warm', () => {
    // INIT 0.5 s: tick 1 starts 100/s × (0.5 + 0.1) s = 60, ready at 0.5 + 0.5 = 1.0, the start of tick 2
    const p = pool(1000);
    expect(p.takeFluid(1, 100, 1, 0.1, 0.5).coldStarts).toBe(60);
    expect(p.takeFluid(2, 100, 1, 0.1, 0.5)).toEqual({ passed: 100, coldStarts: 0 });
    // and a stride starting at 1.0 finds them ready too
    const q = pool(1000);
    q.takeFluid(1, 100, 1, 0.1, 0.5);
    expect(q.coversStride(11, 10, 100, 0.1, 0.5)).toBe(true);
  });

  it('a pool held at its limit is steady (no empty INIT batches are recorded)', () => {
    // limit 10 against 200/s × 0.1 s = 20 wanted: tick 2 serves 10 × 1 / 0.1 = 100 and can add none
    const p = pool(10);
    p.takeFluid(1, 200, 1, 0.1, 0);
    expect(p.takeFluid(2, 200, 1, 0.1, 0)).toEqual({ passed: 100, coldStarts: 0 });
    expect(p.fingerprint()).toBe('1000|10');
  });

  it('a fresh pool\'s fingerprint: full scaling, nothing in use', () => {
    expect(pool().fingerprint()).toBe('1000|0');
  });

  it('two half-second ticks in one second count that second once, at its larger use', () => {
    const p = pool();
    // 0 … 0.5: 100 over 0.5 s = 200/s × 0.1 s = 20 new; 0.5 … 1: nothing
    expect(p.takeFluid(0.5, 100, 0.5, 0.1, 0).coldStarts).toBe(20);
    p.takeFluid(1, 0, 0.5, 0.1, 0);
    expect(p.fingerprint()).toBe('1000|20');
  });
});

describe('fluid: functions sharing the unreserved concurrency', () => {
  it('a function gets only what the others left of the share', () => {
    // share 15: A takes 100/s × 0.1 = 10; B wants 10 too and gets 15 − 10 = 5, serving half
    const share = new ConcurrencyShare(15);
    const a = pool(15, 600, share);
    const b = pool(15, 600, share);
    expect(a.takeFluid(1, 100, 1, 0.1, 0)).toEqual({ passed: 100, coldStarts: 10 });
    expect(b.takeFluid(1, 100, 1, 0.1, 0)).toEqual({ passed: 50, coldStarts: 5 });
    expect(share.usedByOthers(a)).toBe(5);
    expect(share.usedByOthers(b)).toBe(10);
  });
});

describe('coversStride edges', () => {
  it('INIT counts in the worst case: 120/s × (0.5 + 0.4) s = 108 > 100; 110/s → 99 fits', () => {
    expect(pool().coversStride(10, 10, 120, 0.5, 0.4)).toBe(false);
    expect(pool().coversStride(10, 10, 110, 0.5, 0.4)).toBe(true);
  });

  it('an environment held exactly 1 s is still counted within a step', () => {
    expect(pool().coversStride(10, 10, 10, 0.5, 0.5)).toBe(true);
  });

  it('environments alive at the stride\'s start count, busy up to exactly what they can serve', () => {
    // idle timeout 5 s; tick 1 starts 10 environments (10/s × min(1, 1.5)), ready at 1.5
    const p = pool(100, 5);
    p.takeFluid(1, 10, 1, 0.5, 1);
    // stride 2 … 4: 10 alive; 20/s × 0.5 s = 10 busy ≤ 10 alive → covered
    expect(p.coversStride(4, 2, 20, 0.5, 1)).toBe(true);
    expect(p.coversStride(4, 2, 21, 0.5, 1)).toBe(false);
  });
});

describe('discrete (emulator) edges', () => {
  it('reusing one of two idle environments keeps the other idle', () => {
    const p = pool();
    p.acquire(0);
    p.acquire(0);
    p.release(1);
    p.release(1);
    expect(p.acquire(2)).toEqual({ ok: true, cold: false });
    expect(p.environments(2)).toBe(2);
  });

  it('a release with nothing busy frees nothing', () => {
    const p = pool(1);
    p.release(0);
    expect(p.acquire(0)).toEqual({ ok: true, cold: true });
    expect(p.acquire(0)).toEqual({ ok: false });
  });

  it('out of scaling tokens, a start is refused with { ok: false }', () => {
    const p = new ConcurrencyPool({ limit: 100, scaling: { environments: 1, perSeconds: 10 }, idleTimeout: 600 });
    expect(p.acquire(0)).toEqual({ ok: true, cold: true });
    expect(p.acquire(0)).toEqual({ ok: false });
  });

  it('an environment idle exactly idleTimeout is still there; a moment longer, gone', () => {
    const p = pool(100, 600);
    p.acquire(0);
    p.release(1);
    expect(p.environments(601)).toBe(1);
    expect(p.environments(601.001)).toBe(0);
  });

  it('after more than 1,024 environments are reclaimed at once, the count stays right', () => {
    const p = new ConcurrencyPool({ limit: 5000, scaling: { environments: 5000, perSeconds: 10 }, idleTimeout: 600 });
    for (let i = 0; i < 1100; i++) p.acquire(0);
    for (let i = 0; i < 1100; i++) p.release(1);
    expect(p.environments(700)).toBe(0);
    p.acquire(700);
    p.release(701);
    expect(p.environments(702)).toBe(1);
  });
});

describe('fluid: environments kept warm, and reclaimed', () => {
  // idle timeout 2 s: a second's use counts for the next 2 seconds' "alive"
  it('a lower use after a peak is remembered once the peak has expired', () => {
    const p = pool(100, 2);
    expect(p.takeFluid(1, 200, 1, 0.1, 0).coldStarts).toBe(20); // second 0: 20 new
    expect(p.takeFluid(2, 100, 1, 0.1, 0).coldStarts).toBe(0); // second 1: 10 of the 20 in use
    expect(p.snapshot(2)).toBe('1000|2:20,1:10|');
    p.takeFluid(3, 0, 1, 0.1, 0); // second 2: idle
    // second 3: the peak of second 0 has expired, the 10 of second 1 are still alive: all warm
    expect(p.takeFluid(4, 100, 1, 0.1, 0)).toEqual({ passed: 100, coldStarts: 0 });
  });

  it('a use exactly idleTimeout seconds ago still counts; a second later it is gone', () => {
    const warm = pool(100, 2);
    warm.takeFluid(1, 100, 1, 0.1, 0); // second 0: 10 new
    warm.takeFluid(2, 0, 1, 0.1, 0);
    // second 2: second 0 is 2 s back → still alive
    expect(warm.takeFluid(3, 100, 1, 0.1, 0).coldStarts).toBe(0);
    const cold = pool(100, 2);
    cold.takeFluid(1, 100, 1, 0.1, 0);
    cold.takeFluid(2, 0, 1, 0.1, 0);
    cold.takeFluid(3, 0, 1, 0.1, 0);
    // second 3: second 0 is 3 s back → reclaimed, 10 new again
    expect(cold.takeFluid(4, 100, 1, 0.1, 0).coldStarts).toBe(10);
  });

  it('an idle tick passes nothing and starts nothing', () => {
    const p = pool();
    expect(p.takeFluid(1, 0, 1, 0.1, 0)).toEqual({ passed: 0, coldStarts: 0 });
  });

  it('once an old peak has expired, one steady use is a fingerprint again', () => {
    const p = pool(100, 2);
    p.takeFluid(1, 200, 1, 0.1, 0);
    for (let t = 2; t <= 6; t++) p.takeFluid(t, 100, 1, 0.1, 0);
    expect(p.fingerprint()).toBe('1000|10');
  });

  it('warm ticks still refill the scaling rate (the fingerprint sees it)', () => {
    // scaling 10 per 10 s (1/s, burst 10): 10 new in second 0 leave 10 + 1 − 10 = 1 token;
    // a warm second later 2
    const p = new ConcurrencyPool({ limit: 100, scaling: { environments: 10, perSeconds: 10 }, idleTimeout: 600 });
    expect(p.takeFluid(1, 100, 1, 0.1, 0).coldStarts).toBe(10);
    expect(p.takeFluid(2, 100, 1, 0.1, 0).coldStarts).toBe(0);
    expect(p.fingerprint()).toBe('2|10');
  });

  it('a skip back in time changes nothing', () => {
    const p = pool();
    for (let t = 1; t <= 10; t++) p.takeFluid(t, 100, 1, 0.1, 0);
    const before = p.snapshot(10);
    p.skipTo(5);
    expect(p.snapshot(10)).toBe(before);
  });

  it('environments in INIT are listed one batch after another in the snapshot', () => {
    // INIT 2 s, limit 1,000: second 0 starts 100 (ready 2.5), second 1 finds them in INIT and starts 100 more (3.5)
    const p = pool(1000);
    p.takeFluid(1, 100, 1, 0.1, 2);
    p.takeFluid(2, 100, 1, 0.1, 2);
    expect(p.snapshot(2)).toBe('1000|1:200|0.5:100,1.5:100');
  });
});

describe('fluid: a function with warm environments in a share', () => {
  it('counts its own ready environments once against the share', () => {
    // share 30. B makes 5 (50/s); A holds 10. Then B wants 300/s: its 5 serve 50, the other 250
    // need 25 new; the share has 30 − 10 (A) − 5 (B's own) = 15 → 250 × 15 / 25 = 150 more
    const share = new ConcurrencyShare(30);
    const a = pool(30, 600, share);
    const b = pool(30, 600, share);
    b.takeFluid(1, 50, 1, 0.1, 0);
    a.takeFluid(1, 100, 1, 0.1, 0);
    expect(b.takeFluid(2, 300, 1, 0.1, 0)).toEqual({ passed: 200, coldStarts: 15 });
  });
});
