import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { simulateResult } from '../../src/simulate/result.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { cohortTotals, timelineTotals } from '../../src/model/timeline.ts';
import { conservationGap } from '../../src/model/totals.ts';

/** An orders API: cheap GET /items on lambda (512 MB x86_64, 100 ms), POST /orders behind 10/20 on orders (2 GB arm64, 300 ms). */
const ORDERS = parseStack(`name: orders
api:
  kind: http
  routes:
    "GET /items": {}
    "POST /orders": { rate: 10, burst: 20, function: orders }
lambda: { memoryMb: 512, duration: 100ms, initDuration: 0 }
functions:
  - { name: orders, memoryMb: 2048, architecture: arm64, duration: 300ms, initDuration: 0 }
responseBytes: 0
`);

/** Users: 100 rps for an hour, 8:2 between GET /items and POST /orders: 80 rps and 20 rps. */
const USERS = `  - name: users
    role: legit
    requests:
      - { method: GET, path: /items, weight: 8 }
      - { method: POST, path: /orders, weight: 2 }
    rate: [{ duration: 1h, rate: 100 }]
`;
const MIX = parseScenario(`name: shop\ncohorts:\n${USERS}`);

describe('two functions behind two routes', () => {
  it('splits the mix exactly: 80 rps GET all served, 20 rps POST through 10/20 serves 20 + 10 × 3600', () => {
    const tl = simulate(MIX, ORDERS, { horizonSeconds: 3600 });
    const items = tl.routes!['GET /items'];
    const orders = tl.routes!['POST /orders'];
    expect(items.offered).toBe(80 * 3600); // 288,000
    expect(items.succeeded).toBe(288_000);
    expect(orders.offered).toBe(20 * 3600); // 72,000
    expect(orders.succeeded).toBe(20 + 10 * 3600); // 36,020
    expect(orders.gatewayThrottled).toBe(72_000 - 36_020);
    // GB-s per function: 288,000 × 0.1 s × 0.5 GB = 14,400; 36,020 × 0.3 s × 2 GB = 21,612
    expect(items.gbSeconds).toBeCloseTo(14_400, 6);
    expect(orders.gbSeconds).toBeCloseTo(21_612, 6);
    const users = cohortTotals(tl.cohorts[0]);
    expect(users.succeeded).toBe(288_000 + 36_020);
    expect(conservationGap(users)).toBe(0);
  });

  it('prices each function by its architecture: the hand-computed bill of an hour', () => {
    const doc = simulateResult(MIX, [ORDERS], { horizonSeconds: 3600, bookFor: embeddedPriceBook });
    const bill = doc.stacks[0].throttled.bill;
    const line = (item: string) => bill.lines.find((l) => l.item.startsWith(item));
    // Embedded us-east-1 prices (aws-facts.md):
    //   HTTP API: 324,020 requests × $1.00/M                      = $0.324020
    //   Lambda requests: 324,020 × $0.20/M                         = $0.064804
    //   x86_64: 288,000 × 0.1 s × 0.5 GB = 14,400 GB-s × $0.0000166667 = $0.240000480
    //   arm64:   36,020 × 0.3 s × 2 GB   = 21,612 GB-s × $0.0000133334 = $0.288161441
    //   logs: 324,020 × 300 B = 97,206,000 B / 2^30 = 0.0905301 GB × $0.50 = $0.045265
    //   data out: 35,980 429s × 31 B ({"message":"Too Many Requests"}) = 1,115,380 B
    //             / 2^30 = 0.00103878 GB × $0.09 = $0.0000935
    //   total = $0.9623440
    expect(line('HTTP API requests')!.quantity).toBe(324_020);
    expect(line('HTTP API requests')!.cost).toBeCloseTo(0.32402, 6);
    expect(line('Lambda requests')!.cost).toBeCloseTo(0.064804, 6);
    expect(line('Lambda duration (x86_64)')!.quantity).toBeCloseTo(14_400, 6);
    expect(line('Lambda duration (x86_64)')!.cost).toBeCloseTo(0.24000048, 6);
    expect(line('Lambda duration (arm64)')!.quantity).toBeCloseTo(21_612, 6);
    expect(line('Lambda duration (arm64)')!.cost).toBeCloseTo(0.2881614408, 6);
    expect(line('Log ingestion')!.cost).toBeCloseTo(0.045265, 5);
    expect(Math.abs(bill.total - 0.962344) / 0.962344).toBeLessThan(0.01);
    expect(bill.total).toBeCloseTo(0.962344, 4);

    const routes = doc.stacks[0].throttled.routes!;
    expect(routes['POST /orders'].succeeded).toBe(36_020);
    expect(doc.stacks[0].routeFunctions).toEqual({ 'POST /orders': 'orders' });
    // without the route throttle every POST is served: 72,000
    expect(doc.stacks[0].unthrottled.routes!['POST /orders'].succeeded).toBe(72_000);
  });

  it('a function with reserved concurrency throttles alone; the others keep the unreserved rest', () => {
    // orders reserves 2: 20 rps × 0.3 s needs 6 environments → Lambda throttles POSTs, never GETs
    const tight = parseStack(`name: tight
api:
  kind: http
  routes: { "GET /items": {}, "POST /orders": { function: orders } }
lambda: { memoryMb: 512, duration: 100ms, initDuration: 0 }
functions:
  - { name: orders, memoryMb: 2048, architecture: arm64, duration: 300ms, initDuration: 0, reservedConcurrency: 2 }
`);
    const tl = simulate(MIX, tight, { horizonSeconds: 600 });
    expect(tl.routes!['GET /items'].lambdaThrottled).toBe(0);
    expect(tl.routes!['GET /items'].succeeded).toBe(80 * 600);
    // 2 environments × (1 / 0.3 s) ≈ 6.67 invocations a second at most, of 20 offered
    const served = tl.routes!['POST /orders'].succeeded / 600;
    expect(served).toBeGreaterThan(6);
    expect(served).toBeLessThan(7);
  });

  it('functions without reserved concurrency share the account: two floods on a 200 account get 200 environments together', () => {
    // each route alone would need 1,000 rps × 0.2 s = 200 environments; together they have 200, not 400
    const shared = parseStack(`name: shared
api:
  kind: rest
  routes: { "GET /a": {}, "GET /b": { function: b } }
lambda: { memoryMb: 512, duration: 200ms, initDuration: 0, accountConcurrency: 200 }
functions:
  - { name: b, memoryMb: 512, duration: 200ms, initDuration: 0 }
`);
    const both = parseScenario(`name: both
cohorts:
  - { name: x, role: attack, requests: [{ path: /a }, { path: /b }], rate: [{ duration: 10m, rate: 2000 }] }
`);
    const t = timelineTotals(simulate(both, shared, { horizonSeconds: 600 }));
    // at most 200 environments / 0.2 s = 1,000 invocations a second in all
    expect(t.succeeded / 600).toBeLessThanOrEqual(1000 * 1.01);
    expect(t.succeeded / 600).toBeGreaterThan(900);
    expect(t.lambdaThrottled).toBeGreaterThan(0);
  });
});

