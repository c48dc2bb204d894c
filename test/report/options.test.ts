import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { addOutputOptions, emitResult, parseOutputOptions, type OutputOptions } from '../../src/cli/options.ts';
import { InputError } from '../../src/model/errors.ts';
import { formatList } from '../../src/cli/format-list.ts';
import { REPORT_FORMATS } from '../../src/report/write-reports.ts';
import { simulatedFixture } from './fixture.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s), isTTY: false }, stderr: { write: (s: string) => err.push(s) }, env: {} },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

function parse(args: string[]): OutputOptions {
  const cmd = addOutputOptions(new Command('x').exitOverride());
  cmd.parse(args, { from: 'user' });
  return cmd.opts<OutputOptions>();
}

describe('shared output options', () => {
  it('accept --format as a comma list or repeated, and --fail-if repeated', () => {
    const o = parse(['--format', 'html,md', '--format', 'csv', '--fail-if', 'cost.perHour>50', '--fail-if', 'collateral>0.01', '--out', 'd']);
    expect(o.format).toEqual(['html', 'md', 'csv']);
    expect(o.failIf).toEqual(['cost.perHour>50', 'collateral>0.01']);
    expect(parseOutputOptions(o)).toMatchObject({ outDir: 'd', formats: ['html', 'md', 'csv'], json: false });
  });

  it('reject a bad format or gate while parsing the command line, naming it', () => {
    expect(() => parse(['--format', 'pdf'])).toThrow(InputError);
    expect(() => parse(['--format', 'pdf'])).toThrow(/--format: unknown format "pdf"/);
    // a value naming no format (an unset shell variable) writes no report: refused, not ignored
    expect(() => parse(['--format', ''])).toThrow(/--format: expected one or more of json, md, html, csv \(e\.g\. --format html,md\), got ""/);
    expect(() => parse(['--format', ' , '])).toThrow(/--format: expected one or more of .*got " , "/);
    // a stray comma among names is not an empty value
    expect(parse(['--format', 'Markdown,,html,md']).format).toEqual(['md', 'html']);
    // the formats named, in order, once each, after the earlier flags' (none before the first)
    expect(formatList('csv, JSON', REPORT_FORMATS)).toEqual(['csv', 'json']);
    expect(formatList('json,md', REPORT_FORMATS, ['md'])).toEqual(['md', 'json']);
    expect(() => formatList('pdf', REPORT_FORMATS)).toThrow('--format: unknown format "pdf"; use json, md, html, csv (e.g. --format html,md)');
    expect(() => parse(['--fail-if', 'cost>5'])).toThrow(/--fail-if "cost>5"/);
  });

  it('default to json+md when only --out is given, and to reports/<scenario>-<time>/ when only --format is', () => {
    expect(parseOutputOptions({ out: 'x' })).toMatchObject({ outDir: 'x', formats: ['json', 'md'] });
    expect(parseOutputOptions({ format: ['html'] })).toMatchObject({ outDir: '', formats: ['html'] });
    expect(parseOutputOptions({})).toMatchObject({ outDir: undefined, formats: [] });
  });
});

describe('emitResult', () => {
  it('prints the summary, writes the reports, lists their paths on stderr, returns 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-emit-'));
    const c = capture();
    const code = await emitResult(simulatedFixture(), { out: dir, format: ['html', 'csv'] }, c.io);
    expect(code).toBe(0);
    expect(c.stdout()).toContain('Ranking');
    expect(readdirSync(dir).sort()).toEqual(['botnet-flood.csv', 'botnet-flood.html']);
    expect(c.stderr()).toBe(`wrote ${join(dir, 'botnet-flood.html')}\nwrote ${join(dir, 'botnet-flood.csv')}\n`);
  });

  it('with --json prints the document and nothing else on stdout', async () => {
    const c = capture();
    const doc = simulatedFixture();
    const code = await emitResult(doc, { json: true }, c.io);
    expect(code).toBe(0);
    expect(JSON.parse(c.stdout())).toEqual(doc);
    expect(c.stderr()).toBe('');
  });

  it('writes the reports first and then exits 3 naming the tripped gate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-emit-'));
    const c = capture();
    const doc = simulatedFixture();
    const code = await emitResult(doc, { out: dir, json: true, failIf: ['cost.perHour>0.01', 'savings<0'] }, c.io);
    expect(code).toBe(3);
    const files = readdirSync(dir);
    expect(files).toContain('botnet-flood.json');
    expect(files).toContain('botnet-flood.md');
    expect(files.filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(readFileSync(join(dir, 'botnet-flood.json'), 'utf8'))).toEqual(doc);
    const err = c.stderr();
    expect(err.indexOf('wrote ')).toBeLessThan(err.indexOf('gate tripped'));
    for (const s of doc.stacks) expect(err).toMatch(new RegExp(`gate tripped: --fail-if "cost\\.perHour>0\\.01": cost\\.perHour = [\\d.,]+ > 0\\.01 on stack ${s.name}\\n`));
    expect(err.match(/gate tripped/g)!.length).toBe(doc.stacks.length);
    expect(err).not.toContain('savings<0');
  });
});
