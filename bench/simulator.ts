import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './figure.ts';

const PASS = fileURLToPath(new URL('./simulator-pass.ts', import.meta.url));

/**
 * The simulator figures, measured in a child process of their own: "first pass" then means a
 * process that has simulated nothing yet (as a `dowsim simulate` run is), whatever suites ran
 * before in this one, and the compiler settings the CLI gives simulating commands stay there.
 */
export async function benchSimulator(): Promise<BenchFigure[]> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', PASS], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${PASS} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
  return JSON.parse(out.trim().split('\n').pop()!) as BenchFigure[];
}
