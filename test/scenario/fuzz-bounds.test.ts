/**
 * Fuzz with big hostile files: whatever their size, the scenario and stack parsers answer with a
 * clean InputError whose message is capped, in time and memory that grow with the file, not its
 * square. Bounds are counts and sizes; the only clock bound is the test's own generous timeout.
 */
import { describe, expect, it } from 'vitest';
import { resourceUsage } from 'node:process';
import { InputError, MAX_LISTED_PROBLEMS } from '../../src/model/errors.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { MAKERS } from './big-inputs.ts';
import { cleanFailure, rngFor } from './fuzz-inputs.ts';

const int = (rng: () => number, n: number) => Math.floor(rng() * n);

function attempt(text: string): { error?: string; message: string } {
  const message: string[] = [];
  for (const parse of [parseScenario, parseStack] as const) {
    try {
      parse(text, 'big.yaml');
      message.push('');
    } catch (err) {
      const bad = cleanFailure(err);
      if (bad) return { error: bad, message: '' };
      message.push((err as InputError).message);
    }
  }
  return { message: message.join('\n') };
}

describe('fuzz: big hostile files stay bounded', () => {
  it('files of 3,000 mistakes (or one huge one) get clean, capped messages; memory stays flat', () => {
    const rng = rngFor(17);
    const failures: string[] = [];
    for (const [what, make] of Object.entries(MAKERS)) {
      const n = 3_000 + int(rng, 300);
      const text = make(rng, n);
      const { error, message } = attempt(text);
      if (error) failures.push(`${what}: ${error}`);
      // two parsers, each: a header line, ≤ 50 problems, a "… and N more" line (lines ≤ 500 chars)
      const lines = message.split('\n');
      if (lines.length > 2 * (MAX_LISTED_PROBLEMS + 2)) failures.push(`${what}: ${lines.length} lines`);
      if (message.length > 2 * (MAX_LISTED_PROBLEMS + 2) * 520) failures.push(`${what}: ${message.length} characters`);
    }
    expect(failures).toEqual([]);
    // peak resident memory of this whole test process (the biggest file is ~200 KB of YAML)
    expect(resourceUsage().maxRSS * 1024).toBeLessThan(1.5 * 2 ** 30);
  });

  it('the message counts what it does not list', () => {
    // 2,000 unknown keys beside a valid scenario: 2,000 problems, 50 listed, 1,950 counted
    const text = MAKERS['n unknown top-level keys'](rngFor(1), 2_000);
    let message = '';
    try {
      parseScenario(text, 'big.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).problems).toHaveLength(2_000);
      message = (err as InputError).message;
    }
    expect(message.split('\n')).toHaveLength(1 + 50 + 1);
    expect(message).toMatch(/^big\.yaml: 2,000 problems:\n/);
    expect(message).toMatch(/… and 1,950 more \(the first 50 are listed\)$/);
  });
});
