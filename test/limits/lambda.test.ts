import { describe, expect, it } from 'vitest';
import { LambdaModel } from '../../src/limits/lambda.ts';
import type { Stack } from '../../src/stack/types.ts';
import { makeStack } from '../support/stacks.ts';

/*
 * LambdaModel wires a stack's function settings into the concurrency pool, the duration model and,
 * for function URLs, the requests-per-second ceiling. Facts (aws-facts.md, "Lambda"): reserved
 * concurrency caps a function, else the account's concurrency does; scaling adds up to 1,000
 * environments per 10 s, refilled continuously; function URLs serve at most 10 × the function's
 * concurrency requests per second (AWS docs: urls-configuration); INIT is billed (AWS compute blog,
 * 2025-08-01); duration is billed per 1 ms.
 */

const lambda = (l: Partial<Stack['lambda']> = {}, api: Partial<Stack['api']> = {}) => new LambdaModel(makeStack({ lambda: l, api }));

/** Starts `k` invocations at `now` that stay busy; how many got an environment. */
function startMany(m: LambdaModel, now: number, k: number): { ok: number; cold: number } {
  let ok = 0;
  let cold = 0;
  for (let i = 0; i < k; i++) {
    const s = m.startInvocation(now);
    if (s.ok) {
      ok++;
      if (s.cold) cold++;
    }
  }
  return { ok, cold };
}

describe('LambdaModel: concurrency', () => {
  it('reserved concurrency caps the function below the account concurrency', () => {
    const m = lambda({ reservedConcurrency: 5, accountConcurrency: 1000 });
    expect(m.concurrencyLimit).toBe(5);
    expect(startMany(m, 100, 8)).toEqual({ ok: 5, cold: 5 });
    expect(m.inFlight).toBe(5);
  });

  it('without reserved concurrency the account concurrency is the cap', () => {
    const m = lambda({ accountConcurrency: 7 });
    expect(m.concurrencyLimit).toBe(7);
    expect(startMany(m, 100, 10)).toEqual({ ok: 7, cold: 7 });
  });

  it('an ended invocation frees its environment for a warm start', () => {
    const m = lambda({ reservedConcurrency: 1 });
    expect(m.startInvocation(100)).toEqual({ ok: true, cold: true, initSeconds: 0.4 });
    expect(m.startInvocation(100.05)).toEqual({ ok: false });
    m.endInvocation(100.12);
    expect(m.startInvocation(100.2)).toEqual({ ok: true, cold: false, initSeconds: 0 });
  });

  it('reclaims an environment idle longer than idleTimeout: the next start is cold again', () => {
    // idleTimeout 600 s: idle 599 s → warm; idle 601 s → reclaimed, cold
    const m = lambda({ reservedConcurrency: 1, idleTimeout: 600 });
    m.startInvocation(0);
    m.endInvocation(1);
    const warm = m.startInvocation(600);
    expect(warm).toMatchObject({ ok: true, cold: false });
    m.endInvocation(601);
    expect(m.startInvocation(1202)).toMatchObject({ ok: true, cold: true });
  });

  it('scales by 1,000 environments per 10 s, refilled continuously (100 per second)', () => {
    // account 3,000: the limit is not what stops it. t = 0: the scaling bucket's 1,000; t = 1 s: 100
    // more (1,000 / 10 s × 1 s); t = 5.5 s: 450 more
    const m = lambda({ accountConcurrency: 3000 });
    expect(startMany(m, 0, 1200)).toEqual({ ok: 1000, cold: 1000 });
    expect(startMany(m, 1, 200)).toEqual({ ok: 100, cold: 100 });
    expect(startMany(m, 5.5, 1000)).toEqual({ ok: 450, cold: 450 });
  });

  it("a stack's own scaling rate is used (200 per 10 s)", () => {
    const m = lambda({ accountConcurrency: 3000, scaling: { environments: 200, perSeconds: 10 } });
    expect(startMany(m, 0, 300).ok).toBe(200);
    expect(startMany(m, 2, 300).ok).toBe(40); // 20/s × 2 s
  });
});

