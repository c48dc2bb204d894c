import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { cohortTotals } from '../../src/model/timeline.ts';
import { conservationGap } from '../../src/model/totals.ts';

/*
 * A usage plan's per-method throttle (AWS: ApiStages[].Throttle, "usage plan per method → usage
 * plan per key → stage/method → account"): a bucket per API key for one method's requests.
 * Partners: 4 clients, each its own key of plan "partner", 100 rps for an hour in all, 1:1 between
 * GET /search (the plan holds it to 5 rps burst 10 per key) and GET /items (free).
 */
const STACK = parseStack(`name: partners
api:
  kind: rest
  apiKeyRequired: true
  routes: { "GET /search": {}, "GET /items": {} }
  usagePlans:
    - { name: partner, routes: { "GET /search": { rate: 5, burst: 10 } } }
lambda: { memoryMb: 512, duration: 100ms, initDuration: 0 }
responseBytes: 0
`);

const PARTNERS = parseScenario(`name: partners
cohorts:
  - name: partners
    role: legit
    clients: 4
    apiKey: partner
    requests:
      - { method: GET, path: /search, weight: 1 }
      - { method: GET, path: /items, weight: 1 }
    rate: [{ duration: 1h, rate: 100 }]
`);

describe("a usage plan's method throttle in the simulator", () => {
  it('holds each key on its route: /search serves 4 × (10 + 5 × 3,600), /items all 180,000', () => {
    // per key: 12.5 rps on /search against 5 rps burst 10 → 10 + 5 × 3,600 = 18,010; × 4 keys = 72,040
    // (one bucket for the 4 keys would pass 10 + 5 × 3,600 = 18,010; none would pass all 180,000)
    for (const adaptive of [true, false]) {
      const tl = simulate(PARTNERS, STACK, { horizonSeconds: 3600, adaptive });
      const search = tl.routes!['GET /search'];
      const items = tl.routes!['GET /items'];
      expect(search.offered).toBe(180_000);
      expect(search.succeeded).toBeCloseTo(72_040, 6);
      expect(search.gatewayThrottled).toBeCloseTo(180_000 - 72_040, 6);
      expect(items.succeeded).toBe(180_000);
      expect(conservationGap(cohortTotals(tl.cohorts[0]))).toBeCloseTo(0, 6);
    }
  });

  it('the unthrottled variant drops it: all 360,000 served', () => {
    const tl = simulate(PARTNERS, STACK, { horizonSeconds: 3600, throttled: false });
    expect(cohortTotals(tl.cohorts[0]).succeeded).toBe(360_000);
  });

  it("before the plan's own throttle: refused /search requests take none of the key's 20 rps", () => {
    // the plan also holds each key to 20 rps burst 20 in all. Per key, past /search's first 10:
    // /search passes 5 rps, /items brings 12.5, and 17.5 ≤ 20: the plan's own bucket refuses
    // nothing. (Its bucket first would meet all 25 rps per key and refuse 5 of them pro rata.)
    const stack = parseStack(`name: partners
api:
  kind: rest
  apiKeyRequired: true
  routes: { "GET /search": {}, "GET /items": {} }
  usagePlans:
    - { name: partner, throttle: { rate: 20, burst: 20 }, routes: { "GET /search": { rate: 5, burst: 10 } } }
lambda: { memoryMb: 512, duration: 100ms, initDuration: 0 }
responseBytes: 0
`);
    const tl = simulate(PARTNERS, stack, { horizonSeconds: 3600 });
    expect(tl.routes!['GET /search'].succeeded).toBeCloseTo(72_040, 6);
    expect(tl.routes!['GET /items'].succeeded).toBeCloseTo(180_000, 6);
  });
});
