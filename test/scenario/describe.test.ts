import { describe, expect, it } from 'vitest';
import { describeCohort } from '../../src/scenario/describe.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { parseScenario } from '../../src/scenario/parse.ts';

describe('describeCohort', () => {
  it('describes DESIGN\'s botnet in one line', () => {
    const bots = loadScenario('botnet-flood').cohorts[1];
    expect(describeCohort(bots)).toBe(
      'bots (attack, 2,000 clients, new IPs every 5m): 0 rps for 5m, then ramp 0→5,000 rps over 1m, then 5,000 rps for 54m',
    );
  });

  it('names keys, bodies and every shape', () => {
    const s = parseScenario(`
name: all
cohorts:
  - name: one
    role: legit
    apiKey: basic
    request: { method: POST, bodyBytes: 1200000 }
    rate:
      - { duration: 1h, exponential: { start: 10, factor: 2, every: 6m } }
      - { duration: 10m, pulse: { high: 100, low: 0, on: 30s, off: 1m } }
      - { duration: 1h, random: { min: 0, max: 4000, every: 30s, seed: 42 } }
      - { duration: 1h, diurnal: { mean: 20, amplitude: 10, period: 24h } }
  - { name: two, role: attack, apiKey: invalid, rate: [{ duration: 1s, rate: 2.5 }] }
`);
    expect(describeCohort(s.cohorts[0])).toBe(
      'one (legit, 1 client, 1.2 MB bodies, API keys of plan "basic"): ' +
        'exponential 10→10,240 rps (×2 every 6m) over 1h, ' +
        'then pulses of 100 rps for 30s, then 0 rps for 1m, repeated over 10m, ' +
        'then random 0–4,000 rps, a new rate every 30s (seed 42) for 1h, ' +
        'then diurnal 20 ± 10 rps (period 1d) for 1h',
    );
    expect(describeCohort(s.cohorts[1])).toBe('two (attack, 1 client, invalid API keys): 2.5 rps for 1s');
  });
});
