import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const BIN = fileURLToPath(new URL('../../bin/dowsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dowsim-k6-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dowsim(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** k6 JSON output lines (k6 docs' shape) for one second of a dowsim script's run. */
function k6Lines(): string {
  const lines: string[] = [JSON.stringify({ type: 'Metric', data: { type: 'counter', contains: 'default', tainted: null, thresholds: [], submetrics: null }, metric: 'http_reqs' })];
  const point = (status: number, cohort: string, role: string, i: number) =>
    JSON.stringify({
      type: 'Point',
      data: { time: `2026-03-01T10:00:00.${String(i).padStart(3, '0')}000000Z`, value: 1, tags: { cohort, role, scenario: cohort, status: String(status), method: 'GET', name: 'GET /items', url: 'http://127.0.0.1:8787/items' } },
      metric: 'http_reqs',
    });
  for (let i = 0; i < 100; i++) lines.push(point(200, 'bots', 'attack', i));
  for (let i = 100; i < 140; i++) lines.push(point(429, 'bots', 'attack', i));
  for (let i = 140; i < 150; i++) lines.push(point(200, 'users', 'legit', i));
  return lines.join('\n') + '\n';
}

describe('dowsim k6', () => {
  it('writes <scenario>.k6.js and <scenario>.testrun.yaml with the requested parallelism, and says how to run them', async () => {
    const out = join(dir, 'export');
    const r = await dowsim(['k6', 'quick-flood', '--stack', 'rest-stage-throttled', '--out', out, '--parallelism', '3', '--fail-if', 'collateral>0.01']);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(out, 'quick-flood.k6.js'))).toBe(true);
    const docs = parseAllDocuments(readFileSync(join(out, 'quick-flood.testrun.yaml'), 'utf8')).map((d) => d.toJS());
    expect(docs[1]).toMatchObject({ kind: 'TestRun', spec: { parallelism: 3 } });
    expect(r.out).toMatch(/wrote .*quick-flood\.k6\.js/);
    expect(r.out).toMatch(/k6 threshold 'http_req_failed\{role:legit\}': rate<=0\.01/);
    expect(r.out).toMatch(/k6 run --out json=/);
  });

  it('a mistake in the flags is exit 1 with a sentence, not a stack trace, and writes nothing', async () => {
    const out = join(dir, 'never');
    const r = await dowsim(['k6', 'quick-flood', '--stack', 'rest-stage-throttled', '--out', out, '--parallelism', 'many']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--parallelism: expected a whole number/);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    expect(existsSync(out)).toBe(false);
  });

  it('--duration 24h exports botnet-flood repeated over the day, its users following the whole 24 h curve', async () => {
    const out = join(dir, 'day');
    const r = await dowsim(['k6', 'botnet-flood', '--stack', 'rest-stage-throttled', '--out', out, '--duration', '24h']);
    expect(r.code, r.err).toBe(0);
    // users: ∫₀⁸⁶⁴⁰⁰ 20 + 10 sin(2πt/86400) dt = 1,728,000 (k6 plans it within 0.2 %: 1,724,544–1,731,456)
    const users = Number(/users: .*?, ([\d,]+) requests/.exec(r.out)?.[1].replace(/,/g, ''));
    expect(Math.abs(users - 1_728_000)).toBeLessThanOrEqual(3456);
    // bots: 24 × (150,000 + 5,000 × 54 × 60) = 24 × 16,350,000 = 392,400,000
    expect(r.out).toMatch(/bots: .*, 392,400,000 requests/);
    const bad = await dowsim(['k6', 'botnet-flood', '--stack', 'rest-stage-throttled', '--out', join(dir, 'never2'), '--duration', 'soon']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--duration: expected a duration like/);
    expect(existsSync(join(dir, 'never2'))).toBe(false);
  });
});