describe('a stage throttle over two routes', () => {
  /** ORDERS with a stage throttle of 50/100 instead of the route's own, and one where POST /orders keeps 10/20. */
  const staged = (orders: string) =>
    parseStack(`name: orders-staged
api:
  kind: http
  stage: { rate: 50, burst: 100 }
  routes:
    "GET /items": {}
    "POST /orders": { ${orders}function: orders }
lambda: { memoryMb: 512, duration: 100ms, initDuration: 0 }
functions:
  - { name: orders, memoryMb: 2048, architecture: arm64, duration: 300ms, initDuration: 0 }
responseBytes: 0
`);
  // users 100 rps in an 8:2 mix (80 GET, 20 POST); bots 200 rps of POST /orders, all for an hour
  const FLOOD = parseScenario(`name: order-flood
cohorts:
${USERS}  - name: bots
    role: attack
    requests: [{ method: POST, path: /orders }]
    rate: [{ duration: 1h, rate: 200 }]
`);

  it('is applied per route, as AWS applies it per method: each route gets a bucket of its own of the stage\'s size', () => {
    const tl = simulate(FLOOD, staged(''), { horizonSeconds: 3600 });
    const items = tl.routes!['GET /items'];
    const orders = tl.routes!['POST /orders'];
    // GET /items: 80 rps into its own 50/100 bucket: 100 + 50 × 3600 = 180,100 of 288,000
    expect(items.offered).toBe(288_000);
    expect(items.succeeded).toBeCloseTo(180_100, 6);
    // POST /orders: 220 rps (20 users, 200 bots) into another 50/100: 180,100 of 792,000, split
    // 20:200 → users 16,372.7…, bots 163,727.2…
    expect(orders.offered).toBe(792_000);
    expect(orders.succeeded).toBeCloseTo(180_100, 6);
    const [users, bots] = tl.cohorts.map(cohortTotals);
    // (the cohorts' counts are whole requests)
    expect(users.succeeded).toBeCloseTo(180_100 + (180_100 * 20) / 220, 0);
    expect(bots.succeeded).toBeCloseTo((180_100 * 200) / 220, 0);
    // (one stage-wide bucket would pass 180,100 in all, across both routes)
  });

  it('a route\'s own throttle takes the stage\'s place on that route: POST /orders through 10/20 only', () => {
    const tl = simulate(FLOOD, staged('rate: 10, burst: 20, '), { horizonSeconds: 3600 });
    // GET /items keeps the stage's 50/100 to itself: 180,100; POST /orders 20 + 10 × 3600 = 36,020
    expect(tl.routes!['GET /items'].succeeded).toBeCloseTo(180_100, 6);
    expect(tl.routes!['POST /orders'].succeeded).toBeCloseTo(36_020, 6);
  });
});
