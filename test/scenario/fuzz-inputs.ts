/**
 * Seeded generators of malformed scenario and stack files for the fuzz tests: random mutations
 * of the built-in files (text and structure), plus plain garbage. Deterministic per seed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../src/model/errors.ts';
import { builtInNames, PACKAGE_ROOT, type InputKind } from '../../src/input/builtins.ts';

export type Rng = () => number;

/** mulberry32: small, fast, seeded. */
export function rngFor(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)];

export function builtInTexts(kind: InputKind): string[] {
  const folder = kind === 'scenario' ? 'scenarios' : 'stacks';
  return builtInNames(kind).map((n) => readFileSync(join(PACKAGE_ROOT, folder, `${n}.yaml`), 'utf8'));
}

const WORDS = [
  'name', 'rate', 'burst', 'duration', 'cohorts', 'ramp', 'pulse', 'random', 'diurnal', 'exponential', 'api', 'kind',
  'rest', 'http', 'function-url', 'lambda', 'memoryMb', 'waf', 'rateLimit', 'window', 'usagePlans', 'quota', 'routes',
  'stage', 'role', 'legit', 'attack', 'clients', 'apiKey', 'every', 'seed', 'min', 'max', 'high', 'low', 'on', 'off',
  '__proto__', 'constructor', 'toString', '', ' ', 'GET /x', '$default', 'ANY /{proxy+}', 'p50', 'p99', 'keys',
];

function randomScalar(rng: Rng): unknown {
  switch (int(rng, 16)) {
    case 0: return null;
    case 1: return true;
    case 2: return -int(rng, 1e6) - 1;
    case 3: return rng() * 1e6;
    case 4: return 1e308 * 10; // Infinity
    case 5: return Number.NaN;
    case 6: return 0;
    case 7: return pick(rng, ['5m', '0', '0s', '-5m', '1e3s', '5 m', '250ms', '1.5h', '99999999999999999999d', 'ms', '1x']);
    case 8: return pick(rng, WORDS);
    case 9: return 'x'.repeat(int(rng, 2000));
    case 10: return String.fromCharCode(...Array.from({ length: int(rng, 30) }, () => int(rng, 0xffff)));
    case 11: return Number.MAX_SAFE_INTEGER * (1 + int(rng, 3));
    case 12: return int(rng, 20);
    case 13: return 0.5;
    case 14: return -0;
    default: return pick(rng, ['GET', 'DAY', 'ip', 'x86_64', 'none', 'invalid', 'basic']);
  }
}

function randomValue(rng: Rng, depth = 0): unknown {
  const r = int(rng, 10);
  if (depth > 3 || r < 6) return randomScalar(rng);
  if (r < 8) return Array.from({ length: int(rng, 4) }, () => randomValue(rng, depth + 1));
  return Object.fromEntries(Array.from({ length: int(rng, 4) }, () => [pick(rng, WORDS), randomValue(rng, depth + 1)]));
}

function deepNest(rng: Rng): unknown {
  let v: unknown = randomScalar(rng);
  const depth = 20 + int(rng, 150);
  for (let i = 0; i < depth; i++) v = rng() < 0.5 ? [v] : { [pick(rng, WORDS) || 'a']: v };
  return v;
}

type Container = Record<string, unknown> | unknown[];

/** A random container inside `root` (maybe root itself), with one of its keys. */
function randomSpot(rng: Rng, root: Container): { parent: Container; key: string | number } | undefined {
  let parent: Container = root;
  for (let i = 0; i < 8; i++) {
    const keys: (string | number)[] = Array.isArray(parent) ? parent.map((_, j) => j) : Object.keys(parent);
    if (keys.length === 0) return undefined;
    const key = pick(rng, keys);
    const child = (parent as Record<string | number, unknown>)[key];
    if (child !== null && typeof child === 'object' && rng() < 0.7) parent = child as Container;
    else return { parent, key };
  }
  return undefined;
}

function typo(rng: Rng, key: string): string {
  if (key.length === 0) return 'x';
  const i = int(rng, key.length);
  switch (int(rng, 4)) {
    case 0: return key.slice(0, i) + key.slice(i + 1);
    case 1: return key.slice(0, i) + key[i] + key.slice(i);
    case 2: return key.toUpperCase();
    default: return `${key}_`;
  }
}

