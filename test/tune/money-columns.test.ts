import { describe, expect, it } from 'vitest';
import type { TuneDocument, TunedConfig } from '../../src/tune/document.ts';
import { formatTuneSummary } from '../../src/tune/terminal.ts';

const config = (perHour: number, perScenario: number[]): TunedConfig => ({
  stack: {},
  perHour,
  legitSuccess: 1,
  sloMet: true,
  changes: [],
  perScenario: perScenario.map((p, i) => ({ scenario: `s${i}`, perHour: p, legitSuccess: 1, cohortSuccess: {} })),
});

describe('tune terminal summary: money at one precision per column', () => {
  it('the front and the per-scenario costs take the decimals their smallest amount needs', () => {
    // front: 0.0012, 3.5, 1234.5 → 4 decimals (two significant digits of 0.0012)
    // as given: 41.2, 1234.5 → cents; tuned: 0.0012, 3.5 → 4 decimals
    const doc = {
      stack: { name: 'api' },
      scenarios: ['s0', 's1'],
      slo: ['legit.success>=0.99'],
      search: { dimensions: [], capped: false },
      evaluated: 3,
      elapsedSeconds: 1,
      candidatesPerSecond: 3,
      baseline: config(1234.5, [41.2, 1234.5]),
      best: config(3.5, [0.0012, 3.5]),
      front: [0.0012, 3.5, 1234.5].map((perHour) => ({ perHour, legitSuccess: 1, sloMet: true, changes: [] })),
      patches: null,
    } as unknown as TuneDocument;
    const text = formatTuneSummary(doc);
    expect(text).toContain('  s0: $41.20/h → $0.0012/h');
    expect(text).toContain('  s1: $1,234.50/h → $3.5000/h');
    const front = text.slice(text.indexOf('Pareto front')).split('\n').slice(1, 4);
    expect(front.map((l) => l.trim().split(/\s+/)[1])).toEqual(['$0.0012/h', '$3.5000/h', '$1,234.5000/h']);
  });

  it('the search line names what was settled unsimulated, each kind only when there is some', () => {
    const doc = (implied: number, pruned: number) =>
      ({
        stack: { name: 'api' },
        scenarios: ['s0'],
        slo: ['legit.success>=0.99'],
        search: { dimensions: [{ id: 'api.stage', values: 3 }], capped: false, implied, pruned, spans: [] },
        evaluated: 3,
        elapsedSeconds: 1,
        candidatesPerSecond: 3,
        baseline: config(2, [2]),
        best: config(1, [1]),
        front: [],
        patches: null,
      }) as unknown as TuneDocument;
    const line = (implied: number, pruned: number) => formatTuneSummary(doc(implied, pruned)).split('\n')[1];
    expect(line(0, 0)).not.toMatch(/settled/);
    expect(line(15, 0)).toMatch(/; 15 more settled unsimulated \(15 implied by a simulated one\)$/);
    expect(line(0, 7)).toMatch(/; 7 more settled unsimulated \(7 pruned, shown unable to win by a cost floor or a run shared with a simulated one\)$/);
    expect(line(2, 3)).toMatch(/; 5 more settled unsimulated \(2 implied by a simulated one, 3 pruned, /);
  });
});
