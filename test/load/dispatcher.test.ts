import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Segment } from '../../src/scenario/types.ts';
import { ArrivalSchedule } from '../../src/load/schedule.ts';
import { dispatch, type DispatchCohort, type DispatchOptions } from '../../src/load/dispatcher.ts';
import { IdentityPlan } from '../../src/load/identity.ts';
import { Recorder } from '../../src/load/recorder.ts';
import { cohortTotals, timelineTotals } from '../../src/model/timeline.ts';

const constant = (rate: number, duration: number): Segment => ({ kind: 'constant', rate, duration });

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = createServer(handler);
  s.keepAliveTimeout = 60_000;
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

interface Plan {
  cohorts: (DispatchCohort & { segments: Segment[]; clients: number; rotate?: number })[];
  duration: number;
  runFile?: string;
}

async function drive(origin: string, plan: Plan, extra: Partial<DispatchOptions> = {}) {
  const schedule = new ArrivalSchedule(plan.cohorts, { durationSeconds: plan.duration });
  const recorder = new Recorder({ cohorts: plan.cohorts, source: 'emulator', startTime: new Date(), plannedSeconds: plan.duration, runFile: plan.runFile });
  const report = await dispatch({
    origin,
    cohorts: plan.cohorts,
    identities: new IdentityPlan(plan.cohorts.map((c) => c.clients)),
    apiKind: 'rest',
    schedule,
    recorder,
    connections: 64,
    ...extra,
  });
  const timeline = recorder.finish(report.durationSeconds);
  return { report, timeline, totals: timelineTotals(timeline) };
}

const cohort = (name: string, segments: Segment[], more: Partial<Plan['cohorts'][number]> = {}): Plan['cohorts'][number] => ({
  name,
  role: 'attack',
  method: 'GET',
  path: '/items',
  bodyBytes: 0,
  segments,
  clients: 1,
  ...more,
});

