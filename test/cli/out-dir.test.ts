import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

// A real loopback server standing in for a target: it counts every request it gets, so "before
// any traffic" is checked, not assumed.
let server: Server;
let hits = 0;
let target = '';
const dir = mkdtempSync(join(tmpdir(), 'dowsim-out-dir-'));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a directory');

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  target = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const noTrace = (stderr: string) => expect(stderr).not.toMatch(/internal error|at .*\.ts:\d+/);

describe('--out is checked before any work', () => {
  it.concurrent.each([
    ['simulate', ['simulate', 'quick-flood', '--stack', 'rest-waf']],
    ['compare', ['compare', 'quick-flood', '--stack', 'rest-waf', '--stack', 'rest-stage-throttled']],
    ['import-k6', ['import-k6', 'no-such-file.json', '--stack', 'rest-waf']],
    ['report', ['report', 'no-such-result.json']],
    ['k6', ['k6', 'quick-flood', '--stack', 'rest-waf']],
    // tune and audit checked --out only after their work, and Node 20's recursive mkdir spins
    // forever under /proc: both hung (tune after its search, audit after pricing every API)
    ['tune', ['tune', 'quick-flood', '--stack', 'rest-waf']],
    ['audit', ['audit', 'test/fixtures/iac-corpus/sam-translator/api_with_usageplans.input.yaml']],
  ])('%s --out /proc/x: exit 1 with one sentence naming --out', async (_name, args) => {
    const r = await runCli([...args, '--out', '/proc/x']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--out: cannot write into "\/proc\/x": \/proc is a kernel file system/);
    noTrace(r.stderr);
    expect(r.stdout).toBe('');
  });

  it.concurrent('run --out /proc/x against a live loopback target: exit 1 and not one request sent', async () => {
    const r = await runCli(['run', 'quick-flood', '--stack', 'rest-stage-throttled', '--target', target, '--duration', '5s', '--out', '/proc/x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out: cannot write into "\/proc\/x"/);
    noTrace(r.stderr);
    expect(hits).toBe(0);
  });

  it.concurrent('run --out /proc/x with the in-process emulator: exit 1, nothing measured, nothing printed on stdout', async () => {
    const r = await runCli(['run', 'quick-flood', '--stack', 'rest-stage-throttled', '--duration', '5s', '--out', '/proc/x']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/Driving/);
    expect(r.stdout).toBe('');
  });

  it.concurrent('a file, or a path through a file, is refused by name', async () => {
    const asDir = await runCli(['simulate', 'quick-flood', '--stack', 'rest-waf', '--out', aFile]);
    expect(asDir.code).toBe(1);
    expect(asDir.stderr).toMatch(/it is a file, not a directory/);
    const through = await runCli(['simulate', 'quick-flood', '--stack', 'rest-waf', '--out', join(aFile, 'sub')]);
    expect(through.code).toBe(1);
    expect(through.stderr).toContain(`"${aFile}" is a file, not a directory`);
    noTrace(through.stderr);
  });

  it.concurrent('audit without --out checks its default folder (reports/) before reading anything', async () => {
    // in a folder where "reports" is a file, `audit --format json` cannot write reports/audit-<time>/
    const cwd = mkdtempSync(join(tmpdir(), 'dowsim-audit-cwd-'));
    writeFileSync(join(cwd, 'reports'), 'a file');
    const template = join(process.cwd(), 'test/fixtures/iac-corpus/sam-translator/api_with_usageplans.input.yaml');
    const r = await runCli(['audit', template, '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out: cannot write into "reports": it is a file, not a directory/);
    expect(r.stdout).toBe('');
    noTrace(r.stderr);
  });

  it.concurrent('a directory that does not exist yet is fine, and is created only when reports are written', async () => {
    const fresh = join(dir, 'fresh', 'nested');
    const r = await runCli(['simulate', 'quick-flood', '--stack', 'rest-waf', '--horizon', '1h', '--out', fresh]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(fresh, 'quick-flood.json'))).toBe(true);
  });
});
