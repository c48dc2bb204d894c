import { describe, expect, it } from 'vitest';
import { LambdaModel, lambdaModels } from '../../src/limits/lambda.ts';
import { parseStack } from '../../src/stack/parse.ts';
import type { Stack } from '../../src/stack/types.ts';
import { makeStack } from '../support/stacks.ts';

/** Starts `k` invocations at t = 0 that stay busy; how many got an environment. */
function starts(m: LambdaModel, k: number): number {
  let ok = 0;
  for (let i = 0; i < k; i++) if (m.startInvocation(0).ok) ok++;
  return ok;
}

describe('lambdaModels: one pool per function, the unreserved rest shared', () => {
  // account 102; `c` reserves 2; `lambda` and `b` have none and share the other 100 (AWS keeps at
  // least 100 unreserved)
  const stack = parseStack(`name: three
api:
  kind: rest
  routes: { "GET /a": {}, "GET /b": { function: b }, "GET /c": { function: c } }
lambda: { memoryMb: 128, duration: 100ms, initDuration: 0, accountConcurrency: 102 }
functions:
  - { name: b, memoryMb: 128, duration: 100ms, initDuration: 0 }
  - { name: c, memoryMb: 128, duration: 100ms, initDuration: 0, reservedConcurrency: 2 }
`, 'three.yaml');

  it('the sharing functions hold 100 together, the reserving one its own 2', () => {
    const [a, b, c] = lambdaModels(stack);
    expect([b.name, c.name]).toEqual(['b', 'c']);
    expect(starts(a, 60)).toBe(60);
    expect(starts(b, 60)).toBe(40);
    expect(starts(a, 1)).toBe(0);
    expect(starts(c, 5)).toBe(2);
  });

  it('one function alone draws on the whole unreserved rest, sharing with nobody', () => {
    const one = parseStack(`name: one
api: { kind: rest }
lambda: { memoryMb: 128, duration: 100ms, initDuration: 0, accountConcurrency: 150 }
`, 'one.yaml');
    const [m] = lambdaModels(one);
    expect(starts(m, 200)).toBe(150);
  });
});

describe('LambdaModel: fluid counts and charges', () => {
  it('splits what passes by the error rate and bills memory × duration plus INIT per new environment', () => {
    // 512 MB = 0.5 GB, 100 ms, INIT 0.4 s, 20 % errors. 100 requests in 1 s: 100/s × (0.4 + 0.1) s
    // = 50 new environments serve all 100. Duration 100 × 0.1 × 0.5 = 5 GB-s, INIT 50 × 0.4 × 0.5
    // = 10 GB-s.
    const m = new LambdaModel(makeStack({ lambda: { memoryMb: 512, duration: { p50: 0.1, p99: 0.1 }, initDuration: 0.4, errorRate: 0.2 } }));
    const r = m.invokeFluid(1, 100, 1);
    expect(r.coldStarts).toBeCloseTo(50, 9);
    expect(r.succeeded).toBeCloseTo(80, 9);
    expect(r.failed).toBeCloseTo(20, 9);
    expect(r.timedOut).toBe(0);
    expect(r.lambdaThrottled).toBeCloseTo(0, 9);
    expect(r.initGbSeconds).toBeCloseTo(10, 9);
    expect(r.gbSeconds).toBeCloseTo(15, 9);
  });
});

describe('LambdaModel: the function-URL ceiling', () => {
  // reserved concurrency 10 → at most 100 requests per second; 50 ms invocations
  const url = () =>
    new LambdaModel(makeStack({ api: { kind: 'function-url', integrationTimeout: 29 } as Partial<Stack['api']>, lambda: { reservedConcurrency: 10, duration: { p50: 0.05, p99: 0.05 }, initDuration: 0 } }));

  it('a request over the ceiling is refused with { ok: false }', () => {
    const m = url();
    let ok = 0;
    for (let i = 0; i < 100; i++) {
      const s = m.startInvocation(0);
      if (s.ok) {
        ok++;
        m.endInvocation(0);
      }
    }
    expect(ok).toBe(100);
    expect(m.startInvocation(0)).toEqual({ ok: false });
  });

  it('a stride above the ceiling is not covered even where the pool would serve it', () => {
    // 101/s × 0.05 s = 5.05 environments ≤ 10: the pool alone would cover it
    expect(url().coversStride(10, 10, { lo: 1, hi: 101 })).toBe(false);
    expect(url().coversStride(10, 10, { lo: 1, hi: 100 })).toBe(true);
  });

  it('its fingerprint is undefined while the pool\'s is', () => {
    const m = url();
    m.invokeFluid(1, 50, 1); // new environments still pending at the end of the tick
    expect(m.fingerprint()).toBeUndefined();
  });
});