describe('LambdaModel: function URL ceiling (10 × concurrency requests per second)', () => {
  it('reserved concurrency 2 → at most 20 requests in a second, each ending at once', () => {
    // every invocation ends right away, so 2 environments are always enough: only the 20 rps
    // ceiling (a bucket of 20, refilled 20/s) can refuse. 25 at t = 10 → 20; t = 10.5 → 10 more
    const m = lambda({ reservedConcurrency: 2 }, { kind: 'function-url', integrationTimeout: 29 });
    const quick = (now: number, k: number) => {
      let ok = 0;
      for (let i = 0; i < k; i++) {
        const s = m.startInvocation(now);
        if (s.ok) {
          ok++;
          m.endInvocation(now);
        }
      }
      return ok;
    };
    expect(quick(10, 25)).toBe(20);
    expect(quick(10.5, 25)).toBe(10);
  });

  it('no ceiling in front of API Gateway: the same 25 quick requests all run', () => {
    const m = lambda({ reservedConcurrency: 2 });
    let ok = 0;
    for (let i = 0; i < 25; i++) {
      if (m.startInvocation(10).ok) {
        ok++;
        m.endInvocation(10);
      }
    }
    expect(ok).toBe(25);
  });

  it('fluid: a URL with reserved concurrency 100 passes at most 1,000 + 1,000 × 1 s of 5,000 in its first second', () => {
    // 10 × 100 = 1,000 rps: a bucket of 1,000, full, + 1,000 refilled over the 1 s tick = 2,000.
    // 1 ms invocations, no INIT: 100 environments serve 100 / 0.001 = 100,000 per second, so the
    // pool does not bind; the ceiling does. (×1000 would let all 5,000 through)
    const m = lambda({ reservedConcurrency: 100, duration: { p50: 0.001, p99: 0.001 }, initDuration: 0 }, { kind: 'function-url', integrationTimeout: 29 });
    const r = m.invokeFluid(11, 5000, 1);
    expect(r.lambdaThrottled).toBeCloseTo(3000, 6);
    expect(r.succeeded).toBeCloseTo(2000, 6);
  });
});

describe('LambdaModel: billing', () => {
  it('bills duration per 1 ms and INIT on a cold start', () => {
    // 512 MB = 0.5 GB. 123.4 ms → 124 ms billed → 0.062 GB-s; cold adds INIT 400 ms → 0.2 GB-s
    const m = lambda({ memoryMb: 512, initDuration: 0.4 });
    const warm = m.outcomeFor(0.1234);
    expect(warm.billedSeconds).toBeCloseTo(0.124, 12);
    expect(warm.gbSeconds).toBeCloseTo(0.062, 12);
    expect(warm.initGbSeconds).toBe(0);
    const cold = m.outcomeFor(0.1234, { cold: true });
    expect(cold.initGbSeconds).toBeCloseTo(0.2, 12);
    expect(cold.gbSeconds).toBeCloseTo(0.262, 12);
  });

  it('a fixed duration gives the same charges every time, warm and cold kept apart', () => {
    // p50 = p99 = 120 ms, 1,024 MB: warm 0.12 GB-s, cold 0.12 + 0.25 (INIT 250 ms) = 0.37 GB-s
    const m = lambda({ memoryMb: 1024, duration: { p50: 0.12, p99: 0.12 }, initDuration: 0.25 });
    expect(m.outcomeFor(0.12).gbSeconds).toBeCloseTo(0.12, 12);
    expect(m.outcomeFor(0.12, { cold: true }).gbSeconds).toBeCloseTo(0.37, 12);
    expect(m.outcomeFor(0.12).gbSeconds).toBeCloseTo(0.12, 12);
    expect(m.outcomeFor(0.12, { errored: true })).toMatchObject({ outcome: 'failed', initGbSeconds: 0 });
    expect(m.outcomeFor(0.12, { errored: true, cold: true }).initGbSeconds).toBeCloseTo(0.25, 12);
  });

  it('a run past the integration timeout is timedOut and billed to the function timeout', () => {
    // integration 29 s, function 60 s: a 45 s run → timedOut, 45 s × 0.5 GB = 22.5 GB-s;
    // a 90 s run stops at 60 s → timedOut (the gateway gave up first), 30 GB-s
    const m = lambda({ memoryMb: 512, timeout: 60 });
    expect(m.outcomeFor(45)).toMatchObject({ outcome: 'timedOut', billedSeconds: 45, gbSeconds: 22.5 });
    expect(m.outcomeFor(90)).toMatchObject({ outcome: 'timedOut', billedSeconds: 60, gbSeconds: 30 });
  });

  it('fluid: the first second of a flood pays INIT for every new environment', () => {
    // 100 rps of 100 ms, INIT 400 ms, 1 GB, account 1,000: a new environment is busy INIT + 100 ms =
    // 0.5 s per request, so serving 100 requests over 1 s takes 100 × 0.5 = 50 new environments.
    // INIT 50 × 0.4 s × 1 GB = 20 GB-s; duration 100 × 0.1 s × 1 GB = 10 GB-s; 30 GB-s in all
    const m = lambda({ memoryMb: 1024, duration: { p50: 0.1, p99: 0.1 }, initDuration: 0.4 });
    const r = m.invokeFluid(1, 100, 1);
    expect(r.succeeded).toBeCloseTo(100, 9);
    expect(r.coldStarts).toBeCloseTo(50, 9);
    expect(r.initGbSeconds).toBeCloseTo(20, 9);
    expect(r.gbSeconds).toBeCloseTo(30, 9);
  });
});
