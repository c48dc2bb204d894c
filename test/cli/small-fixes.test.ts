import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatEmulatorTotals } from '../../src/cli/emulate.ts';
import { emptyTotals } from '../../src/model/totals.ts';
import { renderCsv } from '../../src/report/csv.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import { runCli } from '../support/cli.ts';
import { shellWord } from '../../src/cli/k6.ts';
import { spawnSync } from 'node:child_process';

// What a new user tripped on (issue 10, item 7), each checked with the real CLI or renderer.
describe('small things a new user tripped on', () => {
  it.concurrent('simulate with no arguments names the missing scenario first', async () => {
    const r = await runCli(['simulate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing required argument 'scenario'/);
    expect(r.stderr).not.toMatch(/--stack/);
  });

  it.concurrent('compare refuses the same stack twice, also under two spellings', async () => {
    const r = await runCli(['compare', 'quick-flood', '--stack', 'rest-waf', '--stack', 'stacks/rest-waf.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--stack: "rest-waf" and "stacks\/rest-waf.yaml" are the same stack \(rest-waf\)/);
  });

  it.concurrent('compare refuses two different stacks of one name, saying to rename one (not that they are the same stack)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-same-name-'));
    const other = join(dir, 'other.yaml');
    writeFileSync(other, 'name: rest-waf\napi: { kind: rest, stage: { rate: 10, burst: 10 } }\nlambda: { memoryMb: 128 }\n');
    const r = await runCli(['compare', 'quick-flood', '--stack', 'rest-waf', '--stack', other]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--stack: "rest-waf" and ".*other\.yaml" are both named "rest-waf": results tell stacks apart by name, so rename one/);
  });

  it('k6 prints commands that paste into a shell as they read: a name with a space or a quote stays one word', () => {
    expect(shellWord('json=quick-flood.ndjson')).toBe('json=quick-flood.ndjson');
    expect(shellWord('json=attack 🚀.ndjson')).toBe("'json=attack 🚀.ndjson'");
    expect(shellWord("it's.ndjson")).toBe("'it'\\''s.ndjson'");
    // what a POSIX shell reads back
    const r = spawnSync('sh', ['-c', `printf '%s' ${shellWord("a b'c $HOME")}`], { encoding: 'utf8' });
    expect(r.stdout).toBe("a b'c $HOME");
  });

  it.concurrent('report refuses a result document with no stack (it wrote empty reports, exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-report-empty-'));
    const sim = await runCli(['simulate', 'quick-flood', '--stack', 'rest-waf', '--horizon', '1h', '--json']);
    const doc = JSON.parse(sim.stdout) as { stacks: unknown[] };
    doc.stacks = [];
    writeFileSync(join(dir, 'empty.json'), JSON.stringify(doc));
    const r = await runCli(['report', join(dir, 'empty.json'), '--format', 'md', '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stacks: expected at least one stack/);
  });

  it.concurrent.each(['0s', '1ms', '999ms'])('--horizon %s says it must be at least a second (0s said only "expected a duration like"; 1ms billed GB-seconds for 0 requests counted)', async (h) => {
    const r = await runCli(['simulate', 'quick-flood', '--stack', 'rest-waf', '--horizon', h]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--horizon: expected a duration of at least 1s (the simulator's tick), like "24h" or "30d", got "${h}"`);
    expect(r.stdout).toBe('');
  });

  it.concurrent('--horizon 1s: what a second of quick-flood sends, counted and billed', async () => {
    const r = await runCli(['simulate', 'quick-flood', '--stack', 'rest-waf', '--horizon', '1s', '--json']);
    expect(r.code).toBe(0);
    // 5 users' and 100 bots' requests in its first second
    expect(JSON.parse(r.stdout).stacks[0].throttled.totals.offered).toBe(105);
  });

  it.concurrent('prices --region xx-fake-1 is an error, not us-east-1 prices under a made-up name', async () => {
    const r = await runCli(['prices', '--region', 'xx-fake-1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--region: "xx-fake-1" is not an AWS Region/);
    expect(r.stdout).toBe('');
  });

  it('emulate reports what it served in the outcome names of the reports', () => {
    const t = { ...emptyTotals(), offered: 5, gatewayThrottled: 2, wafBlocked: 1, succeeded: 2, invoked: 2 };
    expect(formatEmulatorTotals(t).split('\n')[0]).toBe('served 5 requests: 1 wafBlocked, 2 gatewayThrottled, 2 succeeded');
  });

  it('a CSV has whole cold starts, even where a live run borrowed a share per invocation', () => {
    const doc = {
      schema: 'dowsim.result/1',
      stacks: [],
      measured: { source: 'emulator', durationSeconds: 1, bucketSeconds: 1, cohorts: [{ name: 'u', role: 'legit', buckets: [{ ...emptyTotals(), invoked: 3, coldStarts: 1.4 }] }] },
    } as unknown as ResultDocument;
    const [header, row] = renderCsv(doc).split('\r\n');
    const col = header.split(',').indexOf('coldStarts');
    expect(row.split(',')[col]).toBe('1');
  });
});