describe('dispatcher', () => {
  it('offers a 400 rps schedule to a fast target on time: every request sent, none dropped, per second within 2 %', async () => {
    const origin = await serve((_req, res) => res.end('ok'));
    // 250 ms tolerance: the test machine is shared; this checks the schedule, not the OS scheduler
    const { report, timeline, totals } = await drive(origin, { cohorts: [cohort('flood', [constant(400, 2)])], duration: 2 }, { lateToleranceMs: 250 });
    expect(report.reason).toBe('completed');
    expect(totals.offered).toBe(800);
    expect(totals.dropped).toBe(0);
    expect(totals.succeeded).toBe(800);
    for (const b of timeline.cohorts[0].buckets) expect(Math.abs(b.offered - 400) / 400).toBeLessThanOrEqual(0.02);
    expect(timeline.cohorts[0].latency?.count).toBe(800);
  });

  it('books requests a slow target leaves no room for as dropped, never sends them late', async () => {
    // The target answers after 2 s; 4 requests may be in flight; 50 rps for 1 s is due.
    const origin = await serve((_req, res) => setTimeout(() => res.end('slow'), 2000));
    const { totals } = await drive(origin, { cohorts: [cohort('flood', [constant(50, 1)])], duration: 1 }, { connections: 4, maxInFlight: 4 });
    expect(totals.offered).toBe(4);
    expect(totals.dropped).toBe(46);
    expect(totals.succeeded).toBe(4);
    expect(totals.offered + totals.dropped).toBe(50);
  });

  it('measures latency from the due time: requests queued behind a slow answer show their wait', async () => {
    // One connection, answers after 300 ms, 10 requests due every 100 ms. Request k (0 … 9) is due
    // at 100·k ms but can only go out when k − 1 is answered, at 300·k ms, and is answered at
    // 300·(k + 1) ms: its latency from the due time is 300 + 200·k ms (from the send time it would
    // be 300). Σ = 10 × 300 + 200 × 45 = 12,000 ms → mean 1,200 ms; the last 300 + 1,800 = 2,100 ms.
    // The machine can only add delay, so these are lower bounds (no timing upper bound asserted).
    const origin = await serve((_req, res) => setTimeout(() => res.end('slow'), 300));
    const { totals, timeline } = await drive(
      origin,
      { cohorts: [cohort('queued', [constant(10, 1)])], duration: 1 },
      { connections: 1, maxInFlight: 1, lateToleranceMs: 10_000 },
    );
    expect(totals).toMatchObject({ offered: 10, succeeded: 10, dropped: 0 });
    const l = timeline.cohorts[0].latency!;
    expect(l.count).toBe(10);
    // the histogram keeps ~3 significant digits: allow 1 % below the exact figure
    expect(l.mean).toBeGreaterThanOrEqual(1200 * 0.99);
    expect(l.max).toBeGreaterThanOrEqual(2100 * 0.99);
    expect(l.p50).toBeGreaterThanOrEqual(1100 * 0.99); // 5th of 10: 300 + 200 × 4
  });

  it('sends each client its own forwarded address and key, the cohort and role, and a body of bodyBytes', async () => {
    const seen: { xff: string; key?: string; cohort?: string; role?: string; bytes: number }[] = [];
    const origin = await serve((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        seen.push({
          xff: String(req.headers['x-forwarded-for']),
          key: req.headers['x-api-key'] as string | undefined,
          cohort: req.headers['x-dowsim-cohort'] as string | undefined,
          role: req.headers['x-dowsim-role'] as string | undefined,
          bytes,
        });
        res.end('ok');
      });
    });
    const { timeline } = await drive(origin, {
      cohorts: [
        cohort('users', [constant(20, 1)], { role: 'legit', clients: 4, apiKey: (c) => `key-${c}` }),
        cohort('bots', [constant(20, 1)], { clients: 5, method: 'POST', bodyBytes: 1000 }),
      ],
      duration: 1,
    }, { lateToleranceMs: 250 });
    const users = seen.filter((s) => s.cohort === 'users');
    const bots = seen.filter((s) => s.cohort === 'bots');
    expect(users).toHaveLength(cohortTotals(timeline.cohorts[0]).offered);
    expect(users.length).toBeGreaterThanOrEqual(16);
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(['legit']));
    expect(new Set(users.map((u) => u.key))).toEqual(new Set(['key-0', 'key-1', 'key-2', 'key-3']));
    expect(new Set(users.map((u) => u.xff)).size).toBe(4);
    expect(bots.length).toBeGreaterThanOrEqual(16);
    expect(new Set(bots.map((b) => b.xff)).size).toBe(5);
    expect(bots.every((b) => b.key === undefined && b.role === 'attack' && b.bytes === 1000)).toBe(true);
    // no address is shared between cohorts
    expect(users.some((u) => bots.some((b) => b.xff === u.xff))).toBe(false);
  });

  it('gives rotating clients fresh addresses every epoch', async () => {
    const xffs: string[][] = [[], []];
    const start = performance.now();
    const origin = await serve((req, res) => {
      xffs[performance.now() - start < 1000 ? 0 : 1].push(String(req.headers['x-forwarded-for']));
      res.end('ok');
    });
    await drive(origin, { cohorts: [cohort('bots', [constant(20, 2)], { clients: 3, rotate: 1 })], duration: 2 }, { lateToleranceMs: 250 });
    const first = new Set(xffs[0].slice(0, -1));
    const second = new Set(xffs[1].slice(1));
    expect(first.size).toBe(3);
    expect(second.size).toBe(3);
    expect([...first].some((a) => second.has(a))).toBe(false);
  });

  it('a forging cohort sends "<fresh forged address>, <its client\'s address>" as X-Forwarded-For', async () => {
    const xffs: string[] = [];
    const origin = await serve((req, res) => {
      xffs.push(String(req.headers['x-forwarded-for']));
      res.end('ok');
    });
    await drive(origin, { cohorts: [cohort('bots', [constant(20, 1)], { clients: 2, forgeForwardedFor: true })], duration: 1 }, { lateToleranceMs: 250 });
    expect(xffs.length).toBeGreaterThanOrEqual(16);
    const hops = xffs.map((x) => x.split(', '));
    expect(hops.every((h) => h.length === 2)).toBe(true);
    // first hops: one per request, never a client's (forged ones end in ::f)
    expect(new Set(hops.map((h) => h[0])).size).toBe(xffs.length);
    expect(hops.every((h) => h[0].startsWith('2001:db8:ffff:') && h[0].endsWith('::f'))).toBe(true);
    // last hops: the two clients' own addresses (identities 0 and 1: TEST-NET-1 .1 and .2)
    expect(new Set(hops.map((h) => h[1]))).toEqual(new Set(['192.0.2.1', '192.0.2.2']));
  });

  it('classifies what comes back into the outcome vocabulary', async () => {
    const answers: Record<string, [number, string, Record<string, string>?]> = {
      '/ok': [200, '{"ok":true}'],
      '/throttled': [429, '{"message":"Too Many Requests"}'],
      '/quota': [429, '{"message":"Limit Exceeded"}'],
      '/forbidden': [403, '{"message":"Forbidden"}', { 'x-amzn-ErrorType': 'ForbiddenException' }],
      '/waf': [403, '{"message":"Forbidden"}', { 'x-amzn-waf-action': 'block' }],
      '/lambda-throttled': [500, '{"message": "Internal server error"}'],
      '/failed': [502, '{"message": "Internal server error"}'],
      '/timeout': [504, '{"message": "Endpoint request timed out"}'],
    };
    const origin = await serve((req, res) => {
      const [status, body, headers] = answers[req.url ?? ''];
      res.writeHead(status, headers).end(body);
    });
    const cohorts = Object.keys(answers).map((p) => cohort(p.slice(1), [constant(10, 1)], { path: p }));
    const { timeline } = await drive(origin, { cohorts, duration: 1 }, { lateToleranceMs: 250 });
    const by = Object.fromEntries(timeline.cohorts.map((c) => [c.name, c.buckets[0]]));
    expect(by.ok.succeeded).toBe(10);
    expect(by.throttled.gatewayThrottled).toBe(10);
    expect(by.quota.quotaExceeded).toBe(10);
    expect(by.forbidden.authRejected).toBe(10);
    expect(by.waf.wafBlocked).toBe(10);
    expect(by['lambda-throttled'].lambdaThrottled).toBe(10);
    expect(by.failed.failed).toBe(10);
    expect(by.timeout.timedOut).toBe(10);
    expect(by.ok.bytesOut).toBe(10 * '{"ok":true}'.length);
  });

  it('counts connection errors and ends the run when the target is gone', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r)); // nothing listens there now
    const { report, totals } = await drive(`http://127.0.0.1:${port}`, { cohorts: [cohort('flood', [constant(50, 30)])], duration: 30 }, { deadTargetSeconds: 1 });
    expect(report.reason).toBe('target-unreachable');
    expect(report.durationSeconds).toBeLessThan(5);
    expect(report.firstConnectionError).toBe('ECONNREFUSED');
    expect(totals.connectionErrors).toBe(totals.offered);
    expect(totals.offered).toBeGreaterThan(20);
  });

  it('stops cleanly when interrupted and keeps what was measured', async () => {
    const origin = await serve((_req, res) => res.end('ok'));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 700);
    const { report, totals } = await drive(origin, { cohorts: [cohort('flood', [constant(100, 30)])], duration: 30 }, { signal: ac.signal });
    expect(report.reason).toBe('interrupted');
    expect(report.durationSeconds).toBeGreaterThan(0.6);
    expect(report.durationSeconds).toBeLessThan(1.5);
    expect(totals.offered).toBe(totals.succeeded);
    expect(Math.abs(totals.offered + totals.dropped - report.durationSeconds * 100)).toBeLessThanOrEqual(2);
  });

  it('appends each finished second to the run file as it goes', async () => {
    const origin = await serve((_req, res) => res.end('ok'));
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-run-'));
    const runFile = join(dir, 'run.ndjson');
    let midRun: number[] = [];
    setTimeout(() => {
      midRun = readFileSync(runFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'second').map((l) => l.t);
    }, 2600);
    const { totals } = await drive(origin, { cohorts: [cohort('flood', [constant(30, 3)])], duration: 3, runFile });
    expect(midRun).toContain(0); // on disk while the run was still going
    const lines = readFileSync(runFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].type).toBe('start');
    expect(lines.filter((l) => l.type === 'second').map((l) => l.t)).toEqual([0, 1, 2]);
    expect(lines.filter((l) => l.type === 'second').reduce((s, l) => s + l.cohorts.flood.offered, 0)).toBe(totals.offered);
    expect(lines.at(-1).type).toBe('end');
  });

  it('a target that closes the connection after every answer still gets every request answered', async () => {
    const origin = await serve((req, res) => {
      req.resume();
      res.setHeader('connection', 'close');
      res.end('{"ok":true}');
    });
    const { totals } = await drive(origin, { cohorts: [cohort('flood', [constant(100, 2)])], duration: 2 }, { lateToleranceMs: 250 });
    expect(totals.offered).toBe(200);
    expect(totals.succeeded).toBe(200);
    expect(totals.connectionErrors).toBe(0);
    expect(totals.dropped).toBe(0);
  });
});
