import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, ROOT } from '../support/cli.ts';

describe('dowsim simulate — a file full of mistakes', () => {
  it('32,000 unknown keys: exit 1, 50 listed with their lines, the other 31,950 counted, a few KB of output', async () => {
    const base = readFileSync(join(ROOT, 'scenarios/quick-flood.yaml'), 'utf8');
    const baseLines = base.split('\n').length - 1; // the file ends with a newline
    let extra = '';
    for (let i = 0; i < 32_000; i++) extra += `unknownKey${i}: ${i}\n`;
    const file = join(mkdtempSync(join(tmpdir(), 'dowsim-keys-')), 'many-keys.yaml');
    writeFileSync(file, base + extra);

    const r = await runCli(['simulate', file, '--stack', 'rest-unprotected'], { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    // a header, 50 problems, one line counting the rest
    expect(lines).toHaveLength(52);
    expect(lines[0]).toBe(`dowsim: ${file}: 32,000 problems:`);
    expect(lines[1]).toBe(`  - unknownKey0: unknown key; expected one of name, description, request, cohorts (line ${baseLines + 1})`);
    expect(lines[50]).toMatch(new RegExp(`^  - unknownKey49: .*\\(line ${baseLines + 50}\\)$`));
    expect(lines[51]).toBe('  … and 31,950 more (the first 50 are listed)');
    // 52 lines of ≤ ~120 characters, where there used to be 2.9 MB
    expect(r.stderr.length).toBeLessThan(10_000);
  });
});
