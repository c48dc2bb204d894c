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

/** The most problems a message lists; past them one line counts the rest (a mistake repeated 30,000 times reads as one). */
export const MAX_LISTED_PROBLEMS = 50;

// a line names one mistake; a value pasted into it a million times over says nothing more
const MAX_LINE_CHARS = 500;
const clip = (line: string) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 3)}...` : line);

export function formatProblems(problems: Problem[], file?: string): string {
  const head = file ? `${file}: ` : '';
  if (problems.length === 1) {
    const p = problems[0];
    return `${head}${clip(`${p.path ? `${p.path}: ` : ''}${p.message}`)}`;
  }
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  - ${clip(`${p.path ? `${p.path}: ` : ''}${p.message}`)}`);
  const rest = problems.length - listed.length;
  if (rest > 0) listed.push(`  … and ${rest.toLocaleString('en-US')} more (the first ${MAX_LISTED_PROBLEMS} are listed)`);
  return `${head}${problems.length.toLocaleString('en-US')} problems:\n` + listed.join('\n');
}
