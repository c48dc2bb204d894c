import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cleanStaleTemps, COMMITTED, stagingName } from './stale-temps.ts';

/** Files written together: readers see all of them or (until `commit`) none. */
export interface FileSet {
  write(name: string, data: string | Uint8Array): void;
  /** Moves every file into place; returns their paths, in the order written. */
  commit(): string[];
  /** Drops what was written (nothing reaches the folder). */
  abort(): void;
}

/**
 * Starts a set of files for `dir` (created if missing). Files go to a staging folder first:
 * - a new `dir` is staged beside it and renamed into place whole, so a kill leaves all or none;
 * - into an existing `dir` the staged files are moved one by one after a COMMITTED mark is written:
 *   a run killed among those renames is finished by the next set written there (stale-temps.ts).
 * Staging folders and temp files left by killed runs are cleaned up first.
 */
export function beginFileSet(dir: string): FileSet {
  cleanStaleTemps(dir);
  const fresh = !existsSync(dir);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = fresh ? join(dirname(dir), stagingName(basename(dir), tag)) : join(dir, stagingName('', tag));
  mkdirSync(dirname(staging), { recursive: true });
  mkdirSync(staging);
  const names: string[] = [];
  let done = false;

  const moveEach = (): void => {
    // a name taken by a folder in `dir` would fail its rename after the ones before it had moved
    // in: refuse the set before anything moves
    for (const name of names) {
      if (statSync(join(dir, name), { throwIfNoEntry: false })?.isDirectory()) {
        throw Object.assign(new Error(`"${name}" in "${dir}" is a folder, not a file: no file of the set was written`), { code: 'EISDIR' });
      }
    }
    writeFileSync(join(staging, COMMITTED), names.join('\n'));
    for (const name of names) renameSync(join(staging, name), join(dir, name));
    rmSync(staging, { recursive: true, force: true });
  };

  return {
    write(name, data) {
      if (done) throw new Error('file set already finished');
      if (name !== basename(name) || name.startsWith('.')) throw new Error(`not a plain file name: ${name}`);
      writeFileSync(join(staging, name), data);
      if (!names.includes(name)) names.push(name);
    },
    commit() {
      if (done) throw new Error('file set already finished');
      done = true;
      try {
        if (fresh && !existsSync(dir)) {
          try {
            renameSync(staging, dir);
            return names.map((n) => join(dir, n));
          } catch {
            // someone made `dir` meanwhile: move the files in one by one instead
          }
        }
        mkdirSync(dir, { recursive: true });
        moveEach();
        return names.map((n) => join(dir, n));
      } catch (err) {
        rmSync(staging, { recursive: true, force: true });
        throw err;
      }
    },
    abort() {
      done = true;
      rmSync(staging, { recursive: true, force: true });
    },
  };
}

/** Writes `files` ([name, data]) into `dir` as one set (all or none); returns their paths, in order. */
export function writeFileSet(dir: string, files: Iterable<readonly [string, string | Uint8Array]>): string[] {
  const set = beginFileSet(dir);
  try {
    for (const [name, data] of files) set.write(name, data);
  } catch (err) {
    set.abort();
    throw err;
  }
  return set.commit();
}
