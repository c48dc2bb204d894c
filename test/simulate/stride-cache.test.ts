import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { planStride } from '../../src/simulate/stride.ts';
import { stridePlanner } from '../../src/simulate/stride-cache.ts';

// a diurnal curve (gradual: strides plan) and a ramp, one lane each
const text = `
name: gradual
description: test
cohorts:
  - { name: users, role: legit, clients: 100, rate: [ { duration: 1h, diurnal: { mean: 20, amplitude: 10, period: 24h } } ] }
  - { name: bots, role: attack, clients: 5, rate: [ { duration: 1h, ramp: [10, 30] } ] }
`;

function lanesOf(scenario: ReturnType<typeof parseScenario>, share: number) {
  return scenario.cohorts.map((c) => ({ segments: c.rate, duration: 3600, share, cohort: c }));
}

describe('stride plans remembered per scenario', () => {
  it('answers what planStride answers, asked again or asked first', () => {
    const scenario = parseScenario(text);
    const lanes = lanesOf(scenario, 1);
    const first = stridePlanner(scenario, lanes);
    const again = stridePlanner(scenario, lanes); // a second simulation of the same scenario
    for (const t of [0, 100, 1800, 3590]) {
      const direct = planStride(lanes, t, 3600, 300);
      expect(first(t, 3600, 300)).toEqual(direct);
      expect(again(t, 3600, 300)).toEqual(direct);
    }
    // at t = 0 the ramp 10 → 30 over 1 h climbs 20/3600 per s; halving from 300 s: 37 s climbs 0.206 > 1 % of
    // ~10.2, 18 s climbs 0.1 ≤ 1 % of ~10.1 (the diurnal lane allows 150 s): an 18 s stride
    expect(first(0, 3600, 300)?.length).toBe(18);
  });

  it('keeps plans of lanes with other shares apart', () => {
    const scenario = parseScenario(text);
    const whole = stridePlanner(scenario, lanesOf(scenario, 1))(100, 3600, 300);
    const half = stridePlanner(scenario, lanesOf(scenario, 0.5))(100, 3600, 300);
    expect(whole).toBeDefined();
    // half the share carries half the arrivals
    expect(half!.n[0]).toBeCloseTo(whole!.n[0] / 2, 9);
  });

  it("plans directly for lanes that are not the scenario's own cohorts", () => {
    const scenario = parseScenario(text);
    const other = parseScenario(text.replace('mean: 20', 'mean: 40'));
    const lanes = lanesOf(other, 1);
    // keyed on `scenario` but with `other`'s cohorts: nothing may be remembered under `scenario`
    expect(stridePlanner(scenario, lanes)(100, 3600, 300)).toEqual(planStride(lanes, 100, 3600, 300));
    expect(stridePlanner(scenario, lanesOf(scenario, 1))(100, 3600, 300)).toEqual(planStride(lanesOf(scenario, 1), 100, 3600, 300));
  });
});
