import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../model/errors.ts';
import { packageRoot } from '../model/package-root.ts';

export type InputKind = 'scenario' | 'stack';

/** The package root (where scenarios/ and stacks/ live). */
export const PACKAGE_ROOT = packageRoot(import.meta.url);

const FOLDERS: Record<InputKind, string> = { scenario: 'scenarios', stack: 'stacks' };

/** Names of the built-in files of one kind (file names without extension), sorted. */
export function builtInNames(kind: InputKind): string[] {
  try {
    return readdirSync(join(PACKAGE_ROOT, FOLDERS[kind]))
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .map((f) => f.replace(/\.(ya?ml|json)$/, ''))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Reads a scenario or stack file. `arg` is a path, or the name of a built-in file
 * ("botnet-flood", "stacks/rest-waf.yaml") when no such path exists.
 * Returns the text and the path it came from.
 */
export function readInputFile(arg: string, kind: InputKind): { text: string; file: string } {
  if (typeof arg !== 'string' || arg.trim() === '') {
    throw new InputError(`expected a ${kind} file or the name of a built-in ${kind}`);
  }
  const file = existingPath(arg) ?? builtInPath(arg, kind);
  if (!file) {
    const names = builtInNames(kind);
    throw new InputError(
      `no such file, and no built-in ${kind} of that name; built-in ${kind}s: ${names.join(', ') || '(none found)'}`,
      arg,
    );
  }
  try {
    return { text: readFileSync(file, 'utf8'), file };
  } catch (err) {
    throw new InputError(`cannot read the ${kind} file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, file);
  }
}

function existingPath(arg: string): string | undefined {
  let stat;
  try {
    stat = statSync(arg);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) throw new InputError('is a directory; expected a YAML or JSON file', arg);
  return arg;
}

function builtInPath(arg: string, kind: InputKind): string | undefined {
  // "scenarios/botnet-flood.yaml" from another working directory still means the built-in.
  const m = new RegExp(`^(?:\\./)?(?:${FOLDERS[kind]}/)?([a-z0-9][a-z0-9-]*)(\\.(?:ya?ml|json))?$`).exec(arg);
  if (!m) return undefined;
  const name = m[1];
  if (!builtInNames(kind).includes(name)) return undefined;
  for (const ext of ['.yaml', '.yml', '.json']) {
    const candidate = join(PACKAGE_ROOT, FOLDERS[kind], `${name}${ext}`);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next extension
    }
  }
  return undefined;
}

