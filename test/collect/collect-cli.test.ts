import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { loadStack } from '../../src/stack/load.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import { closedPort } from './support/closed-port.ts';
import { cleanEnv, DUMMY_AWS, runDowsim, STACK_TRACE } from './support/run-dowsim.ts';

const dir = mkdtempSync(join(tmpdir(), 'dowsim-collect-cli-'));
const stackFile = join(dir, 'orders.yaml');
writeFileSync(
  stackFile,
  [
    'name: orders-staging',
    'region: us-east-1',
    'api:',
    '  kind: rest',
    '  stage: { rate: 5, burst: 10 }',
    'lambda:',
    '  memoryMb: 512',
    '  duration: 5ms',
    'deployed:',
    '  apiName: orders-api',
    '  stage: staging',
    '  functionName: orders-handler',
    '',
  ].join('\n'),
);

let emu: Emulator;
let seen: Record<number, number> = {};
let t0: string;
beforeAll(async () => {
  emu = await startEmulator({ stack: loadStack(stackFile), seed: 3 });
  t0 = new Date(Date.now() - 1000).toISOString();
  await Promise.all(
    Array.from({ length: 40 }, async () => {
      const res = await fetch(`${emu.apiUrl}orders`);
      await res.arrayBuffer();
      seen[res.status] = (seen[res.status] ?? 0) + 1;
    }),
  );
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const window = () => ['--start', t0, '--end', new Date(Date.now() + 2000).toISOString(), '--period', '1'];

describe('dowsim collect', () => {
  it('--json against the emulator (found through AWS_ENDPOINT_URL_CLOUDWATCH) reports the invoked count the client saw, source "cloudwatch"', async () => {
    const run = await runDowsim(['collect', '--stack', stackFile, ...window(), '--json'], cleanEnv({ ...DUMMY_AWS, AWS_ENDPOINT_URL_CLOUDWATCH: emu.cloudwatchUrl }));
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as ResultDocument;
    expect(doc.schema).toBe('dowsim.result/1');
    expect(doc.source).toBe('cloudwatch');
    expect(doc.stacks.length).toBe(1);
    const s = doc.stacks[0];
    expect(s.throttled.totals.invoked).toBe(seen[200]);
    expect(s.throttled.totals.gatewayThrottled).toBe(seen[429]);
    expect(s.throttled.totals.offered).toBe(40);
    expect(s.savings).toBe(0);
    expect(s.notes?.join('\n')).toMatch(/Unthrottled variant not measurable from CloudWatch/);
    expect(doc.prices.source).toBe('embedded');
    const collection = doc.extras?.collection as { metricsRequested: number; calls: number; bill: { lines: { service: string; quantity: number; cost: number }[] } };
    expect(collection.metricsRequested).toBe(16);
    expect(collection.calls).toBe(1);
    expect(collection.bill.lines[0]).toMatchObject({ service: 'CloudWatch', quantity: 16 });
    expect(collection.bill.lines[0].cost).toBeCloseTo(16 * 0.00001, 12);
    expect(doc.assumptions.join('\n')).toMatch(/429.*403/);
  });

  it('without credentials (no AWS_* variables, no ~/.aws) a non-loopback endpoint says how to provide them and exits 2', async () => {
    // The SDK fails while looking for credentials, before any request: nothing is contacted
    // (a .invalid host never resolves, and instance metadata is off). A loopback endpoint needs none.
    const run = await runDowsim(['collect', '--stack', stackFile, ...window(), '--endpoint-url', 'https://monitoring.example.invalid'], cleanEnv({ AWS_EC2_METADATA_DISABLED: 'true' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^dowsim: CloudWatch GetMetricData: no AWS credentials found\. Set AWS_PROFILE \(or pass --profile\).*`aws configure`/m);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stdout).toBe('');
  });

  it('an unreachable endpoint (a closed port on 127.0.0.1) is named, exit 2, no stack trace', async () => {
    const port = await closedPort();
    const run = await runDowsim(['collect', '--stack', stackFile, ...window(), '--endpoint-url', `http://127.0.0.1:${port}`], cleanEnv(DUMMY_AWS));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`dowsim: CloudWatch GetMetricData: could not reach the endpoint at http://127\\.0\\.0\\.1:${port} \\(connection refused\\)`));
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('bad flags are all reported at once, exit 1', async () => {
    const run = await runDowsim(['collect', '--stack', stackFile, '--start', 'last tuesday', '--end', 'now', '--period', '45'], cleanEnv(DUMMY_AWS));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--start: "last tuesday" is not a time/);
    expect(run.stderr).toMatch(/--period: 45 is not a CloudWatch period/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
