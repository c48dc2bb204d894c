import { describe, expect, it } from 'vitest';
import { describeCohort } from '../../src/scenario/describe.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { arrivalsBetween, constantUntil, profileDuration, rateAt } from '../../src/scenario/profile.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { builtInTexts, cleanFailure, malformedInput } from './fuzz-inputs.ts';

function checkScenario(s: Scenario): string | undefined {
  for (const c of s.cohorts) {
    const d = profileDuration(c.rate);
    if (!(d > 0 && Number.isFinite(d))) return `cohort ${c.name} lasts ${d}`;
    for (let k = 0; k <= 10; k++) {
      const t = (d * k) / 10;
      const r = rateAt(c.rate, t);
      if (!(r >= 0 && Number.isFinite(r))) return `rate ${r} at ${t}`;
      if (!(constantUntil(c.rate, t) >= t)) return `constantUntil before ${t}`;
    }
    const n = arrivalsBetween(c.rate, 0, d);
    if (!(n >= 0 && Number.isFinite(n))) return `arrivals ${n}`;
    if (typeof describeCohort(c) !== 'string') return 'no description';
  }
  return undefined;
}

describe('fuzz: malformed scenario files', () => {
  it('2,000 malformed variants of the built-in scenarios only ever fail with clean InputErrors', () => {
    const sources = builtInTexts('scenario');
    const failures: string[] = [];
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const text = malformedInput(sources, 1, i);
      try {
        const s = parseScenario(text, 'fuzz.yaml');
        const bad = checkScenario(s);
        if (bad) failures.push(`#${i} accepted but ${bad}`);
      } catch (err) {
        rejected++;
        const bad = cleanFailure(err);
        if (bad) failures.push(`#${i}: ${bad}\n--- input ---\n${text.slice(0, 2000)}`);
      }
    }
    expect(failures.slice(0, 3)).toEqual([]);
    expect(rejected).toBeGreaterThan(1000); // the mutations really are malformed, mostly
  });
});
