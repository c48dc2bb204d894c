import { describe, expect, it } from 'vitest';
import { planForKey, syntheticApiKey } from '../../src/stack/api-keys.ts';
import { loadStack } from '../../src/stack/load.ts';
import { parseStack } from '../../src/stack/parse.ts';

describe('synthetic API keys', () => {
  it('are dowsim-<plan>-<8-digit index>', () => {
    expect(syntheticApiKey('basic', 7)).toBe('dowsim-basic-00000007');
    expect(syntheticApiKey('basic', 123_456_789)).toBe('dowsim-basic-123456789');
  });

  it('are at least 20 characters, like AWS keys, even for short plan names', () => {
    for (const plan of ['a', 'ab', 'basic', 'gold-tier']) {
      for (const i of [0, 1, 99_999_999]) expect(syntheticApiKey(plan, i).length).toBeGreaterThanOrEqual(20);
    }
    expect(syntheticApiKey('a', 3)).toBe('dowsim-a-00000000003');
  });

  it('differ per client', () => {
    const keys = new Set(Array.from({ length: 1000 }, (_, i) => syntheticApiKey('basic', i)));
    expect(keys.size).toBe(1000);
  });
});

describe('planForKey', () => {
  const stack = loadStack('rest-usage-plan');

  it('recognises synthetic keys of a plan the stack has', () => {
    expect(planForKey(stack, syntheticApiKey('basic', 0))).toBe('basic');
    expect(planForKey(stack, syntheticApiKey('basic', 5_000_000_000))).toBe('basic');
  });

  it('refuses synthetic keys of plans the stack does not have, and anything else', () => {
    expect(planForKey(stack, syntheticApiKey('gold', 1))).toBeUndefined();
    expect(planForKey(stack, 'dowsim-basic-123')).toBeUndefined();
    expect(planForKey(stack, 'dowsim-invalid-key-not-issued-by-any-plan')).toBeUndefined();
    expect(planForKey(stack, '')).toBeUndefined();
    expect(planForKey(loadStack('rest-unprotected'), syntheticApiKey('basic', 1))).toBeUndefined();
  });

  it('recognises a plan\'s explicit keys, and plan names with dashes', () => {
    const s = parseStack(`name: k
api:
  kind: rest
  apiKeyRequired: true
  usagePlans:
    - { name: gold-tier, keys: ["k3y-0123456789abcdefghij"] }
    - { name: basic }
lambda: { memoryMb: 512 }
`);
    expect(planForKey(s, 'k3y-0123456789abcdefghij')).toBe('gold-tier');
    expect(planForKey(s, syntheticApiKey('gold-tier', 4))).toBe('gold-tier');
    expect(planForKey(s, syntheticApiKey('basic', 4))).toBe('basic');
    expect(planForKey(s, 'k3y-0123456789abcdefghiX')).toBeUndefined();
  });
});
