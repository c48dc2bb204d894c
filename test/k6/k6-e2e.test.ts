import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startEmulator } from '../../src/emulator/index.ts';
import { buildK6Export, writeK6Export } from '../../src/k6/export.ts';
import { importK6Output, importK6Summary } from '../../src/k6/import.ts';
import { OUTCOMES } from '../../src/model/outcomes.ts';
import { timelineTotals } from '../../src/model/timeline.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { arrivalsBetween } from '../../src/scenario/profile.ts';
import { parseStack } from '../../src/stack/parse.ts';

// The "done when": a real k6 runs the exported script against the emulator. k6 is a Go
// binary that npm and Debian do not ship; where it is missing this says so, loudly, and skips.
const hasK6 = spawnSync('k6', ['version'], { stdio: 'ignore' }).status === 0;
if (!hasK6) {
  console.warn('test/k6/k6-e2e: k6 is not on PATH — the end-to-end run of an exported script by a real k6 is SKIPPED (install k6 to run it).');
}
const skipped = hasK6 ? '' : ' (k6 not on PATH: skipped)';

const dir = mkdtempSync(join(tmpdir(), 'dowsim-k6-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = parseScenario(`
name: k6-e2e
request: { method: GET, path: /items }
cohorts:
  - name: users
    role: legit
    clients: 10
    rate: [{ duration: 10s, rate: 10 }]
  - name: bots
    role: attack
    clients: 200
    rate: [{ duration: 10s, rate: 100 }]
`);
const stack = parseStack(`
name: k6-e2e
api: { kind: rest, stage: { rate: 50, burst: 100 } }
lambda: { memoryMb: 512, duration: 5ms }
`);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  // asynchronous on purpose: the emulator answering k6 lives in this very process
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a real k6 run of an exported script', () => {
  it.skipIf(!hasK6)(
    `10 s, two cohorts, against the emulator (stage rate 50, burst 100): requests within 5 %, offered = http_reqs, ≈ 100 + 50 × 10 served, the rest throttled${skipped}`,
    async () => {
      const emu = await startEmulator({ stack, seed: 11 });
      try {
        const exp = buildK6Export(scenario, stack, { target: emu.apiUrl, parallelism: 4 });
        const [script, manifest] = writeK6Export(exp, dir);
        const out = join(dir, 'out.ndjson');
        const summary = join(dir, 'summary.json');
        const k6 = await run('k6', ['run', '--quiet', '--out', `json=${out}`, `--summary-export=${summary}`, script], { ...process.env, K6_NO_USAGE_REPORT: 'true' });
        expect(k6.code, k6.stderr).toBe(0);

        const httpReqs = (JSON.parse(readFileSync(summary, 'utf8')).metrics.http_reqs as { count: number }).count;
        const expected = scenario.cohorts.reduce((s, c) => s + arrivalsBetween(c.rate, 0, 10), 0);
        expect(Math.abs(httpReqs - expected) / expected).toBeLessThanOrEqual(0.05);

        const { timeline } = await importK6Output(out, stack, scenario);
        const t = timelineTotals(timeline);
        expect(t.offered).toBe(httpReqs);
        expect(t.connectionErrors).toBe(0);
        expect(t.succeeded).toBeGreaterThanOrEqual(540);
        expect(t.succeeded).toBeLessThanOrEqual(660);
        expect(t.gatewayThrottled).toBe(t.offered - t.succeeded);
        expect(Object.fromEntries(OUTCOMES.map((o) => [o, t[o]]))).toEqual(Object.fromEntries(OUTCOMES.map((o) => [o, emu.totals()[o]])));

        const fromSummary = timelineTotals(importK6Summary(summary, stack, scenario).timeline);
        expect(fromSummary.offered).toBe(httpReqs);
        expect(fromSummary.succeeded).toBe(t.succeeded);

        const testRun = parseAllDocuments(readFileSync(manifest, 'utf8')).map((d) => d.toJS())[1];
        expect(testRun.spec.parallelism).toBe(4);
      } finally {
        await emu.close();
      }
    },
    90_000,
  );
});
