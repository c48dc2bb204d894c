import { describe, expect, it } from 'vitest';
import type { Timeline } from '../../src/model/timeline.ts';
import { emptyTotals } from '../../src/model/totals.ts';
import { throttleWarnings } from '../../src/run/reconcile.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';

// A stage throttle of 50/100 over two routes without their own (GET /a, GET /b) and one with its
// own 5/10 (GET /c). AWS applies the stage's throttle per method, so over T = 2 s each of /a and /b
// may serve 100 + 50 × 2 = 200: 400 in all; the warning needs more than 1.5 × 400 + 10 = 610.
const stack = parseStack(`name: three-routes
api: { kind: rest, stage: { rate: 50, burst: 100 }, routes: { "GET /a": {}, "GET /b": {}, "GET /c": { rate: 5, burst: 10 } } }
lambda: { memoryMb: 128 }
`);
const scenario = parseScenario(`name: three
cohorts:
  - { name: on-a, role: attack, request: { method: GET, path: /a }, rate: [{ duration: 2s, rate: 500 }] }
  - { name: on-b, role: attack, request: { method: GET, path: /b }, rate: [{ duration: 2s, rate: 500 }] }
  - { name: on-c, role: legit, request: { method: GET, path: /c }, rate: [{ duration: 2s, rate: 50 }] }
`);
const measured = (served: Record<string, number>): Timeline => ({
  source: 'emulator',
  durationSeconds: 2,
  bucketSeconds: 2,
  cohorts: Object.entries(served).map(([name, succeeded]) => ({ name, role: name === 'on-c' ? 'legit' : 'attack', buckets: [{ ...emptyTotals(), offered: 1000, succeeded }] })),
});

describe('live runs: a stage throttle that did not take effect', () => {
  it('allows the stage\'s rate and burst on each route without its own: 300 + 300 served is no warning', () => {
    // (one stage-wide bucket would allow 200 and warn above 310)
    expect(throttleWarnings(scenario, stack, measured({ 'on-a': 300, 'on-b': 300, 'on-c': 20 }))).toEqual([]);
  });

  it('warns above the routes\' allowances together, and leaves the route with its own throttle to its own check', () => {
    const w = throttleWarnings(scenario, stack, measured({ 'on-a': 400, 'on-b': 300, 'on-c': 20 }));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^The stage throttle \(rate 50\/s, burst 100, 2 routes\) did not take effect: 700 requests got through in 2s, far above the 400 it allows/);
    // GET /c: 10 + 5 × 2 = 20 allowed; 50 served is above 1.5 × 20 + 10 = 40
    const c = throttleWarnings(scenario, stack, measured({ 'on-a': 0, 'on-b': 0, 'on-c': 50 }));
    expect(c).toHaveLength(1);
    expect(c[0]).toMatch(/^The route "GET \/c" throttle \(rate 5\/s, burst 10\) did not take effect: 50 requests/);
  });
});
