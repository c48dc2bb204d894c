/** One problem in a user's file or arguments, with where it is (`cohorts[1].rate[0].duration`). */
export interface Problem {
  path: string;
  message: string;
}

/** A mistake of the user's (bad file, bad flag): exit 1, a sentence per problem, never a stack trace. */
export class InputError extends Error {
  readonly problems: Problem[];
  readonly file?: string;
  constructor(problems: Problem[] | string, file?: string) {
    const list = typeof problems === 'string' ? [{ path: '', message: problems }] : problems;
    super(formatProblems(list, file));
    this.name = 'InputError';
    this.problems = list;
    this.file = file;
  }
}

/** A failure at run time that is not the user's input (target died, AWS refused): exit 2. */
export class RuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

export function formatProblems(problems: Problem[], file?: string): string {
  const head = file ? `${file}: ` : '';
  if (problems.length === 1) {
    const p = problems[0];
    return `${head}${p.path ? `${p.path}: ` : ''}${p.message}`;
  }
  return `${head}${problems.length} problems:\n` + problems.map((p) => `  - ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n');
}
