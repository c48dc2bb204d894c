import { InputError } from '../model/errors.ts';

/**
 * One --format value ("html,md", "Markdown"): the formats it names, in order, once each, after
 * those of earlier --format flags (`previous`). An unknown name, or a value that names none (an
 * unset shell variable: `--format "$FORMATS"`), is an InputError naming --format: writing no
 * report while the user asked for some must not pass silently.
 */
export function formatList<F extends string>(value: string, allowed: readonly F[], previous: readonly F[] = []): F[] {
  const out = [...previous];
  const names = value.split(',').map((raw) => raw.trim());
  if (names.every((n) => n === '')) throw new InputError([{ path: '--format', message: `expected one or more of ${allowed.join(', ')} (e.g. --format html,md), got "${value}"` }]);
  for (const raw of names) {
    if (raw === '') continue;
    const lower = raw.toLowerCase();
    const f = (lower === 'markdown' ? 'md' : lower) as F;
    if (!allowed.includes(f)) throw new InputError([{ path: '--format', message: `unknown format "${raw}"; use ${allowed.join(', ')} (e.g. --format html,md)` }]);
    if (!out.includes(f)) out.push(f);
  }
  return out;
}
