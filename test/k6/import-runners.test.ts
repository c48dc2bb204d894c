import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.ts';
import { buildK6Export, writeK6Export } from '../../src/k6/export.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import { timelineTotals } from '../../src/model/timeline.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { ROOT, runCli } from '../support/cli.ts';

// k6-operator runs one script on several runners, each its own execution segment, each writing its
// own output. Two real k6 processes, run at once, stand in for two runners; the import of both
// outputs must add up to exactly their http_reqs together (each runner's own summary says how many).
const SHARED_K6 = join(ROOT, '../shared/tools/k6');
const K6 = existsSync(SHARED_K6) ? SHARED_K6 : 'k6';
const hasK6 = spawnSync(K6, ['version'], { stdio: 'ignore' }).status === 0;
if (!hasK6) console.warn('test/k6/import-runners: no k6 binary — SKIPPED');

const dir = mkdtempSync(join(tmpdir(), 'dowsim-k6-runners-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = `
name: runners
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 10, rate: [{ duration: 6s, rate: 10 }] }
  - { name: bots, role: attack, clients: 100, rate: [{ duration: 6s, rate: 60 }] }
`;
const STACK = `
name: runners
api: { kind: rest, stage: { rate: 50, burst: 100 } }
lambda: { memoryMb: 512, duration: 5ms }
`;

function k6(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(K6, args, { env: { ...process.env, K6_NO_USAGE_REPORT: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('import-k6 of several runners of one run', () => {
  it.skipIf(!hasK6)(
    'two execution-segment halves run at once: the import adds up to exactly both runners\' http_reqs',
    async () => {
      const scenarioFile = join(dir, 'runners.yaml');
      const stackFile = join(dir, 'runners-stack.yaml');
      writeFileSync(scenarioFile, SCENARIO);
      writeFileSync(stackFile, STACK);
      const emu = await startEmulator({ stack: parseStack(STACK), seed: 4 });
      let runs;
      try {
        const [script] = writeK6Export(buildK6Export(parseScenario(SCENARIO), parseStack(STACK), { target: emu.apiUrl, parallelism: 2 }), dir);
        const segments = ['0:1/2', '1/2:1'];
        runs = await Promise.all(
          segments.map((seg, i) =>
            k6(['run', '--quiet', '--execution-segment', seg, '--execution-segment-sequence', '0,1/2,1', '--out', `json=${join(dir, `runner-${i}.ndjson`)}`, `--summary-export=${join(dir, `runner-${i}.json`)}`, script]),
          ),
        );
      } finally {
        await emu.close();
      }
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const httpReqs = [0, 1].map((i) => (JSON.parse(readFileSync(join(dir, `runner-${i}.json`), 'utf8')).metrics.http_reqs as { count: number }).count);
      expect(httpReqs.every((n) => n > 0)).toBe(true);

      const r = await runCli(['import-k6', join(dir, 'runner-0.ndjson'), join(dir, 'runner-1.ndjson'), '--stack', stackFile, '--scenario', scenarioFile, '--json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as ResultDocument;
      const t = timelineTotals(doc.measured!);
      expect(t.offered).toBe(httpReqs[0] + httpReqs[1]);
      expect(t.succeeded + t.gatewayThrottled).toBe(t.offered);
      expect(doc.assumptions.join('\n')).toMatch(/2 k6 outputs \(one per runner\) added up: runner-0\.ndjson, runner-1\.ndjson/);
    },
    120_000,
  );
});
