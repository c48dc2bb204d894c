import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import { timelineTotals } from '../../src/model/timeline.ts';
import { loadStack } from '../../src/stack/load.ts';
import { runCli } from '../support/cli.ts';

// A user with no AWS account at all points dowsim at the emulator's CloudWatch: no AWS variable in
// the environment, HOME an empty directory (no ~/.aws), instance metadata off. The real SDK client
// must still read it: a loopback endpoint is signed with placeholders.
const dir = mkdtempSync(join(tmpdir(), 'dowsim-local-cw-'));
const home = mkdtempSync(join(tmpdir(), 'dowsim-empty-home-'));
const SCENARIO = join(dir, 'two-cohorts.yaml');
const STACK = join(dir, 'stage-20.yaml');
writeFileSync(
  SCENARIO,
  `name: two-cohorts
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 5, rate: [ { duration: 3s, rate: 10 } ] }
  - { name: bots, role: attack, clients: 40, rate: [ { duration: 3s, rate: 40 } ] }
`,
);
writeFileSync(STACK, `name: stage-20\napi: { kind: rest, stage: { rate: 20, burst: 20 } }\nlambda: { memoryMb: 512, duration: 20ms }\n`);

function noCredentialsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return { ...env, HOME: home, USERPROFILE: home, AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1', ...extra };
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ stack: loadStack(STACK), port: 0, seed: 5 });
});
afterAll(() => emu.close());

describe('a loopback CloudWatch endpoint needs no AWS credentials', () => {
  it('run --target <emulator> --endpoint-url <its CloudWatch>: server counts read, no warning about CloudWatch', async () => {
    // runCli merges process.env in; the keys it would bring back are blanked
    const env = noCredentialsEnv(Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('AWS_')).map((k) => [k, ''])));
    const r = await runCli(['run', SCENARIO, '--stack', STACK, '--target', `${emu.apiUrl}/`, '--endpoint-url', `${emu.cloudwatchUrl}/`, '--late-tolerance', '250ms', '--json'], {
      cwd: dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ResultDocument;
    expect(doc.server?.source).toBe('cloudwatch');
    expect(doc.warnings!.join('\n')).not.toMatch(/CloudWatch was not read|credential/i);
    // every answer the function gave was an invocation CloudWatch counted (one period either side)
    expect(timelineTotals(doc.server!).invoked).toBe(timelineTotals(doc.measured!).invoked);
  });

  it('collect with AWS_ENDPOINT_URL_CLOUDWATCH on loopback: read at the 1 s period the emulator keeps', async () => {
    const env = noCredentialsEnv({ AWS_ENDPOINT_URL_CLOUDWATCH: emu.cloudwatchUrl });
    const r = await runCli(['collect', '--stack', STACK, '--start', '-2m', '--end', 'now', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ResultDocument;
    expect((doc.extras!.collection as { periodSeconds: number }).periodSeconds).toBe(1);
  });
});
