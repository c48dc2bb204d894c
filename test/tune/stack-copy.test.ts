import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { searchSpace } from '../../src/tune/tune.ts';
import { writableCopy } from '../../src/tune/stack-copy.ts';

// Every kind of setting tune writes, on one stack: a stage, declared routes with a second
// function behind one and a catch-all (GET /search becomes a route of its own), a usage plan with a throttle and a quota, a web ACL with a rate rule, and
// reserved concurrency. The flood's cohort holds the plan's key and calls both routes.
const base = parseStack(`
name: everything
api:
  kind: rest
  stage: { rate: 800, burst: 400 }
  apiKeyRequired: true
  routes:
    "GET /items": { rate: 500, burst: 500 }
    "POST /orders": { function: orders }
    "ANY /{proxy+}": {}
  usagePlans:
    - { name: basic, throttle: { rate: 50, burst: 100 }, quota: { limit: 100000, period: DAY } }
waf: { rules: 2, rateLimit: { limit: 2000, window: 5m } }
lambda: { memoryMb: 512, duration: 200ms, reservedConcurrency: 200 }
functions:
  - { name: orders, memoryMb: 1024, duration: 1s, functionName: orders-fn }
`);
const scenario = parseScenario(`
name: keyed-flood
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 100, apiKey: basic, rate: [ { duration: 2m, rate: 10 } ] }
  - name: bots
    role: attack
    clients: 4
    apiKey: basic
    requests: [ { method: GET, path: /items, weight: 1 }, { method: POST, path: /orders, weight: 1 }, { method: GET, path: /search, weight: 1 } ]
    rate: [ { duration: 2m, rate: 2000 } ]
`);

describe('writableCopy: a stack each candidate writes into', () => {
  it('holds exactly what a deep copy would after every value of every dimension is written, and the base never changes', () => {
    const before = structuredClone(base);
    const dims = searchSpace(base, [scenario]);
    // one dimension per kind of setting (routes: the declared one and a new one), so every write path runs
    expect(dims.map((d) => d.id).sort()).toEqual([
      'api.routes["GET /items"]',
      'api.routes["GET /search"]',
      'api.routes["POST /orders"]',
      'api.stage',
      'api.usagePlans[0].quota',
      'api.usagePlans[0].throttle',
      'functions[0].reservedConcurrency',
      'lambda.reservedConcurrency',
      'waf.rateLimit',
    ]);
    let written = 0;
    for (const d of dims) {
      for (let v = 0; v < d.size; v++) {
        const copy = writableCopy(base);
        d.apply(copy, v);
        const deep = structuredClone(base);
        d.apply(deep, v);
        expect(copy).toEqual(deep);
        written++;
      }
    }
    // and all of them at once, value after value on the same copy
    const copy = writableCopy(base);
    const deep = structuredClone(base);
    for (const d of dims) for (let v = d.size - 1; v >= 0; v--) [copy, deep].forEach((s) => d.apply(s, v));
    expect(copy).toEqual(deep);
    expect(base).toEqual(before);
    expect(written).toBeGreaterThan(dims.length * 2);
  });
});
