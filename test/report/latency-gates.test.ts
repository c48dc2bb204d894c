import { describe, expect, it } from 'vitest';
import type { ResultDocument } from '../../src/model/result.ts';
import type { CohortTimeline } from '../../src/model/timeline.ts';
import { emptyTotals } from '../../src/model/totals.ts';
import { evaluateGates } from '../../src/report/gates.ts';
import { parseGate } from '../../src/gates/parse-gate.ts';
import { formatSummary } from '../../src/report/terminal.ts';
import { mapGates } from '../../src/k6/thresholds.ts';
import { runCli } from '../support/cli.ts';

const bill = { currency: 'USD' as const, total: 0, perHour: 0, lines: [] };
const variant = { totals: emptyTotals(), cohorts: {}, bill };
const cohort = (name: string, role: 'legit' | 'attack', p99: number): CohortTimeline => ({
  name,
  role,
  buckets: [{ ...emptyTotals(), offered: 10, succeeded: 10 }],
  latency: { count: 10, mean: p99 / 4, p50: p99 / 5, p90: p99 / 2, p99, max: p99 + 1 },
});
function doc(cohorts: CohortTimeline[] | undefined): ResultDocument {
  return {
    schema: 'dowsim.result/1',
    generatedAt: '2026-01-01T00:00:00Z',
    scenario: 's',
    horizonSeconds: 3600,
    source: 'emulator',
    prices: { region: 'us-east-1', asOf: '2026-01-01', source: 'embedded' },
    stacks: [{ name: 'st', apiKind: 'rest', throttled: variant, unthrottled: variant, savings: 0, damage: 0, collateral: 0 }],
    assumptions: [],
    ...(cohorts ? { measured: { source: 'emulator', durationSeconds: 1, bucketSeconds: 1, cohorts } } : {}),
  };
}

describe('latency gates (--fail-if latency.p99>800)', () => {
  const run = doc([cohort('users', 'legit', 450), cohort('bots', 'attack', 900)]);

  it('trips on the worst cohort, naming it; a role narrows the cohorts looked at', () => {
    const [trip] = evaluateGates(run, ['latency.p99>800']);
    expect(trip.value).toBe(900);
    expect(trip.message).toBe('latency.p99 = 900 ms > 800 (cohort bots)');
    expect(evaluateGates(run, ['latency.legit.p99>800'])).toEqual([]);
    // users p50 = 450 / 5 = 90 ms
    expect(evaluateGates(run, ['latency.legit.p50>=90'])[0].value).toBe(90);
  });

  it('trips, saying why, when the result has no latency (a simulation cannot hold a latency gate)', () => {
    const [trip] = evaluateGates(doc(undefined), ['latency.p99>800']);
    expect(trip.message).toMatch(/no latency measured in this result/);
  });

  it('simulate and compare refuse a latency gate as a usage error (exit 1), before printing anything: it could never hold there', async () => {
    for (const cmd of [['simulate', 'quick-flood', '--stack', 'rest-stage-throttled'], ['compare', 'quick-flood', '--stack', 'rest-stage-throttled', '--stack', 'rest-unprotected']]) {
      const r = await runCli([...cmd, '--horizon', '1h', '--fail-if', 'latency.p99>800']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^dowsim: --fail-if: "latency\.p99>800": latency is measured only by `run` and `import-k6`; a simulation has none to check/m);
      expect(r.stderr).not.toMatch(/gate tripped/);
      expect(r.stdout).toBe('');
    }
  });

  it('a misspelt latency metric is an input error listing the latency metrics', () => {
    expect(() => parseGate('latency.p95>1')).toThrow(/latency\.<p50\|p90\|p99\|max\|mean>/);
  });

  it('becomes a k6 threshold on http_req_duration', () => {
    expect(mapGates(['latency.p99>800', 'latency.legit.p50>=100'])).toMatchObject([
      { metric: 'http_req_duration', threshold: 'p(99)<=800' },
      { metric: 'http_req_duration{role:legit}', threshold: 'med<100' },
    ]);
  });

  it('the terminal shows p50/p90/p99 per cohort', () => {
    const text = formatSummary(run);
    expect(text).toMatch(/Latency per cohort/);
    expect(text).toMatch(/bots\s+10\s+180\s+450\s+900\s+901/);
  });
});
