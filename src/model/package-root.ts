import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root (where scenarios/ and stacks/ live): the nearest folder above `from` whose
 * package.json names dowsim. Searched rather than counted, because the same code runs from
 * src/<module>/ under tsx and from a bundled chunk in dist/.
 */
export function packageRoot(from: string): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isDowsim(manifest)) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`dowsim's package.json not found above ${fileURLToPath(from)}`);
    dir = up;
  }
}

function isDowsim(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'dowsim';
  } catch {
    return false;
  }
}
