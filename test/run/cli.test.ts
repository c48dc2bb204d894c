import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultDocument } from '../../src/model/result.ts';
import { timelineTotals } from '../../src/model/timeline.ts';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'dowsim-cli-run-'));
const SCENARIO = join(dir, 'two-cohorts.yaml');
const STACK = join(dir, 'stage-50.yaml');
writeFileSync(
  SCENARIO,
  `name: two-cohorts
description: regular users beside a flood, 20 seconds
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 10, rate: [ { duration: 20s, rate: 10 } ] }
  - { name: bots, role: attack, clients: 50, rate: [ { duration: 20s, rate: 90 } ] }
`,
);
writeFileSync(STACK, `name: stage-50\napi: { kind: rest, stage: { rate: 50, burst: 100 } }\nlambda: { memoryMb: 512, duration: 20ms }\n`);

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `interrupt` sends SIGINT `afterMs` after `when()` first holds (polled). */
function dowsim(args: string[], opts: { interrupt?: { when: () => boolean; afterMs: number } } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dowsim.js'), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const poll = opts.interrupt
      ? setInterval(() => {
          if (!opts.interrupt!.when()) return;
          clearInterval(poll);
          setTimeout(() => child.kill('SIGINT'), opts.interrupt!.afterMs);
        }, 100)
      : undefined;
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('dowsim run (CLI)', () => {
  it.concurrent(
    'done when: a 20 s two-cohort run against stage 50/100 offers its requests within 3 %, serves ≈ 100 + 50 × 20, the rest gatewayThrottled, priced; --json prints only the document',
    async () => {
      // --late-tolerance: the test machine is shared by many processes; see live-run.test.ts
      const r = await dowsim(['run', SCENARIO, '--stack', STACK, '--json', '--horizon', '24h', '--late-tolerance', '250ms']);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as ResultDocument; // nothing but the document on stdout
      expect(doc.schema).toBe('dowsim.result/1');
      expect(doc.source).toBe('emulator');
      const m = timelineTotals(doc.measured!);
      expect(m.offered + m.dropped).toBe(2000);
      expect(Math.abs(m.offered - 2000) / 2000).toBeLessThanOrEqual(0.03);
      expect(Math.abs(m.succeeded - 1100) / 1100).toBeLessThanOrEqual(0.03);
      expect(m.gatewayThrottled).toBe(m.offered - m.succeeded);
      expect(doc.deviation!.succeeded.server).toBe(m.succeeded);
      const s = doc.stacks[0];
      expect(s.throttled.totals.gatewayThrottled).toBeGreaterThan(0);
      expect(s.throttled.bill.total).toBeGreaterThan(0);
      expect(s.throttled.bill.lines.some((l) => l.service === 'API Gateway')).toBe(true);
      expect(doc.horizonSeconds).toBe(86_400);
    },
  );

  it.concurrent('refuses a target not named with --allow-target: exit 1, before any traffic, naming the flag', async () => {
    const out = join(dir, 'refused');
    const r = await dowsim(['run', SCENARIO, '--stack', STACK, '--target', 'https://api.example.invalid/prod', '--duration', '10s', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--allow-target api\.example\.invalid/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false); // no run file: nothing was started
  });

  it.concurrent('Ctrl-C mid-run still writes the report, with what was measured, and exits 130', async () => {
    const out = join(dir, 'interrupted');
    // Interrupt 2 s after the run file appears: the run is under way by then.
    const started = () => existsSync(out) && readdirSync(out).some((f) => f.endsWith('.run.ndjson'));
    const r = await dowsim(['run', SCENARIO, '--stack', STACK, '--out', out, '--late-tolerance', '250ms'], { interrupt: { when: started, afterMs: 2000 } });
    // 130 = 128 + SIGINT, as a shell reports an interrupted program; the report is written first
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/interrupted; the report holds what was measured/);
    const files = readdirSync(out);
    expect(files).toContain('two-cohorts.json');
    expect(files.some((f) => f.endsWith('.run.ndjson'))).toBe(true);
    const doc = JSON.parse(readFileSync(join(out, 'two-cohorts.json'), 'utf8')) as ResultDocument;
    expect(doc.warnings!.join('\n')).toMatch(/interrupted after/);
    expect(doc.measured!.durationSeconds).toBeGreaterThan(1);
    expect(doc.measured!.durationSeconds).toBeLessThan(20);
    expect(timelineTotals(doc.measured!).offered).toBeGreaterThan(0);
    expect(doc.stacks[0].throttled.bill.total).toBeGreaterThan(0);
  });
});