describe('dowsim import-k6', () => {
  const file = join(dir, 'out.ndjson');
  writeFileSync(file, k6Lines());

  it('--json prints the result document of the imported run (source k6, offered = http_reqs)', async () => {
    const r = await dowsim(['import-k6', file, '--stack', 'rest-stage-throttled', '--json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.source).toBe('k6');
    expect(doc.stacks[0].throttled.totals).toMatchObject({ offered: 150, succeeded: 110, gatewayThrottled: 40 });
    expect(doc.stacks[0].throttled.cohorts.users.role).toBe('legit');
  });

  it('--fail-if trips on the imported run: exit 3', async () => {
    const r = await dowsim(['import-k6', file, '--stack', 'rest-stage-throttled', '--fail-if', 'totals.gatewayThrottled>0']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/gate tripped: --fail-if "totals\.gatewayThrottled>0"/);
  });

  it('input mistakes are exit 1 with the file named: a missing file, both inputs at once', async () => {
    const missing = await dowsim(['import-k6', join(dir, 'nope.ndjson'), '--stack', 'rest-stage-throttled']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nope\.ndjson: no such file/);
    const both = await dowsim(['import-k6', file, '--summary', file, '--stack', 'rest-stage-throttled']);
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/either the --out json file or --summary/);
  });

  it('a --duration too long for a k6 script is exit 1 naming one that fits, which then exports', async () => {
    // pulse-bursts' bots: 10 s on, 20 s off, each phase a stage and its jump another: a 1,000-day
    // run would be over a million stages; 100 days are 115,197 (counted), over the 100,000 allowed
    const never = join(dir, 'never3');
    const long = await dowsim(['k6', 'pulse-bursts', '--stack', 'rest-stage-throttled', '--out', never, '--duration', '1000d']);
    expect(long.code).toBe(1);
    expect(long.err).toMatch(/--duration: cohort "bots" would need at least [\d,]+ k6 stages \(at most 100,000\) over 1000d: choose (\d+)d or less/);
    expect(long.err).not.toMatch(/internal error|RangeError|\bat .*\.(ts|js):\d+/);
    const counted = await dowsim(['k6', 'pulse-bursts', '--stack', 'rest-stage-throttled', '--out', never, '--duration', '100d']);
    expect(counted.code).toBe(1);
    expect(counted.err).toMatch(/would need 115,197 k6 stages .* over 100d: choose 86d or less/);
    expect(existsSync(never)).toBe(false);
    // the suggestion fits
    const days = /choose (\d+)d or less/.exec(long.err)![1];
    const ok = await dowsim(['k6', 'pulse-bursts', '--stack', 'rest-stage-throttled', '--out', join(dir, 'fits'), '--duration', `${days}d`]);
    expect(ok.code, ok.err).toBe(0);
    const stages = Number(/bots: ramping-arrival-rate \((\d+) stages/.exec(ok.out)?.[1]);
    expect(stages).toBeGreaterThan(50_000);
    expect(stages).toBeLessThanOrEqual(100_000);
  });

  it('a scenario whose one pass is too long for a k6 script names its cohort\'s rate', async () => {
    // a new random rate every second for 2 days: 172,800 steps, each a stage
    const file = join(dir, 'dice.yaml');
    writeFileSync(file, 'name: dice\ndescription: d\ncohorts:\n  - { name: dice, role: attack, rate: [ { duration: 48h, random: { min: 1, max: 9, every: 1s } } ] }\n');
    const r = await dowsim(['k6', file, '--stack', 'rest-stage-throttled', '--out', join(dir, 'never4')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/dice: cohorts\[0\]\.rate: cohort "dice" would need .*k6 stages \(at most 100,000\): shorten the scenario/);
    expect(existsSync(join(dir, 'never4'))).toBe(false);
    // ten years of a daily curve: 48 chords a day, 175,200 at least
    const decade = join(dir, 'decade.yaml');
    writeFileSync(decade, 'name: decade\ndescription: d\ncohorts:\n  - { name: u, role: legit, rate: [ { duration: 3650d, diurnal: { mean: 20, amplitude: 10, period: 24h } } ] }\n');
    const d = await dowsim(['k6', decade, '--stack', 'rest-stage-throttled', '--out', join(dir, 'never4')]);
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/decade: cohorts\[0\]\.rate: cohort "u" would need at least [\d,]+ k6 stages/);
    expect(d.err).not.toMatch(/internal error|RangeError/);
  });

  it('a cohort that never sends is left out of the bound: 1000 days of a 20-s scenario with one silent cohort export', async () => {
    // the silent cohort is shorter than the scenario (silence, then the gap to the next repetition):
    // 4.3 million repetitions of nothing are no stages at all
    const file = join(dir, 'quiet.yaml');
    writeFileSync(file, 'name: quiet\ndescription: q\ncohorts:\n  - { name: ghost, role: attack, rate: [ { duration: 10s, rate: 0 } ] }\n  - { name: u, role: legit, rate: [ { duration: 20s, rate: 5 } ] }\n');
    const r = await dowsim(['k6', file, '--stack', 'rest-stage-throttled', '--out', join(dir, 'quiet'), '--duration', '1000d']);
    expect(r.code, r.err).toBe(0);
    // 5 rps × 86,400 s × 1,000
    expect(r.out).toMatch(/u: constant-arrival-rate \(5\/1s for 24000h\), 432,000,000 requests/);
  });
});
