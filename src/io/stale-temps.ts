import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Written into a staging folder once all its files are there: from then on the set is to be moved in. */
export const COMMITTED = 'COMMITTED';

/** `.dowsim-<pid>-<hex>.tmp` inside a folder, or `.<folder>.dowsim-<pid>-<hex>.tmp` beside a new one. */
export function stagingName(folder: string, tag: string): string {
  return `.${folder ? `${folder}.` : ''}dowsim-${tag}.tmp`;
}

const STAGING = /^\.(?:(.+)\.)?dowsim-(\d+)-[0-9a-f]{8}\.tmp$/;
// writeFileAtomic's temp files: .<name>.<pid>.<hex>.tmp
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Cleans up after runs killed while writing reports for `dir`: temp files and uncommitted staging
 * folders are removed (their sets never reached the folder); committed ones are moved in, finishing
 * what the killed run began. Only names dowsim makes, of processes no longer alive, are touched.
 */
export function cleanStaleTemps(dir: string): void {
  for (const name of entries(dir)) {
    const staging = STAGING.exec(name);
    if (staging && staging[1] === undefined && !alive(Number(staging[2]))) finish(join(dir, name), dir);
    const temp = !staging && TEMP_FILE.exec(name);
    if (temp && !alive(Number(temp[1]))) rmSync(join(dir, name), { force: true });
  }
  const parent = dirname(dir);
  for (const name of entries(parent)) {
    const staging = STAGING.exec(name);
    if (staging && staging[1] !== undefined && !alive(Number(staging[2]))) finish(join(parent, name), join(parent, staging[1]));
  }
}

/** Moves a committed staging folder's files into `target`, or drops an uncommitted one. */
function finish(staging: string, target: string): void {
  try {
    const mark = join(staging, COMMITTED);
    if (existsSync(mark)) {
      mkdirSync(target, { recursive: true });
      for (const name of readFileSync(mark, 'utf8').split('\n')) {
        // names a killed run had not moved yet; the ones it had are already in place
        if (name && name === basename(name) && existsSync(join(staging, name))) renameSync(join(staging, name), join(target, name));
      }
    }
    rmSync(staging, { recursive: true, force: true });
  } catch {
    // cleaning up is a courtesy: a folder we cannot tidy must not stop this run's reports
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
