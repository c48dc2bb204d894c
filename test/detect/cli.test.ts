import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'dowsim-detect-'));
const scenario = join(dir, 'flood.yaml');
const stack = join(dir, 'alarmed.yaml');
writeFileSync(
  scenario,
  `name: minute-ten-flood
description: 10 rps of users; a 1,000 rps flood from minute 10.
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 10, rate: [ { duration: 20m, rate: 10 } ] }
  - { name: bots, role: attack, clients: 100, rate: [ { duration: 10m, rate: 0 }, { duration: 10m, rate: 1000 } ] }
`,
);
writeFileSync(
  stack,
  `name: alarmed
api: { kind: rest }
lambda: { memoryMb: 128, duration: 100ms, initDuration: 300ms, timeout: 3s }
responseBytes: 1024
alarms:
  - { name: traffic, metric: Count, statistic: Sum, period: 1m, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 30000, comparison: GreaterThanThreshold, delay: 60s }
  - { name: lambda-throttles, metric: Throttles, statistic: Sum, period: 1m, threshold: 0 }
`,
);

describe('dowsim simulate with alarms (real CLI)', () => {
  it('--json: the 1-minute Count alarm fires at 720 s with the bill of 127,200 requests; the Throttles alarm never fires', async () => {
    const r = await runCli(['simulate', scenario, '--stack', stack, '--horizon', '1h', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const [traffic, throttles] = doc.stacks[0].throttled.detection;
    expect(traffic.alarm).toBe('traffic');
    expect(traffic.firesAtSeconds).toBe(720);
    // by 720 s: 10 × 720 + 1,000 × 120 = 127,200 requests, each 3.5e-6 (REST) + 0.2e-6 (Lambda)
    // + 0.0125 GB-s × 0.0000166667 + 300 B / 2^30 × 0.50 (logs) + 1,024 B / 2^30 × 0.09 (transfer)
    // = 4.13386e-6 → 0.52583 (INIT of ~101 cold starts adds 0.00006)
    const hand = 127_200 * (3.5e-6 + 0.2e-6 + 0.0125 * 0.0000166667 + (300 / 2 ** 30) * 0.5 + (1024 / 2 ** 30) * 0.09);
    expect(Math.abs(traffic.costBeforeUsd - hand) / hand).toBeLessThan(0.01);
    expect(throttles).toEqual({ alarm: 'lambda-throttles', firesAtSeconds: null, costBeforeUsd: doc.stacks[0].throttled.bill.total });
  });

  it('--fail-if gates on cost until detection exit 3; naming an alarm no stack has exits 1 before printing anything', async () => {
    const out = join(dir, 'reports');
    const tripped = await runCli(['simulate', scenario, '--stack', stack, '--horizon', '1h', '--out', out, '--format', 'csv,md', '--fail-if', 'detection.traffic.costBefore>0.5', '--fail-if', 'detection.firstSeconds>=720']);
    expect(tripped.code).toBe(3);
    expect(tripped.stderr).toContain('detection.traffic.costBefore = 0.53 > 0.5 on stack alarmed');
    expect(tripped.stderr).toContain('detection.firstSeconds = 720 (12m) >= 720 on stack alarmed');
    expect(tripped.stdout).toContain('lambda-throttles  never fires within 1h');
    const csv = readFileSync(join(out, 'minute-ten-flood-detection.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('stack,variant,alarm,firesAtSeconds,fires,costBeforeUsd');
    expect(csv[1]).toMatch(/^alarmed,throttled,traffic,720,yes,0\.52\d+$/);
    expect(csv[2]).toMatch(/^alarmed,throttled,lambda-throttles,,never,/);
    expect(readFileSync(join(out, 'minute-ten-flood.md'), 'utf8')).toContain('| lambda-throttles | **never fires within 1h** |');

    const passed = await runCli(['simulate', scenario, '--stack', stack, '--horizon', '1h', '--fail-if', 'detection.firstSeconds>720']);
    expect(passed.code).toBe(0);

    const unknown = await runCli(['simulate', scenario, '--stack', stack, '--horizon', '1h', '--json', '--fail-if', 'detection.nope.costBefore>1']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('--fail-if "detection.nope.costBefore>1": no stack has an alarm or budget named "nope"; the alarms and budgets are traffic, lambda-throttles');
  });
});
