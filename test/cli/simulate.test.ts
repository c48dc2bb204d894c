import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';
import { OUTCOMES } from '../../src/model/outcomes.ts';
import type { ResultDocument } from '../../src/model/result.ts';

const GB = 2 ** 30;
const line = (doc: ResultDocument, item: RegExp) => doc.stacks[0].throttled.bill.lines.filter((l) => item.test(`${l.service} ${l.item}`));
const sum = (ls: { cost: number }[]) => ls.reduce((s, l) => s + l.cost, 0);

async function simulateJson(args: string[]): Promise<ResultDocument> {
  const r = await runCli(['simulate', ...args, '--json']);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ResultDocument;
}

describe('dowsim simulate — bills checked by hand', () => {
  it('100 rps for 60 s into a 50/100 stage throttle: 3,100 served, the 2,900 429s cost nothing', async () => {
    const doc = await simulateJson(['test/fixtures/inputs/flood-100rps-60s.yaml', '--stack', 'test/fixtures/inputs/rest-stage-50.yaml', '--horizon', '60s']);
    const t = doc.stacks[0].throttled.totals;
    expect(t.offered).toBe(6_000);
    expect(t.succeeded).toBe(100 + 50 * 60);
    expect(t.gatewayThrottled).toBe(2_900);
    expect(t.billedApiRequests).toBe(3_100);
    // REST: 3,100 × $3.50/M = $0.01085
    expect(sum(line(doc, /API Gateway/))).toBeCloseTo(0.01085, 10);
    // Lambda requests: 3,100 × $0.20/M = $0.00062; duration: 3,100 × 0.1 s × 1 GB = 310 GB-s × $0.0000166667
    expect(sum(line(doc, /Lambda.*request/i))).toBeCloseTo(0.00062, 10);
    expect(t.gbSeconds).toBeCloseTo(310, 6);
    expect(sum(line(doc, /Lambda.*(duration|GB)/i))).toBeCloseTo(310 * 0.0000166667, 10);
    // Logs: 3,100 × 300 bytes at $0.50/GB
    expect(sum(line(doc, /Logs/))).toBeCloseTo(((3_100 * 300) / GB) * 0.5, 10);
    // the unthrottled variant serves all 6,000
    expect(doc.stacks[0].unthrottled.totals.succeeded).toBe(6_000);
    expect(doc.stacks[0].savings).toBeGreaterThan(0);
  });

  it('200 rps over a 730 h month crosses the 333 M REST tier: 333 M × $3.50/M + 192.6 M × $2.80/M', async () => {
    const doc = await simulateJson(['test/fixtures/inputs/flood-200rps-1h.yaml', '--stack', 'test/fixtures/inputs/rest-open-1gb.yaml', '--horizon', '730h']);
    const t = doc.stacks[0].throttled.totals;
    expect(t.billedApiRequests).toBe(200 * 730 * 3600);
    expect(sum(line(doc, /API Gateway/))).toBeCloseTo(333 * 3.5 + 192.6 * 2.8, 6);
    // 525.6 M × 0.1 s × 1 GB = 52.56 M GB-s, all in the first x86 tier
    expect(t.gbSeconds).toBeCloseTo(52_560_000, 0);
    expect(sum(line(doc, /Lambda.*(duration|GB)/i))).toBeCloseTo(52_560_000 * 0.0000166667, 4);
  });

  it('an HTTP API bills a 1.2 MB request as 3 units of 512 KB', async () => {
    const doc = await simulateJson(['test/fixtures/inputs/http-large-payload.yaml', '--stack', 'test/fixtures/inputs/http-open.yaml', '--horizon', '100s']);
    const t = doc.stacks[0].throttled.totals;
    expect(t.succeeded).toBe(1_000);
    expect(t.billedApiRequests).toBe(3_000);
    expect(sum(line(doc, /API Gateway/))).toBeCloseTo(3_000 * 1e-6, 12);
  });
});

