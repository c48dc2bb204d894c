/** Big hostile scenario and stack files for the bounded-fuzz test: n mistakes, or one huge one. */
import { stringify } from 'yaml';
import type { Rng } from './fuzz-inputs.ts';

const int = (rng: Rng, n: number) => Math.floor(rng() * n);

const SCENARIO = { name: 'big', request: { method: 'GET', path: '/items' }, cohorts: [{ name: 'bots', role: 'attack', rate: [{ duration: '1m', rate: 10 }] }] };
const STACK = { name: 'big', api: { kind: 'rest', stage: { rate: 50, burst: 100 } }, lambda: { memoryMb: 128 } };

export type Big = (rng: Rng, n: number) => string;

// Each maker writes a file of about n entries that breaks a rule n times (or once, hugely).
export const MAKERS: Record<string, Big> = {
  'n unknown top-level keys': (rng, n) => stringify({ ...SCENARIO, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}x${int(rng, 1e6)}`, i])) }),
  'n unknown keys in a cohort': (_, n) =>
    stringify({ ...SCENARIO, cohorts: [{ ...SCENARIO.cohorts[0], ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`nam${i}`, i])) }] }),
  'n cohorts with the same name and no rate': (_, n) => stringify({ ...SCENARIO, cohorts: Array.from({ length: n }, () => ({ name: 'same', role: 'attack' })) }),
  'n segments without a shape': (_, n) => stringify({ ...SCENARIO, cohorts: [{ ...SCENARIO.cohorts[0], rate: Array.from({ length: n }, () => ({ duration: '1s' })) }] }),
  'n repeats of one key': (_, n) => `name: a\n${'request: 1\n'.repeat(n)}`,
  'n unknown keys in lambda': (_, n) => stringify({ ...STACK, lambda: { ...STACK.lambda, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`memoryMB${i}`, i])) } }),
  'n bad routes': (_, n) => stringify({ ...STACK, api: { ...STACK.api, routes: Object.fromEntries(Array.from({ length: n }, (_, i) => [`FETCH /r${i}`, { rate: -1 }])) } }),
  'n usage plans sharing a key': (_, n) =>
    stringify({ ...STACK, api: { ...STACK.api, usagePlans: Array.from({ length: n }, (_, i) => ({ name: `p${i % 7}`, keys: ['k-shared-0123456789'] })) } }),
  'one key of n×40 characters': (_, n) => stringify({ ...SCENARIO, ['k'.repeat(n * 40)]: 1 }),
  'a cohort name of n×40 characters, twice': (_, n) => stringify({ ...SCENARIO, cohorts: [0, 1].map(() => ({ ...SCENARIO.cohorts[0], name: 'c'.repeat(n * 40) })) }),
  'n flow-style lines of junk': (rng, n) => Array.from({ length: n }, (_, i) => `k${i}: {${'[,'.repeat(int(rng, 5))}`).join('\n'),
};

