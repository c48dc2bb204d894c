import { describe, expect, it } from 'vitest';
import { LambdaModel } from '../../src/limits/lambda.ts';
import type { Stack } from '../../src/stack/types.ts';
import { makeStack } from '../support/stacks.ts';

// LambdaModel's fast-forward members combine its concurrency pool with, for function URLs, the
// 10 × concurrency requests-per-second ceiling (a token bucket of rate = burst = 10 × concurrency).
// Reserved concurrency 10 → ceiling 100 rps; 0.1 s invocations without INIT; scaling 1,000 / 10 s.
const model = (kind: 'rest' | 'function-url') =>
  new LambdaModel(
    makeStack({
      api: kind === 'function-url' ? { kind, integrationTimeout: 29 } as Partial<Stack['api']> : {},
      lambda: { reservedConcurrency: 10, duration: { p50: 0.1, p99: 0.1 }, initDuration: 0, idleTimeout: 5 },
    }),
  );

function tick(m: LambdaModel, from: number, to: number, n: number): number {
  let passed = 0;
  for (let t = from + 1; t <= to; t++) passed += m.invokeFluid(t, n, 1).succeeded;
  return passed;
}

describe('LambdaModel: fast-forward', () => {
  it('the fingerprint is the pool\'s, plus the URL ceiling\'s tokens for a function URL', () => {
    // 50 rps × 0.1 s = 5 environments; tick 1 makes them (undefined: in INIT until mid-tick)
    const rest = model('rest');
    tick(rest, 0, 1, 50);
    expect(rest.fingerprint()).toBeUndefined();
    tick(rest, 1, 3, 50);
    expect(rest.fingerprint()).toBe('1000|5');
    // the URL bucket (100, full) refills what 50 took each second: full again
    const url = model('function-url');
    tick(url, 0, 3, 50);
    expect(url.fingerprint()).toBe('1000|5|100');
  });

  it('a URL flood above the ceiling drains its bucket: 100 + 100 in the first second, then 100', () => {
    const url = model('function-url');
    // second 1: the full bucket + 1 s of refill admit 200 of 300; those need 200 × 0.1 = 20 new
    // environments, 10 may exist: the pool serves 200 × 10 / 20 = 100 → 200 throttled
    const first = url.invokeFluid(1, 300, 1);
    expect(first.lambdaThrottled).toBeCloseTo(200, 9);
    tick(url, 1, 5, 300);
    expect(url.fingerprint()).toMatch(/\|0$/);
    expect(url.snapshot(5)).toMatch(/\|0$/);
  });

  it('skipTo and shift move the pool and the URL ceiling together', () => {
    const a = model('function-url');
    const b = model('function-url');
    tick(a, 0, 50, 50);
    tick(b, 0, 3, 50);
    b.skipTo(50);
    // idle timeout 5 s: had the skip left the pool's window behind, tick 51 would start cold again
    expect(b.fingerprint()).toBe(a.fingerprint());
    expect(b.invokeFluid(51, 50, 1).coldStarts).toBe(0);
    const c = model('function-url');
    tick(c, 0, 3, 50);
    c.shift(100);
    expect(c.snapshot(103)).toBe(a.snapshot(50));
    expect(c.invokeFluid(104, 50, 1).coldStarts).toBe(0);
  });

  it('behind API Gateway (no URL ceiling) the same members are the pool\'s alone', () => {
    const a = model('rest');
    const b = model('rest');
    tick(a, 0, 3, 50);
    tick(b, 0, 3, 50);
    // 5 environments used in second 2; no ceiling after the last "|"
    expect(a.snapshot(3)).toBe('1000|1:5||');
    b.shift(100);
    expect(b.snapshot(103)).toBe(a.snapshot(3));
    b.skipTo(200);
    expect(b.invokeFluid(201, 50, 1).coldStarts).toBe(0);
  });

  it('a stride above the URL ceiling is never covered; below it, as the pool says', () => {
    const url = model('function-url');
    expect(url.coversStride(10, 10, { lo: 10, hi: 101 })).toBe(false);
    // 100/s × 0.1 s = 10 environments: exactly the reserved concurrency
    expect(url.coversStride(10, 10, { lo: 10, hi: 100 })).toBe(true);
    expect(model('rest').coversStride(10, 10, { lo: 10, hi: 101 })).toBe(false); // 10.1 > 10 environments
  });
});
