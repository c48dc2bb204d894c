import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { liveRun, type LiveRunOptions } from '../../src/run/live-run.ts';
import { cohortTotals, timelineTotals } from '../../src/model/timeline.ts';
import { InputError } from '../../src/model/errors.ts';

const book = embeddedPriceBook('us-east-1');
const runDir = mkdtempSync(join(tmpdir(), 'dowsim-live-'));

// The machine running these tests is shared (2 cores, many processes): a 250 ms lateness tolerance
// keeps scheduler hiccups from turning into drops, so counts test the schedule and the limits.
// Dropped accounting under the default 50 ms is tested in test/load/dispatcher.test.ts. Evenly spaced
// arrivals: these tests count exact schedules (random arrivals are tested in test/run/one-basis.test.ts).
function run(scenarioYaml: string, stackYaml: string, more: Partial<LiveRunOptions> = {}) {
  return liveRun({ scenario: parseScenario(scenarioYaml), stack: parseStack(stackYaml), horizonSeconds: 86_400, runDir, book, lateToleranceMs: 250, arrivals: 'uniform', ...more });
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const TWO_COHORTS = `
name: two-cohorts
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 10, rate: [ { duration: 4s, rate: 20 } ] }
  - { name: bots, role: attack, clients: 100, rate: [ { duration: 4s, rate: 130 } ] }
`;
const STAGE_50 = `
name: stage-50
api: { kind: rest, stage: { rate: 50, burst: 100 } }
lambda: { memoryMb: 512, duration: 20ms }
`;

describe('dowsim run against the in-process emulator', () => {
  it('offers the schedule within 2 %, serves about 100 + 50 × 4 under a stage throttle of 50/100, and prices it', async () => {
    const { doc, runFile, report } = await run(TWO_COHORTS, STAGE_50);
    expect(report.reason).toBe('completed');
    expect(doc.source).toBe('emulator');
    const m = timelineTotals(doc.measured!);
    const drops = doc.measured!.cohorts.map((c) => c.buckets.map((b) => b.dropped).join(',')).join(' | ');
    expect(Math.abs(m.offered - 600) / 600, `dropped per second: ${drops}`).toBeLessThanOrEqual(0.02);
    expect(m.offered + m.dropped).toBe(600);
    const served = m.succeeded;
    // a token bucket on a real clock: within about 3 % of 100 + 50 × 4
    expect(served, `dropped ${m.dropped}`).toBeGreaterThanOrEqual(300 - 10);
    expect(served).toBeLessThanOrEqual(300 + 10);
    expect(m.gatewayThrottled).toBe(m.offered - served);
    // client and server counted the same requests the same way
    expect(doc.deviation!.succeeded.server).toBe(served);
    expect(doc.deviation!.gatewayThrottled.server).toBe(m.gatewayThrottled);
    expect(Math.abs(doc.deviation!.succeeded.relative)).toBeLessThan(0.03);
    expect(doc.warnings!.filter((w) => /did not take effect/.test(w))).toEqual([]);
    const s = doc.stacks[0];
    expect(s.throttled.bill.total).toBeGreaterThan(0);
    expect(s.throttled.totals.gbSeconds).toBeGreaterThan(0); // borrowed from the emulator
    expect(s.unthrottled.bill.total).toBeGreaterThan(s.throttled.bill.total);
    expect(s.notes?.some((n) => n.includes('simulator'))).toBe(true);
    const lines = readFileSync(runFile, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!).type).toBe('end');
  });

  it('repeats a scenario shorter than the run, a diurnal curve going on along its period', async () => {
    // a 2 s curve, mean 50, amplitude 25, period 4 s, run for 4 s: the second pass plays 2 s → 4 s
    // of the curve, so the run sends the whole period, 50 × 4 = 200 (the sine adds up to 0).
    // Replaying the first 2 s would send 2 × (100 + 25·4/2π·(1 − cos π)) = 2 × 131.8 = 263.7.
    const wave = `
name: wave
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 5, rate: [ { duration: 2s, diurnal: { mean: 50, amplitude: 25, period: 4s } } ] }
`;
    const { doc } = await run(wave, STAGE_50, { durationSeconds: 4 });
    const m = timelineTotals(doc.measured!);
    expect(m.offered + m.dropped).toBe(200);
    expect(timelineTotals(doc.predicted!).offered).toBe(200);
  });

  it('lets each client key reach its usage plan limits: per-key throttle and per-key quota', async () => {
    const { doc } = await run(
      `
name: keyed
request: { method: GET, path: /items }
cohorts:
  - { name: throttled-keys, role: attack, clients: 2, apiKey: slow, rate: [ { duration: 3s, rate: 40 } ] }
  - { name: metered-keys, role: attack, clients: 2, apiKey: metered, rate: [ { duration: 3s, rate: 30 } ] }
  - { name: no-key, role: attack, clients: 5, apiKey: none, rate: [ { duration: 3s, rate: 10 } ] }
`,
      `
name: usage-plans
api:
  kind: rest
  apiKeyRequired: true
  usagePlans:
    - { name: slow, throttle: { rate: 5, burst: 10 } }
    - { name: metered, quota: { limit: 30, period: DAY } }
lambda: { memoryMb: 128, duration: 10ms }
`,
    );
    const by = Object.fromEntries(doc.measured!.cohorts.map((c) => [c.name, cohortTotals(c)]));
    // each of 2 keys: burst 10 + 5/s × 3 s = 25 → 50 served of 120
    expect(by['throttled-keys'].succeeded).toBeGreaterThanOrEqual(48);
    expect(by['throttled-keys'].succeeded).toBeLessThanOrEqual(52);
    expect(by['throttled-keys'].gatewayThrottled).toBe(by['throttled-keys'].offered - by['throttled-keys'].succeeded);
    // each of 2 keys: 30 a day → 60 served of 90, then "Limit Exceeded"
    expect(by['metered-keys'].succeeded).toBe(60);
    expect(by['metered-keys'].quotaExceeded).toBe(by['metered-keys'].offered - 60);
    expect(by['no-key'].authRejected).toBe(by['no-key'].offered);
    for (const t of Object.values(by)) expect(t.offered + t.dropped).toBe(t === by['throttled-keys'] ? 120 : t === by['metered-keys'] ? 90 : 30);
  });

  it("gives two cohorts of one plan keys of their own: leechers on the plan's keys spend none of the users' tokens", async () => {
    // plan basic: 2 rps burst 4 per key. Users: 4 keys at 1 rps for 3 s, 12 requests, all within
    // each key's bucket. Leechers: 2 keys at 40 rps, 240 requests, 4 + 2 × 3 = 10 each served.
    // Had the leechers held the users' keys 0 and 1, those users would have been throttled too.
    const { doc } = await run(
      `
name: shared-plan
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 4, apiKey: basic, rate: [ { duration: 3s, rate: 4 } ] }
  - { name: leechers, role: attack, clients: 2, apiKey: basic, rate: [ { duration: 3s, rate: 80 } ] }
`,
      `
name: one-plan
api:
  kind: rest
  apiKeyRequired: true
  usagePlans: [ { name: basic, throttle: { rate: 2, burst: 4 } } ]
lambda: { memoryMb: 128, duration: 10ms }
`,
    );
    const by = Object.fromEntries(doc.measured!.cohorts.map((c) => [c.name, cohortTotals(c)]));
    expect(by.users.offered + by.users.dropped).toBe(12);
    expect(by.users.gatewayThrottled).toBe(0);
    expect(by.users.succeeded).toBe(by.users.offered);
    expect(by.leechers.succeeded).toBeGreaterThanOrEqual(18);
    expect(by.leechers.succeeded).toBeLessThanOrEqual(22);
  });

  it('lets fixed addresses run into a per-IP WAF rule while rotating ones slip under it', async () => {
    const { doc } = await run(
      `
name: botnet
request: { method: GET, path: /search }
cohorts:
  - { name: fixed, role: attack, clients: 2, rate: [ { duration: 3s, rate: 20 } ] }
  - { name: rotating, role: attack, clients: 2, rotate: 1s, rate: [ { duration: 3s, rate: 16 } ] }
`,
      `
name: waf
api: { kind: rest }
waf: { rules: 1, rateLimit: { limit: 10, window: 1m, key: forwarded-ip, delay: 0s } }
lambda: { memoryMb: 128, duration: 10ms }
`,
    );
    const by = Object.fromEntries(doc.measured!.cohorts.map((c) => [c.name, cohortTotals(c)]));
    const server = Object.fromEntries(doc.server!.cohorts.map((c) => [c.name, cohortTotals(c)]));
    // each fixed address gets about its first 10 through, then is blocked for the rest of the window
    expect(by.fixed.wafBlocked).toBeGreaterThanOrEqual(30);
    expect(by.fixed.succeeded + by.fixed.wafBlocked).toBe(by.fixed.offered);
    expect(by.fixed.wafBlocked).toBe(server.fixed.wafBlocked); // the client told WAF's 403 apart
    // 8 requests per address per epoch: never above the limit of 10
    expect(by.rotating.wafBlocked).toBe(0);
    expect(by.rotating.succeeded).toBe(by.rotating.offered);
    expect(by.rotating.offered + by.rotating.dropped).toBe(48);
  });

  it('says plainly when a throttle the stack declares does not take effect on the target', async () => {
    const s = createServer((_req, res) => res.end('{"ok":true}'));
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(s.address() as AddressInfo).port}/prod`;
    const { doc } = await run(
      `
name: flood
request: { method: GET, path: /items }
cohorts: [ { name: bots, role: attack, clients: 10, rate: [ { duration: 2s, rate: 200 } ] } ]
`,
      STAGE_50,
      { target },
    );
    expect(doc.source).toBe('staging');
    const m = timelineTotals(doc.measured!);
    expect(m.succeeded).toBe(m.offered);
    expect(m.offered + m.dropped).toBe(400);
    expect(m.offered).toBeGreaterThan(390);
    expect(doc.warnings!.join('\n')).toMatch(/stage throttle \(rate 50\/s, burst 100\) did not take effect: 4\d\d requests got through in 2s, far above the 200 it allows/);
    expect(doc.warnings!.join('\n')).not.toContain('dowsim collect'); // a loopback target has no CloudWatch
  });

  it('ends an interrupted run cleanly and prices what was measured until then', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1200);
    const { doc, report, runFile } = await run(TWO_COHORTS.replaceAll('4s', '30s'), STAGE_50, { signal: ac.signal });
    expect(report.reason).toBe('interrupted');
    expect(report.durationSeconds).toBeGreaterThan(1);
    expect(report.durationSeconds).toBeLessThan(3);
    const m = timelineTotals(doc.measured!);
    expect(m.offered).toBe(m.succeeded + m.gatewayThrottled);
    expect(Math.abs(m.offered + m.dropped - 150 * report.durationSeconds)).toBeLessThanOrEqual(3);
    expect(doc.warnings!.join('\n')).toMatch(/interrupted after/);
    expect(doc.stacks[0].throttled.bill.total).toBeGreaterThan(0);
    expect(existsSync(runFile)).toBe(true);
  });
});

describe('dowsim run safety', () => {
  const SCENARIO = `
name: flood
request: { method: GET, path: /items }
cohorts: [ { name: bots, role: attack, clients: 10, rate: [ { duration: 1m, rate: 1000 } ] } ]
`;
  it('refuses a host not named with --allow-target, naming the flag', async () => {
    const p = run(SCENARIO, STAGE_50, { target: 'https://api.example.invalid/prod', durationSeconds: 10 });
    await expect(p).rejects.toBeInstanceOf(InputError);
    await expect(p).rejects.toThrow(/--allow-target api\.example\.invalid/);
  });

  it('refuses an allowed host when the run is not bounded by --duration or --max-requests', async () => {
    await expect(run(SCENARIO, STAGE_50, { target: 'https://api.example.invalid/prod', allowTargets: ['api.example.invalid'] })).rejects.toThrow(
      /--duration.*--max-requests/,
    );
  });

  it('prints what the run will cost the target account and refuses above --max-cost unless --yes', async () => {
    const said: string[] = [];
    const p = run(SCENARIO, STAGE_50, {
      target: 'https://api.example.invalid/prod',
      allowTargets: ['api.example.invalid'],
      durationSeconds: 60,
      maxCost: 0,
      say: (l) => said.push(l),
    });
    await expect(p).rejects.toThrow(/--max-cost: the run is predicted to cost the target account \$.*above the \$0 ceiling.*--yes/);
    expect(said.join('\n')).toMatch(/This run sends about 60,000 requests to api\.example\.invalid over 1m; the simulator predicts 3,100 billed API requests/);
  });
});
