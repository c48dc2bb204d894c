import { describe, expect, it } from 'vitest';
import { ConcurrencyPool, ConcurrencyShare } from '../../src/limits/concurrency-pool.ts';

const pool = (limit: number, idleTimeout = 600) => new ConcurrencyPool({ limit, scaling: { environments: 1000, perSeconds: 10 }, idleTimeout });

describe('Lambda concurrency pool — one invocation at a time (emulator)', () => {
  it('throttles beyond reserved concurrency and reuses warm environments', () => {
    const p = pool(2);
    const a = p.acquire(0);
    const b = p.acquire(0);
    expect(a).toEqual({ ok: true, cold: true });
    expect(b).toEqual({ ok: true, cold: true });
    expect(p.acquire(0)).toEqual({ ok: false });
    p.release(1);
    expect(p.acquire(1.5)).toEqual({ ok: true, cold: false });
  });

  it('reclaims environments idle longer than idleTimeout (the next start is cold again)', () => {
    const p = pool(10, 600);
    p.acquire(0);
    p.release(1);
    expect(p.environments(500)).toBe(1);
    expect(p.environments(602)).toBe(0);
    expect(p.acquire(602)).toEqual({ ok: true, cold: true });
  });

  it('adds at most 1,000 new environments per 10 s, refilled continuously', () => {
    const p = pool(5000);
    let started = 0;
    for (let i = 0; i < 1500; i++) if (p.acquire(0).ok) started++;
    expect(started).toBe(1000);
    // 1 s later 100 more environments may be added
    let more = 0;
    for (let i = 0; i < 500; i++) if (p.acquire(1).ok) more++;
    expect(more).toBe(100);
  });
});

describe('Lambda concurrency pool — fluid (simulator)', () => {
  it('a steady flow needing 50 concurrent under a limit of 20 passes 40 %', () => {
    const p = pool(20);
    let passed = 0;
    let offered = 0;
    for (let s = 1; s <= 100; s++) {
      const r = p.takeFluid(s, 500, 1, 0.1); // 500 rps × 0.1 s = 50 concurrent
      passed += r.passed;
      offered += 500;
    }
    expect(passed / offered).toBeCloseTo(0.4, 6);
  });

  it('cold starts equal the environments created, and warm ones are reused', () => {
    const p = pool(1000);
    let cold = 0;
    for (let s = 1; s <= 60; s++) cold += p.takeFluid(s, 100, 1, 0.2).coldStarts; // 20 concurrent
    expect(cold).toBeCloseTo(20, 6);
  });
});

describe("Lambda concurrency pools sharing the account's unreserved concurrency", () => {
  it('two functions on an unreserved rest of 3 hold 3 environments together, not 3 each', () => {
    const share = new ConcurrencyShare(3);
    const opts = { limit: 3, scaling: { environments: 1000, perSeconds: 10 }, idleTimeout: 600, share };
    const a = new ConcurrencyPool(opts);
    const b = new ConcurrencyPool(opts);
    expect(a.acquire(0).ok).toBe(true);
    expect(a.acquire(0).ok).toBe(true);
    expect(b.acquire(0).ok).toBe(true);
    expect(b.acquire(0)).toEqual({ ok: false }); // 2 + 1 = 3 busy in the account's rest
    expect(a.acquire(0)).toEqual({ ok: false });
    a.release(1);
    expect(b.acquire(1)).toEqual({ ok: true, cold: true }); // a's idle environment is a's, not b's
  });
});
