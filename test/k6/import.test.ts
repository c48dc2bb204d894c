import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { importK6Output, importK6Summary, k6Result, withoutGatewayThrottles } from '../../src/k6/import.ts';
import { simulateResult } from '../../src/simulate/result.ts';
import { InputError } from '../../src/model/errors.ts';
import { OUTCOMES } from '../../src/model/outcomes.ts';
import { cohortTotals, timelineTotals } from '../../src/model/timeline.ts';
import { conservationGap, emptyTotals, type Totals } from '../../src/model/totals.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { evenly, k6JsonLines, k6SummaryExport, type FakeRequest } from './fake-k6.ts';

const dir = mkdtempSync(join(tmpdir(), 'dowsim-k6-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outcomesOf = (t: Totals) => Object.fromEntries(OUTCOMES.map((o) => [o, t[o]]));

// A 3 s run as k6 would record it against a stage throttle of rate 50, burst 100 (written by hand,
// k6's documented output format: see fake-k6.ts; a real k6 run is k6-e2e.test.ts). The bucket's
// 100 tokens + 50 refilled serve 150 in the first second, 50 a second after that:
//   users (legit): 20 a second, all served                              → 60 served
//   bots (attack): second 1: 100 served; seconds 2 and 3: 30 served + 70 "Too Many Requests" each
//                                                                       → 160 served, 140 throttled
// In all: 360 offered, 220 served, 140 gatewayThrottled.
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
const users = { cohort: 'users', role: 'legit' as const };
const bots = { cohort: 'bots', role: 'attack' as const };
const tooMany = { status: 429, message: 'Too Many Requests', bytesReceived: 33 };
const requests: FakeRequest[] = [
  ...evenly(60, 0, 3000, { ...users, status: 200, bytesReceived: 300 }),
  ...evenly(100, 0, 1000, { ...bots, status: 200, bytesReceived: 300 }),
  ...evenly(30, 1000, 2000, { ...bots, status: 200, bytesReceived: 300 }),
  ...evenly(70, 1005, 2005, { ...bots, ...tooMany }),
  ...evenly(30, 2000, 3000, { ...bots, status: 200, bytesReceived: 300 }),
  ...evenly(70, 2005, 2995, { ...bots, ...tooMany }),
];

describe('import of a k6 run (k6 output written by hand): stage rate 50, burst 100', () => {
  const out = join(dir, 'run.ndjson');
  writeFileSync(out, k6JsonLines(requests));

  it("offered equals k6's http_reqs, and every request is accounted for", async () => {
    const { timeline } = await importK6Output(out, stack, scenario);
    const t = timelineTotals(timeline);
    expect(t.offered).toBe(360);
    expect(conservationGap(t)).toBe(0);
  });

  it('splits outcomes by status and message: 220 served, 140 throttled', async () => {
    const { timeline } = await importK6Output(out, stack, scenario);
    const t = timelineTotals(timeline);
    expect(outcomesOf(t)).toEqual({ ...outcomesOf(emptyTotals()), succeeded: 220, gatewayThrottled: 140 });
    // REST bills what reached the integration: the 220 served
    expect(t.billedApiRequests).toBe(220);
  });

  it('keeps per-second buckets per cohort tag, with roles, client latency and bytes received', async () => {
    const { timeline } = await importK6Output(out, stack, scenario);
    expect(timeline.source).toBe('k6');
    expect(timeline.bucketSeconds).toBe(1);
    expect(timeline.cohorts.map((c) => [c.name, c.role])).toEqual([['users', 'legit'], ['bots', 'attack']]);
    // the run's own length: first (0 ms) to last request — the 70th 429 of the third second, at
    // 2,005 + 990 × 69/70 = 2,980.4 ms, written to the ms: 2,980 — plus one mean gap (2.98 s / 359)
    expect(timeline.durationSeconds).toBeCloseTo(2.98 + 2.98 / 359, 3); // k6 times are read to the ms
    expect(timeline.cohorts[1].buckets.map((b) => [b.offered, b.succeeded, b.gatewayThrottled])).toEqual([
      [100, 100, 0],
      [100, 30, 70],
      [100, 30, 70],
    ]);
    const u = cohortTotals(timeline.cohorts[0]);
    expect(u).toMatchObject({ offered: 60, succeeded: 60 });
    expect(timeline.cohorts[0].latency!.count).toBe(60);
    expect(u.bytesOut).toBe(60 * 300);
    expect(cohortTotals(timeline.cohorts[1]).bytesOut).toBe(160 * 300 + 140 * 33);
  });

  it('reads the same run gzipped (--out json=results.gz)', async () => {
    const gz = join(dir, 'run.ndjson.gz');
    writeFileSync(gz, gzipSync(readFileSync(out)));
    const a = timelineTotals((await importK6Output(out, stack, scenario)).timeline);
    const b = timelineTotals((await importK6Output(gz, stack, scenario)).timeline);
    expect(b).toEqual(a);
  });

  it('--summary of the same run gives the same totals from the per-cohort sub-metrics', async () => {
    const summaryFile = join(dir, 'summary.json');
    writeFileSync(summaryFile, JSON.stringify(k6SummaryExport(requests, 3), null, 4));
    const fromSummary = importK6Summary(summaryFile, stack, scenario);
    expect(fromSummary.timeline.cohorts.map((c) => c.buckets.length)).toEqual([1, 1]);
    const u = cohortTotals(fromSummary.timeline.cohorts.find((c) => c.name === 'users')!);
    const b = cohortTotals(fromSummary.timeline.cohorts.find((c) => c.name === 'bots')!);
    expect(u).toMatchObject({ offered: 60, succeeded: 60, gatewayThrottled: 0, bytesOut: 18_000 });
    expect(b).toMatchObject({ offered: 300, succeeded: 160, gatewayThrottled: 140, bytesOut: 160 * 300 + 140 * 33 });
    expect(fromSummary.timeline.cohorts.find((c) => c.name === 'users')!.role).toBe('legit');
  });

  it('prices the run: source k6, throttles save the 429s, legit traffic bills less than the whole', async () => {
    const imported = await importK6Output(out, stack, scenario);
    const doc = k6Result({ imported, stack, book: embeddedPriceBook('us-east-1'), file: out, scenario });
    expect(doc.source).toBe('k6');
    expect(doc.schema).toBe('dowsim.result/1');
    const s = doc.stacks[0];
    expect(s.throttled.totals.offered).toBe(360);
    // unthrottled: the 140 throttled go to the function too
    expect(s.unthrottled.totals.succeeded).toBe(360);
    expect(s.savings).toBeGreaterThan(0);
    expect(s.damage).toBeGreaterThan(0);
    expect(s.throttled.totals.billedApiRequests).toBe(220);
    expect(s.throttled.totals.gbSeconds).toBeCloseTo(220 * 0.005 * 0.5, 9); // 5 ms × 0.5 GB each
    expect(doc.assumptions.join(' ')).toMatch(/cold starts and INIT time are not visible/);
    // priced over its own length: nothing scaled, and the document does not say it was
    expect(doc.assumptions.join(' ')).not.toMatch(/scaled linearly/);
    // over an hour: scaled, and said so
    const hour = k6Result({ imported, stack, book: embeddedPriceBook('us-east-1'), file: out, scenario, horizonSeconds: 3600 });
    expect(hour.assumptions.join(' ')).toMatch(/scaled linearly to the horizon/);
  });

  it('a simulation never says its counts were scaled: it simulates the whole horizon', () => {
    const sim = simulateResult(scenario, [stack], { horizonSeconds: 86_400, bookFor: embeddedPriceBook });
    expect(sim.assumptions.join(' ')).not.toMatch(/scaled/);
  });
});

describe('outcomes told apart by what the script recorded: quota vs rate, keys', () => {
  // users send no key: 403 "Forbidden". 4 bot keys of a plan with a quota of 15 a day: 60 served,
  // then 429 "Limit Exceeded" (quota) for 20 more, and 10 × 429 "Too Many Requests" (rate).
  const quotaStack = parseStack(`
name: k6-quota
api:
  kind: rest
  apiKeyRequired: true
  usagePlans:
    - { name: basic, throttle: { rate: 100, burst: 100 }, quota: { limit: 15, period: DAY } }
lambda: { memoryMb: 128, duration: 2ms }
`);
  const out = join(dir, 'quota.ndjson');
  writeFileSync(
    out,
    k6JsonLines([
      ...evenly(20, 0, 2000, { ...users, status: 403, message: 'Forbidden' }),
      ...evenly(60, 0, 1500, { ...bots, status: 200 }),
      ...evenly(20, 1500, 2000, { ...bots, status: 429, message: 'Limit Exceeded' }),
      ...evenly(10, 1000, 2000, { ...bots, status: 429, message: 'Too Many Requests' }),
    ]),
  );

  it('429 "Limit Exceeded" counts as quotaExceeded, 429 "Too Many Requests" as gatewayThrottled, 403 as authRejected', async () => {
    const { timeline, notes } = await importK6Output(out, quotaStack);
    const t = timelineTotals(timeline);
    expect(outcomesOf(t)).toEqual({ ...outcomesOf(emptyTotals()), succeeded: 60, quotaExceeded: 20, gatewayThrottled: 10, authRejected: 20 });
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
