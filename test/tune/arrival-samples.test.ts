import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { repeatedArrivals } from '../../src/scenario/repetition.ts';
import { scenarioDuration } from '../../src/scenario/profile.ts';
import { sampleArrivals } from '../../src/tune/arrival-samples.ts';
import { judgedSpan } from '../../src/tune/span.ts';

// Segments of every shape, boundaries off the second (2.5 s), so that a sample straddles two
// segments, and a diurnal curve that moves across repetitions (a 50 s scenario on a 120 s period).
const odd = parseScenario(`
name: odd
request: { method: GET, path: /x }
cohorts:
  - name: a
    role: legit
    clients: 1
    rate:
      - { duration: 2.5s, rate: 3 }
      - { duration: 10s, ramp: [3, 9] }
      - { duration: 7.5s, exponential: { start: 1, factor: 2, every: 2.5s } }
      - { duration: 10s, pulse: { high: 40, low: 2, on: 1.5s, off: 1.5s } }
      - { duration: 20s, diurnal: { mean: 10, amplitude: 5, period: 2m } }
  - { name: b, role: attack, clients: 1, rate: [ { duration: 30s, random: { min: 0, max: 100, every: 7s, seed: 3 } } ] }
`);

describe('sampleArrivals: a profile sampled at once', () => {
  // repeatedArrivals per sample is the reference: the bounds must not move by a bit
  it.each([
    { name: 'botnet-flood (a 24 h curve over 24 runs of 1 h)', scenario: loadScenario('botnet-flood') },
    { name: 'pulse-bursts', scenario: loadScenario('pulse-bursts') },
    { name: 'random-flood', scenario: loadScenario('random-flood') },
    { name: 'every shape, off-second boundaries', scenario: odd },
  ])('$name: every sample is what repeatedArrivals answers for it, bit for bit, on steps that fit the scenario and steps that do not', ({ scenario }) => {
    const S = Math.max(1, scenarioDuration(scenario));
    const span = judgedSpan(scenario).seconds;
    for (const step of [1, 10, 7]) {
      const n = Math.ceil(span / step);
      for (const cohort of scenario.cohorts) {
        const got = new Float64Array(n);
        sampleArrivals(cohort.rate, got, n, step, span, S);
        const differ: number[] = [];
        for (let k = 0; k < n; k++) if (!Object.is(got[k], repeatedArrivals(cohort.rate, k * step, Math.min(span, (k + 1) * step), S))) differ.push(k);
        expect(differ).toEqual([]);
      }
    }
  });
});
