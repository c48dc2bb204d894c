import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.ts';
import { parseGate } from '../../src/gates/parse-gate.ts';
import { evaluateGates } from '../../src/report/gates.ts';
import { simulatedFixture } from './fixture.ts';

describe('--fail-if gates', () => {
  it('parses metric, operator and threshold', () => {
    expect(parseGate('cost.perHour>50')).toMatchObject({ metric: 'cost.perHour', op: '>', threshold: 50 });
    expect(parseGate(' savings <= 100.5 ')).toMatchObject({ metric: 'savings', op: '<=', threshold: 100.5 });
    expect(parseGate('collateral>=1%')).toMatchObject({ metric: 'collateral', op: '>=', threshold: 0.01 });
    expect(parseGate('totals.lambdaThrottled!=0')).toMatchObject({ metric: 'totals.lambdaThrottled', op: '!=', threshold: 0 });
    expect(parseGate('damage==0')).toMatchObject({ op: '==' });
    expect(parseGate('cost.total<1e3')).toMatchObject({ threshold: 1000 });
  });

  it('answers a bad gate with an InputError that names it', () => {
    for (const bad of ['cost.perHour>', 'cost.perhour>50', 'money>5', 'cost.perHour=>5', 'savings>5%', 'totals.nope>1', '']) {
      let err: unknown;
      try {
        parseGate(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(InputError);
      expect((err as InputError).message).toContain(`--fail-if "${bad}"`);
    }
  });

  it('trips when any stack crosses the line, saying which stack and the value', () => {
    const doc = simulatedFixture();
    const unprotected = doc.stacks[0].throttled.bill.perHour;
    const trips = evaluateGates(doc, ['cost.perHour>5']);
    expect(unprotected).toBeGreaterThan(5);
    const names = trips.map((t) => t.stack);
    expect(names).toContain('rest-unprotected');
    for (const s of doc.stacks) expect(names.includes(s.name)).toBe(s.throttled.bill.perHour > 5);
    const t = trips.find((x) => x.stack === 'rest-unprotected')!;
    expect(t.value).toBe(unprotected);
    expect(t.message).toBe(`cost.perHour = ${unprotected.toFixed(2)} > 5 on stack rest-unprotected`);
  });

  it('does not trip when every stack is on the right side', () => {
    const doc = simulatedFixture();
    const max = Math.max(...doc.stacks.map((s) => s.throttled.bill.total));
    expect(evaluateGates(doc, [`cost.total>${Math.ceil(max)}`, 'collateral>1', 'totals.offered<0'])).toEqual([]);
  });

  it('checks collateral, savings and outcome totals against the document', () => {
    const doc = simulatedFixture();
    const throttled = doc.stacks.find((s) => s.name === 'rest-stage-throttled')!;
    expect(throttled.collateral).toBeGreaterThan(0.01);
    const c = evaluateGates(doc, ['collateral>1%']);
    expect(c.map((t) => t.stack)).toEqual(doc.stacks.filter((s) => s.collateral > 0.01).map((s) => s.name));
    expect(c[0].message).toMatch(/^collateral = 0\.\d+ \(\d+(\.\d+)?%\) > 1% on stack /);
    const s = evaluateGates(doc, ['savings<100']);
    expect(s.map((t) => t.stack)).toEqual(doc.stacks.filter((x) => x.savings < 100).map((x) => x.name));
    const g = evaluateGates(doc, ['totals.gatewayThrottled>0']);
    expect(g.map((t) => t.stack)).toEqual(doc.stacks.filter((x) => x.throttled.totals.gatewayThrottled > 0).map((x) => x.name));
  });
});
