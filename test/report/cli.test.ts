import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../../src/cli/main.ts';
import { InputError } from '../../src/model/errors.ts';
import { FIXTURE_DIR } from './fixture-files.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function dowsim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/dowsim.js'), ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs a command in this process; a user mistake comes back as the InputError main() would print. */
async function inProcess(args: string[]): Promise<unknown> {
  try {
    await buildProgram().parseAsync(args, { from: 'user' });
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('dowsim report', () => {
  it('re-renders a saved document as HTML, Markdown and CSV beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-cli-'));
    const input = join(dir, 'saved.json');
    copyFileSync(join(FIXTURE_DIR, 'three-stacks-simulated.json'), input);
    expect(await inProcess(['report', input, '--format', 'html,md', '--format', 'csv'])).toBeUndefined();
    const files = readdirSync(dir);
    for (const f of ['saved.html', 'saved.md', 'saved.csv']) expect(files).toContain(f);
    expect(files.filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(dir, 'saved.html'), 'utf8')).toContain('<svg');
    const out = mkdtempSync(join(tmpdir(), 'dowsim-cli-'));
    expect(await inProcess(['report', input, '--out', out])).toBeUndefined();
    expect(readdirSync(out)).toEqual(['saved.html']);
  });

  it('refuses what is not a dowsim.result/1 document, naming the file and the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-cli-'));
    const k6 = join(dir, 'summary.json');
    writeFileSync(k6, JSON.stringify({ metrics: { http_reqs: { count: 5 } } }));
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{"schema": "dowsim.result/1",');
    const cases: [string[], RegExp][] = [
      [['report', k6], /summary\.json: schema: not a dowsim result document \(expected "schema": "dowsim\.result\/1", got no "schema" field\)/],
      [['report', notJson], /broken\.json: not JSON/],
      [['report', join(dir, 'missing.json')], /no such file/],
      [['report', k6, '--format', 'pdf'], /--format: unknown format "pdf"/],
      [['report', k6, '--format', ''], /--format: expected one or more of json, md, html, csv/],
      [['report', k6, '--fail-if', 'cost>1'], /--fail-if "cost>1"/],
    ];
    for (const [args, message] of cases) {
      const err = await inProcess(args);
      expect(err, args.join(' ')).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe('dowsim binary', () => {
  it('simulate --format html --out writes the report, then --fail-if "cost.perHour>0.01" exits 3; bad input exits 1 without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-cli-'));
    const notDoc = join(dir, 'not-a-result.json');
    writeFileSync(notDoc, '{"schema":"other"}');
    const [r, bad] = await Promise.all([
      dowsim([
        'simulate',
        'scenarios/botnet-flood.yaml',
        '--stack',
        'stacks/rest-unprotected.yaml',
        '--stack',
        'stacks/rest-stage-throttled.yaml',
        '--horizon',
        '2h',
        '--format',
        'html',
        '--out',
        join(dir, 'out'),
        '--fail-if',
        'cost.perHour>0.01',
      ]),
      dowsim(['report', notDoc, '--format', 'html']),
    ]);
    expect(r.code, r.stderr).toBe(3);
    expect(readdirSync(join(dir, 'out'))).toEqual(['botnet-flood.html']);
    expect(r.stderr).toContain(`wrote ${join(dir, 'out', 'botnet-flood.html')}`);
    expect(r.stderr).toMatch(/gate tripped: --fail-if "cost\.perHour>0\.01": cost\.perHour = [\d.,]+ > 0\.01 on stack rest-unprotected/);
    expect(r.stdout).toContain('Ranking');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a dowsim result document');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
