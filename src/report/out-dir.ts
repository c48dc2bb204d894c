/**
 * An output directory checked before any work: a simulation or a live run must not spend minutes
 * (or send traffic) only to find it cannot write its reports. Nothing is created here — the
 * directory only has to be creatable — so a refused command leaves nothing behind.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { InputError } from '../model/errors.ts';

/**
 * Kernel file systems: nothing a report can be written into. Node 20's recursive mkdir spins
 * forever under /proc, so these are refused by name before any mkdir is tried.
 */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** Throws an InputError naming `flag` unless `dir` is (or can become) a writable directory. */
export function checkOutDir(dir: string, flag = '--out'): void {
  const fail = (why: string): never => {
    throw new InputError([{ path: flag, message: `cannot write into "${dir}": ${why}` }]);
  };
  if (dir.trim() === '') fail('expected a directory');
  const abs = resolve(dir);
  // the nearest part of the path that exists says whether the rest can be created
  let existing = abs;
  while (!exists(existing)) {
    const up = dirname(existing);
    if (up === existing) break;
    existing = up;
  }
  const real = safeRealpath(existing);
  for (const root of VIRTUAL_ROOTS) {
    if (real === root || real.startsWith(`${root}${sep}`) || abs === root || abs.startsWith(`${root}${sep}`)) {
      fail(`${root} is a kernel file system, not a place for reports; choose another directory`);
    }
  }
  let st;
  try {
    st = statSync(existing);
  } catch (err) {
    return fail(codeOf(err));
  }
  if (!st.isDirectory()) {
    fail(existing === abs ? 'it is a file, not a directory' : `"${existing}" is a file, not a directory`);
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    fail(existing === abs ? 'the directory is not writable' : `"${existing}" is not writable, so the directory cannot be created`);
  }
}

/** The commander argParser form: checks while the command line is parsed, before any work. */
export function outDirOption(value: string): string {
  checkOutDir(value);
  return value;
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch (err) {
    // a path through a file (ENOTDIR) walks up to that file, which the caller then names
    return (err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR';
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function codeOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' ? 'permission denied' : (code ?? String(err));
}
