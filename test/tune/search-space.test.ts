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
    expect(dims.map((d) => d.id).sort()).toEqual(['api.stage', 'api.usagePlans[0].throttle', 'lambda.reservedConcurrency', 'waf.rateLimit']);
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
});