describe('dowsim simulate — the result document', () => {
  it('every built-in scenario × stack pair prints a valid dowsim.result/1 document', async () => {
    const r = await runCli(['compare', 'botnet-flood', '--stack', 'rest-unprotected', '--stack', 'rest-stage-throttled', '--stack', 'rest-usage-plan',
      '--stack', 'rest-waf', '--stack', 'http-route-throttled', '--stack', 'function-url-reserved', '--horizon', '24h', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as ResultDocument;
    expect(doc.schema).toBe('dowsim.result/1');
    expect(doc.source).toBe('simulated');
    expect(doc.horizonSeconds).toBe(86_400);
    expect(doc.stacks.map((s) => s.name)).toEqual(['rest-unprotected', 'rest-stage-throttled', 'rest-usage-plan', 'rest-waf', 'http-route-throttled', 'function-url-reserved']);
    for (const s of doc.stacks) {
      for (const v of [s.throttled, s.unthrottled]) {
        const t = v.totals;
        expect(t.offered).toBe(OUTCOMES.reduce((n, o) => n + t[o], 0));
        expect(t.invoked).toBe(t.succeeded + t.failed + t.timedOut);
        expect(v.bill.currency).toBe('USD');
        expect(v.bill.total).toBeCloseTo(v.bill.lines.reduce((n, l) => n + l.cost, 0), 9);
        expect(v.bill.perHour).toBeCloseTo(v.bill.total / 24, 9);
      }
      expect(s.savings).toBeCloseTo(s.unthrottled.bill.total - s.throttled.bill.total, 9);
      expect(s.collateral).toBeGreaterThanOrEqual(0);
      expect(s.collateral).toBeLessThanOrEqual(1);
    }
    // throttles never raise the bill — up to the fluid INIT accounting of cold starts, which moves
    // with the steps the engine takes by a few thousandths of a GB-second (rest-usage-plan over the
    // 24 h diurnal curve: 2.5524 vs 2.5508 GB-s of INIT, $0.00000003 on $9.27): a millionth of the bill
    for (const s of doc.stacks) expect(s.throttled.bill.total).toBeLessThanOrEqual(s.unthrottled.bill.total * (1 + 1e-6));
  });

  it('--json prints the document and nothing else on stdout', async () => {
    const r = await runCli(['simulate', 'quick-flood', '--stack', 'rest-stage-throttled', '--horizon', '1h', '--json']);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('the default output is a readable table, not JSON', async () => {
    const r = await runCli(['simulate', 'quick-flood', '--stack', 'rest-stage-throttled', '--horizon', '1h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rest-stage-throttled/);
    expect(r.stdout).toMatch(/\$/);
    expect(r.stdout.trim().startsWith('{')).toBe(false);
  });

  it('--out writes JSON and Markdown reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-out-'));
    const r = await runCli(['simulate', 'quick-flood', '--stack', 'rest-stage-throttled', '--horizon', '1h', '--out', dir]);
    expect(r.code).toBe(0);
    const files = readdirSync(dir, { recursive: true }).map(String);
    expect(files.some((f) => f.endsWith('.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('.md'))).toBe(true);
  });
});

describe('dowsim simulate — user mistakes', () => {
  it('a malformed scenario gets every problem with its path, exit 1, no stack trace, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-bad-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\ncohorts:\n  - name: x\n    role: attacker\n    rate:\n      - { duration: 5 minutes, rate: -1 }\n');
    const out = join(dir, 'out');
    const r = await runCli(['simulate', bad, '--stack', 'rest-unprotected', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cohorts\[0\]\.role/);
    expect(r.stderr).toMatch(/cohorts\[0\]\.rate\[0\]\.duration/);
    expect(r.stderr).toMatch(/cohorts\[0\]\.rate\[0\]\.rate/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(() => readdirSync(out)).toThrow();
  });

  it('problems in the scenario and in two stacks are reported together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-bad-'));
    writeFileSync(join(dir, 's1.yaml'), 'name: s1\napi: { kind: soap }\nlambda: { memoryMb: 512 }\n');
    writeFileSync(join(dir, 's2.yaml'), 'name: s2\napi: { kind: rest }\nlambda: { memoryMb: -1 }\n');
    const r = await runCli(['compare', 'quick-flood', '--stack', join(dir, 's1.yaml'), '--stack', join(dir, 's2.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/api\.kind/);
    expect(r.stderr).toMatch(/lambda\.memoryMb/);
  });

  it('a bad --horizon, a missing stack, an unknown option: exit 1 with a sentence', async () => {
    for (const args of [
      ['simulate', 'quick-flood', '--stack', 'rest-unprotected', '--horizon', 'forever'],
      ['simulate', 'quick-flood'],
      ['simulate', 'quick-flood', '--stack', 'no-such-stack'],
      ['simulate', 'quick-flood', '--stack', 'rest-unprotected', '--bogus'],
      ['compare', 'quick-flood', '--stack', 'rest-unprotected'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.length).toBeGreaterThan(10);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });
});
