// Which build of the CLI to run: dist/ when it is there and newer than everything it was built
// from, otherwise none (bin/dowsim.js then runs the sources through tsx). A stale dist/ is never
// run: editing src/ (or installing a package) without rebuilding falls back to the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The compiled entry (dist/main.js) under package root `root`, or undefined when it is missing,
 * older than any file of src/ or the package manifests, or DOWSIM_FROM_SOURCE is set.
 * @param {string} root
 * @param {Record<string, string | undefined>} env
 * @returns {string | undefined}
 */
export function compiledEntry(root, env) {
  if (env.DOWSIM_FROM_SOURCE && env.DOWSIM_FROM_SOURCE !== '0') return undefined;
  const entry = join(root, 'dist', 'main.js');
  if (!existsSync(entry)) return undefined;
  const built = statSync(entry).mtimeMs;
  for (const f of ['package.json', 'package-lock.json']) {
    const p = join(root, f);
    if (existsSync(p) && statSync(p).mtimeMs > built) return undefined;
  }
  const src = join(root, 'src');
  for (const e of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs > built) return undefined;
  }
  return entry;
}