/** Applies one structural mutation to a parsed file in place (or returns a replacement root). */
function mutateStructure(rng: Rng, root: Container): Container {
  const spot = randomSpot(rng, root);
  if (!spot) return root;
  const { parent, key } = spot;
  const p = parent as Record<string | number, unknown>;
  switch (int(rng, 10)) {
    case 0: // delete
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete p[key];
      break;
    case 1: // duplicate under a misspelt name, or duplicate a list item
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
      else p[typo(rng, String(key))] = structuredClone(p[key]);
      break;
    case 2: // rename (typo)
      if (!Array.isArray(parent)) {
        p[typo(rng, String(key))] = p[key];
        delete p[key];
      }
      break;
    case 3: // retype to a scalar
      p[key] = randomScalar(rng);
      break;
    case 4: // replace by a random structure
      p[key] = randomValue(rng);
      break;
    case 5: // wrap in a list
      p[key] = [p[key]];
      break;
    case 6: // deep nesting
      p[key] = deepNest(rng);
      break;
    case 7: // a map's values as a list, or a list as a map
      if (p[key] && typeof p[key] === 'object') {
        p[key] = Array.isArray(p[key]) ? Object.fromEntries((p[key] as unknown[]).map((v, i) => [String(i), v])) : Object.values(p[key] as object);
      } else p[key] = {};
      break;
    case 8: // add a random key
      if (!Array.isArray(parent)) p[pick(rng, WORDS)] = randomValue(rng);
      else parent.push(randomValue(rng));
      break;
    default: // numbers made awkward
      if (typeof p[key] === 'number') p[key] = pick(rng, [-(p[key] as number), (p[key] as number) + 0.5, (p[key] as number) * 1e12, 0]);
      else p[key] = null;
  }
  return root;
}

const JUNK = [':', '{', '}', '[', ']', '-', '\t', '"', "'", '&a', '*a', '!', '%', '\n', '#', '|', '>', ' ', '? ', ',', '\u0000', '\u00e9', '\\', '---\n', '...\n', '<<: '];

/** Applies one text mutation. */
function mutateText(rng: Rng, text: string): string {
  const at = int(rng, text.length + 1);
  const lines = text.split('\n');
  const line = int(rng, lines.length);
  switch (int(rng, 9)) {
    case 0: return text.slice(0, at); // truncated
    case 1: return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + int(rng, 40))); // a span deleted
    case 2: return text.slice(0, at) + Array.from({ length: 1 + int(rng, 6) }, () => pick(rng, JUNK)).join('') + text.slice(at);
    case 3: lines.splice(line, 0, lines[line]); return lines.join('\n'); // duplicated line
    case 4: lines.splice(line, 1); return lines.join('\n');
    case 5: lines[line] = (rng() < 0.5 ? '   ' : '') + lines[line].replace(/^ {1,2}/, ''); return lines.join('\n');
    case 6: return text.replace(/-?\d+(\.\d+)?/g, (m) => (rng() < 0.2 ? pick(rng, ['-1', '.inf', '.nan', '1e400', '0', '0.0001', '99999999999999999999', 'x']) : m));
    case 7: return text.replace(/[A-Za-z]+/g, (m) => (rng() < 0.05 ? pick(rng, WORDS) || m : m));
    default: { const j = int(rng, lines.length); [lines[line], lines[j]] = [lines[j], lines[line]]; return lines.join('\n'); }
  }
}

function garbage(rng: Rng): string {
  switch (int(rng, 6)) {
    case 0: return String.fromCharCode(...Array.from({ length: int(rng, 300) }, () => int(rng, 0x3000)));
    case 1: return '['.repeat(1 + int(rng, 1500));
    case 2: return Array.from({ length: 1 + int(rng, 200) }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    case 3: return Array.from({ length: int(rng, 50) }, () => pick(rng, JUNK) + pick(rng, WORDS)).join(pick(rng, ['', ' ', '\n', ': ']));
    case 4: return `a: &x [${'*x, '.repeat(int(rng, 50))}]`;
    default: return JSON.stringify(randomValue(rng));
  }
}

/** The i-th malformed input derived from `sources` (deterministic in seed and i). */
export function malformedInput(sources: string[], seed: number, i: number): string {
  const rng = rngFor(seed * 100_003 + i);
  const source = pick(rng, sources);
  const mode = int(rng, 10);
  if (mode === 0) return garbage(rng);
  if (mode <= 4) {
    let text = source;
    for (let m = 1 + int(rng, 3); m > 0; m--) text = mutateText(rng, text);
    return text;
  }
  let root = parseYaml(source) as Container;
  for (let m = 1 + int(rng, 4); m > 0; m--) root = mutateStructure(rng, root);
  return rng() < 0.5 ? JSON.stringify(root) ?? 'null' : stringify(root, { aliasDuplicateObjects: false });
}

/** What a clean failure looks like: an InputError with problems whose paths and messages are strings. */
export function cleanFailure(err: unknown): string | undefined {
  if (!(err instanceof InputError)) return `threw ${String((err as Error)?.stack ?? err)}`;
  if (err.problems.length === 0) return 'InputError without problems';
  for (const p of err.problems) {
    if (typeof p.path !== 'string') return `a problem path is ${typeof p.path}`;
    if (typeof p.message !== 'string' || p.message.length === 0) return 'a problem without a message';
    if (/\n\s+at /.test(p.message)) return 'a stack trace in a problem message';
  }
  return undefined;
}
