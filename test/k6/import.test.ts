import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { buildK6Export } from '../../src/k6/export.ts';
import { importK6Output, importK6Summary, k6Result, withoutGatewayThrottles } from '../../src/k6/import.ts';
import { InputError } from '../../src/model/errors.ts';
import { OUTCOMES } from '../../src/model/outcomes.ts';
import { cohortTotals, timelineTotals } from '../../src/model/timeline.ts';
import { conservationGap, type Totals } from '../../src/model/totals.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { arrivalsBetween } from '../../src/scenario/profile.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { fakeK6Run, type FakeRun } from './fake-k6.ts';

const dir = mkdtempSync(join(tmpdir(), 'dowsim-k6-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outcomesOf = (t: Totals) => Object.fromEntries(OUTCOMES.map((o) => [o, t[o]]));

// Two cohorts for 3 s at 120 rps in all against a stage throttle of 50 rps, burst 100:
// the bucket serves its 100 tokens, then 50 per second.
const scenario = parseScenario(`
name: k6-import
request: { method: GET, path: /items }
cohorts:
  - name: users
    role: legit
    clients: 10
    rate: [{ duration: 3s, rate: 20 }]
  - name: bots
    role: attack
    clients: 200
    rate: [{ duration: 3s, rate: 100 }]
`);
const stack = parseStack(`
name: k6-stage-throttled
api: { kind: rest, stage: { rate: 50, burst: 100 } }
lambda: { memoryMb: 512, duration: 5ms }
`);

describe('import of a (fake) k6 run against the emulator: stage rate 50, burst 100', () => {
  let emu: Emulator;
  let run: FakeRun;
  const out = join(dir, 'run.ndjson');
  beforeAll(async () => {
    emu = await startEmulator({ stack, seed: 7 });
    const exp = buildK6Export(scenario, stack, { target: emu.apiUrl });
    run = await fakeK6Run(exp, { target: emu.apiUrl, out });
  });
  afterAll(async () => emu?.close());

  it("offered equals k6's http_reqs, and every request is accounted for", async () => {
    const { timeline } = await importK6Output(out, stack, scenario);
    const t = timelineTotals(timeline);
    expect(run.httpReqs).toBe(Math.round(arrivalsBetween(scenario.cohorts[0].rate, 0, 3) + arrivalsBetween(scenario.cohorts[1].rate, 0, 3)));
    expect(t.offered).toBe(run.httpReqs);
    expect(conservationGap(t)).toBe(0);
  });

  it('splits outcomes exactly as the emulator counted them: ≈ 100 + 50 × 3 served, the rest throttled', async () => {
    const { timeline } = await importK6Output(out, stack, scenario);
    const t = timelineTotals(timeline);
    expect(outcomesOf(t)).toEqual(outcomesOf(emu.totals()));
    // the bucket's 100, then 50 a second for as long as requests kept coming (3 s, longer if this
    // busy machine let timers slip)
    expect(t.succeeded).toBeGreaterThanOrEqual(100 + 50 * 3 - 10);
    expect(t.succeeded).toBeLessThanOrEqual(100 + 50 * Math.max(3, run.sendingSeconds) + 10);
    expect(t.gatewayThrottled).toBe(t.offered - t.succeeded);
  });

  it('keeps per-second buckets per cohort tag, with roles, client latency and bytes received', async () => {
    const { timeline } = await importK6Output(out, stack, scenario);
    expect(timeline.source).toBe('k6');
    expect(timeline.bucketSeconds).toBe(1);
    expect(timeline.cohorts.map((c) => [c.name, c.role])).toEqual([['users', 'legit'], ['bots', 'attack']]);
    // the run's own length: first to last request, plus one mean gap
    expect(timeline.durationSeconds).toBeGreaterThan(run.sendingSeconds - 0.005);
    expect(timeline.durationSeconds).toBeLessThan(run.sendingSeconds + 0.1);
    expect(timeline.cohorts[0].buckets.length).toBeGreaterThanOrEqual(3);
    const users = cohortTotals(timeline.cohorts[0]);
    expect(users.offered).toBe(60);
    expect(timeline.cohorts[0].latency!.count).toBe(60);
    expect(users.bytesOut).toBeGreaterThan(0);
    // the first second: the bucket's 100 tokens and the first 50 of refill at most
    const first = timeline.cohorts.reduce((s, c) => s + c.buckets[0].succeeded, 0);
    expect(first).toBeLessThanOrEqual(150);
  });

  it('reads the same run gzipped (--out json=results.gz)', async () => {
    const gz = join(dir, 'run.ndjson.gz');
    writeFileSync(gz, gzipSync(readFileSync(out)));
    const a = timelineTotals((await importK6Output(out, stack, scenario)).timeline);
    const b = timelineTotals((await importK6Output(gz, stack, scenario)).timeline);
    expect(b).toEqual(a);
  });

  it('--summary on the same run gives the same totals from the per-cohort sub-metrics', async () => {
    const summaryFile = join(dir, 'summary.json');
    writeFileSync(summaryFile, JSON.stringify(run.summary, null, 4));
    const fromSummary = importK6Summary(summaryFile, stack, scenario);
    const fromPoints = await importK6Output(out, stack, scenario);
    expect(fromSummary.timeline.cohorts.map((c) => c.buckets.length)).toEqual([1, 1]);
    for (const name of ['users', 'bots']) {
      const a = cohortTotals(fromSummary.timeline.cohorts.find((c) => c.name === name)!);
      const b = cohortTotals(fromPoints.timeline.cohorts.find((c) => c.name === name)!);
      expect({ ...outcomesOf(a), offered: a.offered }).toEqual({ ...outcomesOf(b), offered: b.offered });
      expect(a.bytesOut).toBe(b.bytesOut);
    }
    expect(fromSummary.timeline.cohorts.find((c) => c.name === 'users')!.role).toBe('legit');
  });

  it('prices the run: source k6, throttles save the 429s, legit traffic bills less than the whole', async () => {
    const imported = await importK6Output(out, stack, scenario);
    const doc = k6Result({ imported, stack, book: embeddedPriceBook('us-east-1'), file: out, scenario });
    expect(doc.source).toBe('k6');
    expect(doc.schema).toBe('dowsim.result/1');
    const s = doc.stacks[0];
    expect(s.throttled.totals.offered).toBe(run.httpReqs);
    expect(s.unthrottled.totals.succeeded).toBe(run.httpReqs);
    expect(s.savings).toBeGreaterThan(0);
    expect(s.damage).toBeGreaterThan(0);
    expect(s.throttled.totals.billedApiRequests).toBe(s.throttled.totals.succeeded);
    expect(s.throttled.totals.gbSeconds).toBeCloseTo(s.throttled.totals.invoked * 0.005 * 0.5, 6);
    expect(doc.assumptions.join(' ')).toMatch(/cold starts and INIT time are not visible/);
  });
});

describe('outcomes told apart by what the script recorded: quota vs rate, keys', () => {
  // Every bot holds its own key of plan "basic" with a quota of 15 a day: the 16th request of a
  // key is "Limit Exceeded" (429 like a throttle, told apart only by its body); users send no key (403).
  const quotaScenario = parseScenario(`
name: k6-quota
request: { method: GET, path: /items }
cohorts:
  - name: users
    role: legit
    clients: 5
    rate: [{ duration: 2s, rate: 10 }]
  - name: bots
    role: attack
    clients: 4
    apiKey: basic
    rate: [{ duration: 2s, rate: 40 }]
`);
  const quotaStack = parseStack(`
name: k6-quota
api:
  kind: rest
  stage: { rate: 1000, burst: 1000 }
  apiKeyRequired: true
  usagePlans:
    - { name: basic, throttle: { rate: 100, burst: 100 }, quota: { limit: 15, period: DAY } }
lambda: { memoryMb: 128, duration: 2ms }
`);
  let emu: Emulator;
  const out = join(dir, 'quota.ndjson');
  beforeAll(async () => {
    emu = await startEmulator({ stack: quotaStack, seed: 3 });
    await fakeK6Run(buildK6Export(quotaScenario, quotaStack, { target: emu.apiUrl }), { target: emu.apiUrl, out });
  });
  afterAll(async () => emu?.close());

  it('429 "Limit Exceeded" counts as quotaExceeded and 403 as authRejected, matching the emulator', async () => {
    const { timeline, notes } = await importK6Output(out, quotaStack, quotaScenario);
    const t = timelineTotals(timeline);
    expect(t.quotaExceeded).toBe(80 - 4 * 15);
    expect(t.authRejected).toBe(20);
    expect(t.succeeded).toBe(60);
    expect(outcomesOf(t)).toEqual(outcomesOf(emu.totals()));
    expect(notes.join(' ')).toMatch(/messages the dowsim script recorded/);
  });
});

describe('k6 outputs written by hand (shape of k6 docs)', () => {
  const point = (metric: string, time: string, tags: Record<string, string> | null, value = 1) =>
    JSON.stringify({ type: 'Point', data: { time, value, tags }, metric });

  it("a hint that lands in the next second than its request still decides that request's outcome", async () => {
    const f = join(dir, 'straddle.ndjson');
    const tags = { cohort: 'bots', role: 'attack', status: '429', method: 'GET', scenario: 'bots', url: 'http://127.0.0.1/x', name: 'GET /x' };
    writeFileSync(
      f,
      [
        JSON.stringify({ type: 'Metric', data: { type: 'counter', contains: 'default', tainted: null, thresholds: [], submetrics: null }, metric: 'dowsim_responses' }),
        point('http_reqs', '2024-05-09T14:34:44.999999000+02:00', tags),
        point('dowsim_responses', '2024-05-09T14:34:45.000003000+02:00', { cohort: 'bots', role: 'attack', status: '429', message: 'Limit Exceeded' }),
        point('http_reqs', '2024-05-09T14:34:45.500000000+02:00', tags),
        point('dowsim_responses', '2024-05-09T14:34:45.500010000+02:00', { cohort: 'bots', role: 'attack', status: '429', message: 'Too Many Requests' }),
      ].join('\n') + '\n',
    );
    const { timeline } = await importK6Output(f, stack);
    const b = timeline.cohorts[0].buckets;
    expect(b.map((x) => [x.quotaExceeded, x.gatewayThrottled])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(timeline.startTime).toBe('2024-05-09T12:34:44.000Z');
  });

  it('untagged points (a script not made by dowsim) count as cohort "k6" by status alone', async () => {
    const f = join(dir, 'foreign.ndjson');
    const t = '2017-05-09T14:34:45.239531499+02:00';
    const base = { group: '::my group::json', method: 'GET', url: 'https://example.com/' };
    writeFileSync(
      f,
      [
        JSON.stringify({ type: 'Metric', data: { type: 'gauge', contains: 'default', tainted: null, thresholds: [], submetrics: null }, metric: 'vus' }),
        point('vus', '2017-05-09T14:34:45.625742514+02:00', null, 5),
        point('http_reqs', t, { ...base, status: '200' }),
        point('http_req_duration', t, { ...base, status: '200' }, 459.865729),
        point('http_reqs', t, { ...base, status: '500' }),
        point('http_reqs', t, { ...base, status: '502' }),
        point('http_reqs', t, { ...base, status: '504' }),
        point('http_reqs', t, { ...base, status: '403' }),
        point('http_reqs', t, { ...base, status: '429' }),
        point('http_reqs', t, { ...base, status: '404' }),
        point('http_reqs', t, { ...base, status: '0' }),
        '{"type":"Point","data":{"time":"2017-05-09T14:34:46', // cut short: k6 was killed
      ].join('\n'),
    );
    const { timeline, notes, stats } = await importK6Output(f, stack);
    expect(timeline.cohorts.map((c) => [c.name, c.role])).toEqual([['k6', 'attack']]);
    const x = timelineTotals(timeline);
    expect(x.offered).toBe(8);
    expect(outcomesOf(x)).toMatchObject({ succeeded: 2, lambdaThrottled: 1, failed: 1, timedOut: 1, authRejected: 1, gatewayThrottled: 1 });
    expect(x.connectionErrors).toBe(1);
    expect(timeline.cohorts[0].latency!.count).toBe(1);
    expect(stats!.badLines).toBe(1);
    expect(notes.join(' ')).toMatch(/status codes alone/);
  });

  it('a file that is not k6 output is an input error naming the file, not a stack trace', async () => {
    const f = join(dir, 'not-k6.json');
    writeFileSync(f, '{"hello": "world"}\n');
    await expect(importK6Output(f, stack)).rejects.toThrow(InputError);
    await expect(importK6Output(f, stack)).rejects.toThrow(/not-k6\.json: line 1 is not k6 JSON output/);
    await expect(importK6Output(join(dir, 'missing.ndjson'), stack)).rejects.toThrow(/missing\.ndjson: no such file/);
  });

  it('a summary from a script not made by dowsim is refused with what to do instead', () => {
    const f = join(dir, 'foreign-summary.json');
    writeFileSync(f, JSON.stringify({ root_group: {}, metrics: { http_reqs: { count: 10, rate: 1 } } }));
    expect(() => importK6Summary(f, stack)).toThrow(/no per-cohort counts.*--out json/);
  });
});

describe('the unthrottled variant', () => {
  it('moves what API Gateway threw back with 429 to the function, billed like a success', () => {
    const base = { offered: 10, wafBlocked: 0, authRejected: 1, gatewayThrottled: 4, quotaExceeded: 2, lambdaThrottled: 0, succeeded: 3, failed: 0, timedOut: 0, invoked: 3, coldStarts: 0, gbSeconds: 0, initGbSeconds: 0, billedApiRequests: 3, bytesOut: 0, dropped: 0, connectionErrors: 0 };
    const tl = { source: 'k6' as const, durationSeconds: 1, bucketSeconds: 1, cohorts: [{ name: 'bots', role: 'attack' as const, buckets: [base] }] };
    const u = withoutGatewayThrottles(tl, stack).cohorts[0].buckets[0];
    expect(u).toMatchObject({ gatewayThrottled: 0, quotaExceeded: 0, succeeded: 9, invoked: 9, authRejected: 1, billedApiRequests: 9 });
  });
});
