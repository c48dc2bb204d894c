/**
 * Rules about the functions behind a stack (`lambda` and `functions:`), checked on the raw file
 * data beside the schema's problems: unique names, routes naming functions that exist, and
 * reserved concurrency that leaves AWS's unreserved minimum in the account.
 */
import type { RawProblem } from '../input/problems.ts';
import { didYouMean } from '../input/did-you-mean.ts';
import { child, finite, has, isMapValue, list, seconds } from '../input/raw.ts';
import { DEFAULT_FUNCTION } from './functions.ts';

/** AWS keeps at least this much account concurrency unreserved (aws-facts.md, Lambda). */
export const UNRESERVED_MINIMUM = 100;

export function functionRules(data: Record<string, unknown>): RawProblem[] {
  const problems: RawProblem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const api = child(data, 'api');
  const lambda = child(data, 'lambda');
  const functions = list(data, 'functions');

  if (api?.kind === 'function-url' && functions.length > 0) {
    add(['functions'], 'expected no functions: a function URL serves one function, `lambda`');
  }

  const firstAt = new Map<string, number>();
  functions.forEach((f, i) => {
    if (!isMapValue(f) || typeof f.name !== 'string') return;
    if (f.name === DEFAULT_FUNCTION) {
      add(['functions', i, 'name'], `expected a name other than "${DEFAULT_FUNCTION}", which is the stack's \`lambda\` (routes without function: use it)`);
      return;
    }
    const first = firstAt.get(f.name);
    if (first !== undefined) add(['functions', i, 'name'], `expected a unique function name, but functions[${first}] is also "${f.name}"`);
    else firstAt.set(f.name, i);
  });

  const known = [DEFAULT_FUNCTION, ...firstAt.keys()];
  for (const [key, value] of Object.entries(child(api, 'routes') ?? {})) {
    if (!isMapValue(value) || typeof value.function !== 'string') continue;
    if (known.includes(value.function)) continue;
    const guess = didYouMean(value.function, known);
    add(
      ['api', 'routes', key, 'function'],
      `expected the name of a function of this stack (${known.join(', ')})${guess ? ` — did you mean "${guess}"?` : ''}, got "${value.function}"`,
    );
  }

  problems.push(...reservedRule(lambda, functions));
  const durations: [Record<string, unknown> | undefined, (string | number)[]][] = [[lambda, ['lambda']]];
  functions.forEach((f, i) => durations.push([isMapValue(f) ? f : undefined, ['functions', i]]));
  for (const [fn, path] of durations) {
    const d = child(fn, 'duration');
    const p50 = seconds(d?.p50);
    const p99 = seconds(d?.p99);
    if (p50 !== undefined && p99 !== undefined && p99 < p50) add([...path, 'duration', 'p99'], `expected p99 ≥ p50 (${String(d?.p50)}), got ${String(d?.p99)}`);
  }
  return problems;
}

/** Reserved concurrency of all functions together leaves at least 100 of the account unreserved. */
function reservedRule(lambda: Record<string, unknown> | undefined, functions: unknown[]): RawProblem[] {
  const account = lambda && has(lambda, 'accountConcurrency') ? finite(lambda.accountConcurrency) : 1000;
  if (account === undefined) return [];
  const holders: { path: (string | number)[]; reserved: number }[] = [];
  const own = finite(lambda?.reservedConcurrency);
  if (own !== undefined) holders.push({ path: ['lambda', 'reservedConcurrency'], reserved: own });
  functions.forEach((f, i) => {
    const r = isMapValue(f) ? finite(f.reservedConcurrency) : undefined;
    if (r !== undefined) holders.push({ path: ['functions', i, 'reservedConcurrency'], reserved: r });
  });
  const total = holders.reduce((s, h) => s + h.reserved, 0);
  const most = account - UNRESERVED_MINIMUM;
  if (holders.length === 0 || total <= most) return [];
  const last = holders[holders.length - 1];
  const what = holders.length === 1 ? `got ${total}` : `got ${total} over ${holders.length} functions (${holders.map((h) => h.reserved).join(' + ')})`;
  return [
    {
      path: last.path,
      message: `expected at most accountConcurrency − ${UNRESERVED_MINIMUM} = ${most} reserved by all functions together (AWS keeps ${UNRESERVED_MINIMUM} unreserved), ${what}`,
    },
  ];
}
