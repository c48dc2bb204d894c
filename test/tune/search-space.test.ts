import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { loadPriceBook } from '../../src/pricing/loader.ts';
import { searchSpace, tune } from '../../src/tune/tune.ts';
import { Evaluator } from '../../src/tune/evaluate.ts';
import { parseSlo } from '../../src/tune/slo.ts';
import { stackFileYaml } from '../../src/tune/stack-file.ts';

// A small account (stage ≤ 500 rps, burst ≤ 250; 150 concurrent executions, so at most 50
// reserved) and a flood far above it: every bound AWS sets is within the search's reach.
const stack = parseStack(`
name: small-account
api:
  kind: rest
  account: { rate: 500, burst: 250 }
  apiKeyRequired: true
  usagePlans:
    - { name: basic, throttle: { rate: 50, burst: 100 } }
lambda: { memoryMb: 512, duration: 200ms, accountConcurrency: 150 }
`);
const scenario = parseScenario(`
name: keyed-flood
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 100, apiKey: basic, rate: [ { duration: 2m, rate: 10 } ] }
  - { name: bots, role: attack, clients: 4, apiKey: basic, rate: [ { duration: 2m, rate: 2000 } ] }
`);

describe('the search space keeps to what AWS allows', () => {
  it('every candidate: stage and plan rates ≤ the account rate, bursts ≤ its burst, WAF limit ≥ 10 on a 60/120/300/600 s window, reserved ≤ 150 − 100', () => {
    const dims = searchSpace(stack, [scenario]);
    expect(dims.map((d) => d.id).sort()).toEqual(['api.stage', 'api.usagePlans[0].quota', 'api.usagePlans[0].throttle', 'lambda.reservedConcurrency', 'waf.rateLimit']);
    const ev = new Evaluator(stack, [scenario], dims, parseSlo([], [scenario]), loadPriceBook('us-east-1'));
    let checked = 0;
    // every value of every dimension, the others as given
    dims.forEach((d, i) => {
      for (let v = 0; v < d.size; v++) {
        const c = dims.map((x) => x.base);
        c[i] = v;
        const s = ev.stackFor(c);
        for (const t of [s.api.stage, s.api.usagePlans[0].throttle]) {
          if (!t) continue;
          expect(t.rate).toBeLessThanOrEqual(500);
          expect(t.burst).toBeLessThanOrEqual(250);
          expect(t.rate).toBeGreaterThan(0);
        }
        const r = s.waf?.rateLimit;
        if (r) {
          expect(r.limit).toBeGreaterThanOrEqual(10);
          expect([60, 120, 300, 600]).toContain(r.windowSeconds);
          expect(s.waf!.rules).toBe(1);
        }
        if (s.lambda.reservedConcurrency !== undefined) expect(s.lambda.reservedConcurrency).toBeLessThanOrEqual(50);
        const q = s.api.usagePlans[0].quota;
        if (q) {
          // a user's key: 0.1 rps × 120 s = 12 per run, 8,640 a DAY of repeated runs; a bot's key:
          // 500 rps × 120 s = 60,000 per run. A WEEK (60,480 for a user) has no room below the bots.
          expect(q.period).toBe('DAY');
          expect(Number.isInteger(q.limit)).toBe(true);
          expect(q.limit).toBeGreaterThanOrEqual(8_640);
          expect(q.limit).toBeLessThanOrEqual(60_000);
        }
        // and the stack parser, which enforces the same AWS rules, accepts the stack file as written
        expect(parseStack(stackFileYaml(s, []))).toEqual(s);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(20);
  });

  it('no rate below what legit traffic needs, none above the peak legit + attack rate', () => {
    const stage = searchSpace(stack, [scenario]).find((d) => d.id === 'api.stage')!;
    const rates: number[] = [];
    for (let v = 1; v < stage.size; v++) rates.push(Number(/ (\S+)\//.exec(stage.describe(v))![1]));
    // users send 10 rps together; all together 2,010 rps, capped by the account's 500
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...rates)).toBeLessThanOrEqual(500);
  });

  it('is deterministic: the same inputs give the same answer and the same front', () => {
    const slo = parseSlo(['legit.success>=0.99'], [scenario]);
    const run = () => tune(stack, [scenario], { slo, book: loadPriceBook('us-east-1'), maxEvaluations: 150, now: new Date(0) }).doc;
    const a = run();
    const b = run();
    expect(b).toEqual(a);
    expect(a.evaluated).toBeLessThanOrEqual(150);
  });

  it('several functions: reserved concurrency per function reached, a new route throttle keeps its function, and no combination reserves more than the account allows', () => {
    const two = parseStack(`
name: two-functions
api:
  kind: rest
  routes:
    "ANY /{proxy+}": {}
    "ANY /orders/{id}": { function: orders }
lambda: { memoryMb: 512, accountConcurrency: 300 }
functions:
  - { name: orders, memoryMb: 1024, duration: 500ms }
  - { name: idle, memoryMb: 128, reservedConcurrency: 20 }
`);
    const mix = parseScenario(`
name: order-flood
cohorts:
  - name: users
    role: legit
    clients: 50
    requests: [ { method: GET, path: /items, weight: 3 }, { method: POST, path: /orders/1, weight: 1 } ]
    rate: [ { duration: 2m, rate: 40 } ]
  - name: bots
    role: attack
    clients: 1000
    rotate: 10s
    requests: [ { method: POST, path: /orders/7, weight: 1 }, { method: GET, path: /items, weight: 1 } ]
    rate: [ { duration: 2m, rate: 1000 } ]
`);
    const dims = searchSpace(two, [mix]);
    const ids = dims.map((d) => d.id);
    // "idle" gets no request: its 20 reserved stay, and the others may reserve at most 300 − 100 − 20
    expect(ids).toEqual(expect.arrayContaining(['lambda.reservedConcurrency', 'functions[0].reservedConcurrency', 'api.routes["POST /orders/7"]']));
    expect(ids).not.toContain('functions[1].reservedConcurrency');
    const ev = new Evaluator(two, [mix], dims, parseSlo([], [mix]), loadPriceBook('us-east-1'));
    const route = dims.findIndex((d) => d.id === 'api.routes["POST /orders/7"]');
    const c = dims.map((d) => d.base);
    c[route] = dims[route].coarse[1];
    const s = ev.stackFor(c);
    expect(s.api.routeFunctions?.['POST /orders/7']).toBe('orders');
    for (const i of [0, 1]) {
      for (let v = 1; v < dims[i].size; v++) expect(ev.stackFor(dims.map((d, j) => (j === i ? v : d.base))).functions!.length).toBe(2);
    }
    // Each at its top: lambda ≈ (30 + 500 rps) × 0.1 s ≈ 53, orders capped at 300 − 100 − 20 = 180;
    // with idle's 20 that is over 200: AWS would refuse it, so it can never be the answer
    const lam = ids.indexOf('lambda.reservedConcurrency');
    const ord = ids.indexOf('functions[0].reservedConcurrency');
    const top = (d: number) => dims[d].size - 1;
    const both = dims.map((d) => d.base);
    both[lam] = top(lam);
    both[ord] = top(ord);
    const e = ev.evaluate(both);
    const reserved = (e.stack.lambda.reservedConcurrency ?? 0) + (e.stack.functions![0].reservedConcurrency ?? 0) + 20;
    expect(reserved).toBeGreaterThan(200);
    expect(e.sloMet).toBe(false);
    expect(e.perHour).toBe(Infinity);
    expect(() => parseStack(stackFileYaml(e.stack, []))).toThrow(/reserved by all functions together/);
  });
});

describe('the stage throttle\'s bounds are per route, as AWS applies it', () => {
  // Users 50 rps in an 8:2 mix (GET /items 40, POST /orders 10), bots 500 rps of POST /orders.
  // Each route gets a bucket of the stage's size: no route's users need more than 40 rps, and no
  // route carries more than 10 + 500 = 510. (Stage-wide, the bounds would be 50 and 550.)
  const orders = parseStack(`name: orders
api:
  kind: http
  routes: { "GET /items": {}, "POST /orders": {} }
lambda: { memoryMb: 512, duration: 100ms }
`);
  const flood = parseScenario(`name: order-flood
cohorts:
  - name: users
    role: legit
    requests: [{ method: GET, path: /items, weight: 8 }, { method: POST, path: /orders, weight: 2 }]
    rate: [{ duration: 10m, rate: 50 }]
  - { name: bots, role: attack, request: { method: POST, path: /orders }, rate: [{ duration: 10m, rate: 500 }] }
`);

  it('from just above the busiest route\'s legit peak (40) to the busiest route\'s total (510)', () => {
    const stage = searchSpace(orders, [flood]).find((d) => d.id === 'api.stage')!;
    const rates = Array.from({ length: stage.size - 1 }, (_, i) => Number(/api\.stage (\S+)\//.exec(stage.describe(i + 1))![1]));
    // 40 itself is left out (random arrivals at 40 a second empty a bucket refilling at 40): the
    // next rung, 40 × 1.05 = 42
    expect(Math.min(...rates)).toBe(42);
    expect(Math.max(...rates)).toBeLessThanOrEqual(510);
    expect(Math.max(...rates)).toBeGreaterThan(450);
  });
});

describe('a route throttle the stack already has is searched', () => {
  // Users (100 rps in all, 5 each from 20 IPs) and bots (1,500 rps from 5 IPs, 300 each) all call
  // GET /items, whose own throttle of 5/10 turns nearly every user away. A stage throttle cannot
  // lift a method's override, so the route's own dimension must be searched: without it no
  // candidate meets the SLO. With it, dropping the route throttle and adding a per-IP WAF rule does
  // (a user sends 300 a minute, a bot 18,000: a limit between them blocks only bots).
  const routeOnly = parseStack(`
name: route-only
api: { kind: rest, routes: { "GET /items": { rate: 5, burst: 10 } } }
lambda: { memoryMb: 1024, duration: 100ms, initDuration: 0ms }
`);
  const flood = parseScenario(`
name: items-flood
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 20, rate: [ { duration: 60s, rate: 100 } ] }
  - { name: bots, role: attack, clients: 5, rate: [ { duration: 60s, rate: 1500 } ] }
`);

  it('when its one route carries every request', () => {
    expect(searchSpace(routeOnly, [flood]).map((d) => d.id)).toContain('api.routes["GET /items"]');
    const { doc } = tune(routeOnly, [flood], { slo: parseSlo(['legit.success>=0.999'], [flood]), book: loadPriceBook('us-east-1') });
    expect(doc.best).not.toBeNull();
    expect(doc.best!.legitSuccess).toBeGreaterThanOrEqual(0.999);
    expect(doc.best!.changes.map((c) => c.path)).toContain('api.routes["GET /items"].rate');
    expect(doc.best!.stack).toMatchObject({ waf: { rateLimit: { limit: expect.any(Number) } } });
  });
});
