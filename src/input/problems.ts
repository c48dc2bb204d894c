import type { z } from 'zod';
import type { Problem } from '../model/errors.ts';
import { describeValue } from './describe-value.ts';
import { didYouMean } from './did-you-mean.ts';
import { formatPath, type PathKey } from './path.ts';

/** Where a path sits in the file ("line 12"), when the file was YAML text we can point into. */
export type Locate = (path: readonly PathKey[]) => number | undefined;

/** A problem before formatting: the raw path, so problems can be sorted by place in the file. */
export interface RawProblem {
  path: PathKey[];
  message: string;
}

/** Paths whose values are secrets: never echo what the user wrote there. */
export function isSecretPath(path: readonly PathKey[]): boolean {
  return path.some((k) => k === 'keys');
}

/** Turns zod's issues (parsed with `reportInput: true`) into one problem per mistake, in plain words. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): RawProblem[] {
  const out: RawProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      for (const key of issue.keys) {
        const guess = didYouMean(key, known);
        const hint = guess ? ` (did you mean "${guess}"?)` : '';
        const expected = known.length ? `; expected one of ${known.join(', ')}` : '';
        out.push({ path: [...path, key], message: `unknown key${hint}${expected}` });
      }
      continue;
    }
    if (issue.code === 'invalid_union') {
      // A map written where either a value or a map is allowed: report the map's own mistakes.
      const input = (issue as { input?: unknown }).input;
      const fits = (b: z.core.$ZodIssue[]) =>
        b.length > 0 && b.every((i) => i.path.length > 0 || (i.code !== 'invalid_type' && i.code !== 'custom'));
      const branch = isPlainMap(input) ? issue.errors.find(fits) : undefined;
      if (branch) {
        const nested = branch.map((i) => ({ ...i, path: [...path, ...i.path], input: (i as { input?: unknown }).input }));
        out.push(...problemsFromIssues(nested as z.core.$ZodIssue[], schema));
        continue;
      }
    }
    out.push({ path, message: messageFor(issue, path) });
  }
  return out;
}

function isPlainMap(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function messageFor(issue: z.core.$ZodIssue, path: PathKey[]): string {
  if (issue.code === 'custom') return issue.message;
  const input = (issue as { input?: unknown }).input;
  const expected = expectedPhrase(issue);
  return input === undefined ? `missing: ${expected}` : `${expected}, got ${describeValue(input, isSecretPath(path))}`;
}

/** "expected …" for an issue, without what was found. */
function expectedPhrase(issue: z.core.$ZodIssue): string {
  // Messages written in the schemas start with "expected"; zod's own defaults never do.
  if (/^expected /.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array') return `expected at least ${min} item${min === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return min <= 1 ? 'expected a non-empty string' : `expected at least ${min} characters`;
      return `expected a number ${issue.inclusive ? '≥' : '>'} ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array') return `expected at most ${max} item${max === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return `expected at most ${max} characters`;
      return `expected a number ${issue.inclusive ? '≤' : '<'} ${max}`;
    }
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_format':
      return `expected ${issue.format === 'regex' ? `text matching ${String((issue as { pattern?: unknown }).pattern)}` : issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return `expected something else (${issue.message})`;
  }
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a map (key: value)',
  array: 'a list',
  record: 'a map (key: value)',
  tuple: 'a list',
};

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType | undefined): Def | undefined {
  return (schema as unknown as { _zod?: { def: Def } } | undefined)?._zod?.def;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  for (let i = 0; i < 20 && schema; i++) {
    const def = defOf(schema);
    if (!def) return schema;
    if (def.innerType && ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(def.type)) {
      schema = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      schema = def.in;
    } else if (def.type === 'union' && def.options) {
      // the only unions in the formats are "a value or a map": the map is where keys live
      const map = def.options.map((o) => unwrap(o)).find((o) => defOf(o)?.type === 'object');
      if (!map) return schema;
      schema = map;
    } else return schema;
  }
  return schema;
}

/** The keys an object schema accepts at `path`, for "unknown key" messages. */
export function knownKeys(schema: z.ZodType, path: readonly PathKey[]): string[] {
  let s = unwrap(schema);
  for (const key of path) {
    const def = defOf(s);
    if (!def) return [];
    if (def.type === 'object' && def.shape) s = def.shape[String(key)];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'tuple' && typeof key === 'number') s = def.items?.[key];
    else return [];
    s = unwrap(s);
  }
  const def = defOf(s);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** Sorts problems by where they are in the file (then as found), formats paths, adds "(line N)". */
export function finishProblems(raw: RawProblem[], locate?: Locate): Problem[] {
  const seen = new Set<string>();
  const located = raw
    .map((p, i) => ({ ...p, i, line: locate?.(p.path) }))
    .filter((p) => {
      const id = `${JSON.stringify(p.path)}\u0000${p.message}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  located.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || a.i - b.i);
  return located.map((p) => ({
    path: formatPath(p.path),
    message: p.line === undefined ? p.message : `${p.message} (line ${p.line})`,
  }));
}
