import { describe, expect, it } from 'vitest';
import { parseStack } from '../../src/stack/parse.ts';
import { matchRoute } from '../../src/stack/routes.ts';
import type { Stack } from '../../src/stack/types.ts';
import { builtInTexts, cleanFailure, malformedInput } from '../scenario/fuzz-inputs.ts';

function nonFinite(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const bad = nonFinite(v, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return undefined;
}

function checkStack(s: Stack): string | undefined {
  const bad = nonFinite(s);
  if (bad) return `non-finite number at ${bad}`;
  matchRoute(s, 'GET', '/items');
  if (s.lambda.duration.p99 < s.lambda.duration.p50) return 'p99 < p50';
  return undefined;
}

describe('fuzz: malformed stack files', () => {
  it('2,000 malformed variants of the built-in stacks only ever fail with clean InputErrors', () => {
    const sources = builtInTexts('stack');
    const failures: string[] = [];
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const text = malformedInput(sources, 2, i);
      try {
        const bad = checkStack(parseStack(text, 'fuzz.yaml'));
        if (bad) failures.push(`#${i} accepted but ${bad}`);
      } catch (err) {
        rejected++;
        const bad = cleanFailure(err);
        if (bad) failures.push(`#${i}: ${bad}\n--- input ---\n${text.slice(0, 2000)}`);
      }
    }
    expect(failures.slice(0, 3)).toEqual([]);
    expect(rejected).toBeGreaterThan(1000);
  });
});
