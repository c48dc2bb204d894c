/**
 * The compiled CLI (scripts/build.js → dist/): a private build is run as a user runs bin/dowsim.js,
 * and bin's rule for when dist/ may run at all (never when stale) is checked on a scratch tree.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../bin/compiled-entry.js';
import type { ResultDocument } from '../../src/model/result.ts';
import { ROOT } from '../support/cli.ts';

const run = promisify(execFile);
// Inside the repo (test-artifacts/ is ignored), so the bundle finds scenarios/ and stacks/ above it.
const OUT = join(ROOT, 'test-artifacts', `built-cli-${process.pid}`);
const HEAVY = ['@aws-sdk/', 'undici', 'echarts', 'playwright-core', 'tsx'];

/** Every module `file` imports statically (top-level `import … from`), chunks followed. */
function staticImports(dir: string, file: string, seen = new Set<string>()): Set<string> {
  const text = readFileSync(join(dir, file), 'utf8');
  for (const m of text.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["'];?$/gm)) {
    const spec = m[1];
    if (seen.has(spec)) continue;
    seen.add(spec);
    if (spec.startsWith('./')) staticImports(dir, spec.slice(2), seen);
  }
  return seen;
}

describe('the built CLI', () => {
  beforeAll(async () => {
    await run(process.execPath, [join(ROOT, 'scripts/build.js'), '--outdir', OUT], { cwd: ROOT });
    writeFileSync(join(OUT, 'run.js'), "import { main } from './main.js';\nawait main(process.argv);\n");
  });
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('answers --help and simulates the hand-checked 100 rps / stage 50 case like the sources do', async () => {
    const help = await run(process.execPath, [join(OUT, 'run.js'), '--help'], { cwd: ROOT });
    expect(help.stdout).toMatch(/^Usage: dowsim/);
    for (const cmd of ['simulate', 'compare', 'run', 'emulate', 'collect', 'prices', 'k6', 'import-k6', 'report']) expect(help.stdout).toContain(cmd);
    const args = ['simulate', 'test/fixtures/inputs/flood-100rps-60s.yaml', '--stack', 'test/fixtures/inputs/rest-stage-50.yaml', '--horizon', '60s', '--json'];
    const r = await run(process.execPath, [join(OUT, 'run.js'), ...args], { cwd: ROOT });
    const t = (JSON.parse(r.stdout) as ResultDocument).stacks[0].throttled.totals;
    // 100 rps × 60 s = 6,000; a 50/100 bucket serves its burst of 100, then 50 × 60 = 3,000 refilled
    expect(t.offered).toBe(6_000);
    expect(t.succeeded).toBe(3_100);
    expect(t.gatewayThrottled).toBe(2_900);
  });

  it('drives a short live run against the emulator (the lazily loaded driver chunk)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-built-'));
    const scenario = join(dir, 'steady.yaml');
    // 20 rps × 2 s = 40 requests, all under a 50/100 stage throttle: all 40 succeed.
    writeFileSync(scenario, 'name: steady\nrequest: { method: GET, path: /items }\ncohorts:\n  - { name: users, role: legit, clients: 4, rate: [ { duration: 2s, rate: 20 } ] }\n');
    const args = ['run', scenario, '--stack', join(ROOT, 'test/fixtures/inputs/rest-stage-50.yaml'), '--json', '--horizon', '1h', '--late-tolerance', '250ms', '--out', dir];
    const r = await run(process.execPath, [join(OUT, 'run.js'), ...args], { cwd: dir });
    const doc = JSON.parse(r.stdout) as ResultDocument;
    const buckets = doc.measured!.cohorts[0].buckets;
    expect(buckets.reduce((s, b) => s + b.offered + b.dropped, 0)).toBe(40);
    expect(buckets.reduce((s, b) => s + b.succeeded, 0)).toBe(buckets.reduce((s, b) => s + b.offered, 0));
  });

  it('loads no heavy package at start: the AWS SDK, undici, echarts and playwright are imported only lazily', () => {
    const eager = [...staticImports(OUT, 'main.js')];
    expect(eager.some((s) => s === 'commander' || s.startsWith('./chunk-'))).toBe(true); // the scan sees imports
    for (const heavy of HEAVY) expect(eager.filter((s) => s.startsWith(heavy))).toEqual([]);
    // and the lazy chunks do reach them
    expect(readFileSync(join(OUT, 'main.js'), 'utf8')).toMatch(/import\("\.\/live-run-[\w-]+\.js"\)/);
  });
});

describe('bin/dowsim.js runs dist/ only when it is up to date', () => {
  const root = mkdtempSync(join(tmpdir(), 'dowsim-stale-'));
  const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);
  beforeAll(() => {
    mkdirSync(join(root, 'src/cli'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    for (const f of ['package.json', 'package-lock.json', 'src/cli/main.ts', 'src/other.ts']) writeFileSync(join(root, f), '{}');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('missing dist: the sources', () => {
    expect(compiledEntry(root, {})).toBeUndefined();
  });

  it('dist newer than every source and manifest: dist; a source or the lock file edited since: the sources', () => {
    writeFileSync(join(root, 'dist/main.js'), '');
    // folders too: one changes when a file in it is added or deleted
    for (const f of ['package.json', 'package-lock.json', 'src/cli/main.ts', 'src/other.ts', 'src/cli', 'src']) at(f, 1_000);
    at('dist/main.js', 2_000);
    expect(compiledEntry(root, {})).toBe(join(root, 'dist/main.js'));
    expect(compiledEntry(root, { DOWSIM_FROM_SOURCE: '1' })).toBeUndefined();
    at('src/cli/main.ts', 3_000); // a nested file counts
    expect(compiledEntry(root, {})).toBeUndefined();
    at('src/cli/main.ts', 1_000);
    at('package-lock.json', 3_000);
    expect(compiledEntry(root, {})).toBeUndefined();
  });
});
