import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import { timelineTotals, type Timeline } from '../../src/model/timeline.ts';
import { emptyTotals, type Totals } from '../../src/model/totals.ts';
import { apportion, mergeCloudWatch } from '../../src/run/cloudwatch-merge.ts';
import { waitToSettle } from '../../src/run/settle-countdown.ts';
import { loadStack } from '../../src/stack/load.ts';
import { ROOT } from '../support/cli.ts';

// "Staging" here is an emulator started by the test: `dowsim run --target` drives it over
// loopback, then reads its CloudWatch endpoint with the real SDK client, as it would AWS's.
const dir = mkdtempSync(join(tmpdir(), 'dowsim-cw-merge-'));
const SCENARIO = join(dir, 'two-cohorts.yaml');
const STACK = join(dir, 'stage-20.yaml');
writeFileSync(
  SCENARIO,
  `name: two-cohorts
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 5, rate: [ { duration: 4s, rate: 10 } ] }
  - { name: bots, role: attack, clients: 40, rate: [ { duration: 4s, rate: 40 } ] }
`,
);
writeFileSync(STACK, `name: stage-20\napi: { kind: rest, stage: { rate: 20, burst: 20 } }\nlambda: { memoryMb: 512, duration: 20ms }\n`);

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_PROFILE: '',
  AWS_ENDPOINT_URL: '',
  AWS_ENDPOINT_URL_CLOUDWATCH: '',
  NO_COLOR: '1',
};

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real CLI in a child process; `interruptWhen` sends SIGINT once stderr matches it. */
function dowsim(args: string[], interruptWhen?: RegExp): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dowsim.js'), ...args], {
      cwd: dir,
      env: { ...process.env, ...AWS_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
      if (interruptWhen && !interrupted && interruptWhen.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function withStaging<T>(fn: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ stack: loadStack(STACK), port: 0, seed: 3 });
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

/** A port nothing listens on: bind an ephemeral one on 127.0.0.1, then let it go. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

// --late-tolerance: the test machine is shared; no assertion here is about the rate achieved.
const runArgs = (target: string) => ['run', SCENARIO, '--stack', STACK, '--target', target, '--duration', '4s', '--late-tolerance', '250ms', '--json'];

describe('dowsim run against a target, with CloudWatch as the server side', () => {
  it.concurrent(
    'after a countdown it reads CloudWatch and prices invocations as CloudWatch counted them, 429s as the client counted them',
    async () => {
      await withStaging(async (emu) => {
        const r = await dowsim([...runArgs(emu.apiUrl), '--server', 'cloudwatch', '--endpoint-url', emu.cloudwatchUrl, '--settle', '1s', '--period', '1']);
        expect(r.code, r.stderr).toBe(0);
        const doc = JSON.parse(r.stdout) as ResultDocument;
        expect(r.stderr).toMatch(/waiting 1s for CloudWatch metrics to settle… \(Ctrl-C to skip\)/);

        expect(doc.source).toBe('staging');
        expect(doc.server?.source).toBe('cloudwatch');
        const served = emu.totals();
        const server = timelineTotals(doc.server!);
        expect(server.invoked).toBe(served.invoked);

        // the run's own window as priced: its timeline keeps the client's cohorts
        const s = doc.stacks[0];
        const priced = timelineTotals(s.runWindow!.measured.timeline!);
        const measured = timelineTotals(doc.measured!);
        expect(s.runWindow!.measured.timeline!.cohorts.map((c) => c.name)).toEqual(['users', 'bots']);
        expect(priced.invoked).toBe(served.invoked);
        expect(measured.gatewayThrottled).toBeGreaterThan(0);
        expect(priced.gatewayThrottled).toBe(measured.gatewayThrottled);
        // GB-seconds from CloudWatch's Duration, plus the simulator's INIT (not in the metric)
        expect(priced.gbSeconds - priced.initGbSeconds).toBeCloseTo(server.gbSeconds, 9);
        expect(priced.gbSeconds).toBeGreaterThan(0);
        expect(s.runWindow!.measured.bill.total).toBeGreaterThan(0);

        expect(s.notes!.join('\n')).toMatch(/gateway-side outcomes .* are the client.s.*from CloudWatch/);
        expect(doc.warnings!.join('\n')).toMatch(/Server-side counts are CloudWatch's/);
        expect(doc.warnings!.join('\n')).not.toMatch(/CloudWatch was not read/);
        const collection = doc.extras!.collection as { metricsRequested: number; periodSeconds: number; bill: { total: number; lines: { service: string }[] } };
        expect(collection.periodSeconds).toBe(1);
        expect(collection.metricsRequested).toBeGreaterThan(0);
        expect(collection.bill.lines[0].service).toBe('CloudWatch');
        expect(collection.bill.total).toBeGreaterThan(0);
        expect(r.stderr).toMatch(/CloudWatch collection itself: \d+ GetMetricData request/);
      });
    },
    45_000,
  );

  it.concurrent(
    'an unreachable CloudWatch endpoint still reports the run from the client’s counts, with a warning naming why, and exits 0',
    async () => {
      await withStaging(async (emu) => {
        const endpoint = `http://127.0.0.1:${await closedPort()}`;
        const r = await dowsim([...runArgs(emu.apiUrl), '--server', 'cloudwatch', '--endpoint-url', endpoint, '--settle', '1s', '--period', '1']);
        expect(r.code, r.stderr).toBe(0);
        const doc = JSON.parse(r.stdout) as ResultDocument;
        expect(doc.source).toBe('staging');
        expect(doc.server).toBeUndefined();
        const warning = doc.warnings!.find((w) => w.startsWith('CloudWatch was not read'));
        expect(warning).toMatch(/could not reach the endpoint.*connection refused/);
        expect(warning).toMatch(/dowsim collect --stack .* --period 1 --endpoint-url http:\/\/127\.0\.0\.1:\d+/);
        const priced = timelineTotals(doc.stacks[0].runWindow!.measured.timeline!);
        const measured = timelineTotals(doc.measured!);
        expect(priced.invoked).toBe(measured.invoked);
        expect(priced.gatewayThrottled).toBe(measured.gatewayThrottled);
        expect(doc.extras!.collection).toBeUndefined();
      });
    },
    45_000,
  );

  it.concurrent(
    'Ctrl-C during the countdown skips CloudWatch: the run is still reported, with a warning that CloudWatch was not read',
    async () => {
      await withStaging(async (emu) => {
        const r = await dowsim([...runArgs(emu.apiUrl), '--server', 'cloudwatch', '--endpoint-url', emu.cloudwatchUrl, '--settle', '5m'], /waiting \dm\d\ds for CloudWatch/);
        expect(r.code, r.stderr).toBe(0);
        const doc = JSON.parse(r.stdout) as ResultDocument;
        expect(doc.server).toBeUndefined();
        expect(doc.warnings!.join('\n')).toMatch(/CloudWatch was not read: the wait for CloudWatch metrics to settle was skipped/);
        expect(timelineTotals(doc.measured!).offered).toBeGreaterThan(0);
      });
    },
    45_000,
  );
});

/** A timeline of whole-second buckets from per-bucket partial totals. */
function timeline(source: Timeline['source'], cohorts: { name: string; role: 'legit' | 'attack'; buckets: Partial<Totals>[] }[]): Timeline {
  return {
    source,
    durationSeconds: Math.max(...cohorts.map((c) => c.buckets.length)),
    bucketSeconds: 1,
    cohorts: cohorts.map((c) => ({
      ...c,
      buckets: c.buckets.map((b) => {
        const t = { ...emptyTotals(), ...b };
        t.invoked = t.succeeded + t.failed + t.timedOut;
        t.offered = t.wafBlocked + t.authRejected + t.gatewayThrottled + t.quotaExceeded + t.lambdaThrottled + t.invoked;
        return t;
      }),
    })),
  };
}

describe('merging CloudWatch into the client’s counts', () => {
  const stack = loadStack(STACK);
  const client = timeline('staging', [
    { name: 'users', role: 'legit', buckets: [{ succeeded: 10, gatewayThrottled: 2 }, { succeeded: 10, gatewayThrottled: 3 }] },
    { name: 'bots', role: 'attack', buckets: [{ succeeded: 30, gatewayThrottled: 50, failed: 1 }, { succeeded: 30, gatewayThrottled: 60 }] },
  ]);
  const predicted = timeline('simulated', [
    { name: 'users', role: 'legit', buckets: [{ succeeded: 20, coldStarts: 2, initGbSeconds: 0.4 }] },
    { name: 'bots', role: 'attack', buckets: [{ succeeded: 60 }] },
  ]);
  // CloudWatch saw 4 more successes than the client (its only cohort is everything) and fewer 429s
  const cloudwatch = timeline('cloudwatch', [{ name: 'all traffic', role: 'legit', buckets: [{ succeeded: 84, failed: 1, gatewayThrottled: 7, gbSeconds: 4.25 }] }]);

  it('takes CloudWatch’s function-side totals, split by the client’s per-cohort counts; keeps the client’s 429s; conserves requests', () => {
    const merged = mergeCloudWatch(client, cloudwatch, predicted, stack);
    const [users, bots] = merged.cohorts.map((c) => timelineTotals({ ...merged, cohorts: [c] }));
    // 84 successes split 20 : 60 → 21 : 63, whole numbers that add up
    expect([users.succeeded, bots.succeeded]).toEqual([21, 63]);
    expect([users.failed, bots.failed]).toEqual([0, 1]);
    expect([users.gatewayThrottled, bots.gatewayThrottled]).toEqual([5, 110]);
    expect(users.offered).toBe(users.gatewayThrottled + users.invoked);
    expect(bots.offered).toBe(bots.gatewayThrottled + bots.invoked);
    // GB-seconds: CloudWatch's Duration per invocation, plus the simulator's INIT per invocation (users only)
    expect(users.gbSeconds - users.initGbSeconds + bots.gbSeconds - bots.initGbSeconds).toBeCloseTo(4.25, 12);
    expect(users.initGbSeconds).toBeCloseTo(21 * 0.02, 12);
    expect(bots.initGbSeconds).toBe(0);
    // within a cohort, the seconds keep the shape the client saw
    expect(merged.cohorts[1].buckets.map((b) => b.succeeded)).toEqual([32, 31]);
  });

  it('apportion splits a whole number by weight into whole numbers that add up to it', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [0, 2, 5])).toEqual([0, 2, 5]);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
    expect(apportion(100, [1, 2, 3, 4]).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe('the settle countdown', () => {
  it.concurrent('on a terminal it counts down every second in place; in a log it writes one line per 30 s', async () => {
    const tty: string[] = [];
    const log: string[] = [];
    const [a, b] = await Promise.all([
      waitToSettle(1.5, { stream: { isTTY: true, write: (s: string) => tty.push(s) } }),
      waitToSettle(1.5, { stream: { write: (s: string) => log.push(s) } }),
    ]);
    expect([a, b]).toEqual(['settled', 'settled']);
    expect(tty.filter((s) => s.includes('waiting')).map((s) => /waiting (\S+)/.exec(s)![1])).toEqual(['2s', '1s']);
    expect(log).toEqual(['waiting 2s for CloudWatch metrics to settle… (Ctrl-C to skip)\n']);
  });

  it.concurrent('an abort skips the rest of the wait', async () => {
    const ac = new AbortController();
    const out: string[] = [];
    const waited = waitToSettle(600, { signal: ac.signal, stream: { write: (s: string) => out.push(s) } });
    ac.abort();
    expect(await waited).toBe('skipped');
    expect(out.join('')).toMatch(/waiting 10m00s .*\n.*skipped the wait/s);
  });
});
