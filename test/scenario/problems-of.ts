import { InputError, type Problem } from '../../src/model/errors.ts';

/** Runs `fn`, expects it to throw an InputError, and returns its problems. */
export function problemsOf(fn: () => unknown): Problem[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

/** The problem at `path`, or a failure that lists what was found instead. */
export function problemAt(problems: Problem[], path: string): Problem {
  const p = problems.find((x) => x.path === path);
  if (!p) throw new Error(`no problem at ${path}; found:\n${problems.map((x) => `${x.path}: ${x.message}`).join('\n')}`);
  return p;
}
