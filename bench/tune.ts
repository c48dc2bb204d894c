import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './figure.ts';
import { TUNE_CASES } from './tune-cases.ts';

const PASS = fileURLToPath(new URL('./tune-pass.ts', import.meta.url));

/**
 * DESIGN's tune target: thousands of candidate configurations per second (the simulator is the
 * inner loop). Candidates per CPU-second (the machine is shared: wall time would measure the
 * neighbours); the figure counts every candidate the search settled: simulated, implied by a
 * simulated one, or pruned on its cost floor; the detail gives simulations alone. Each case runs
 * in a child process of its own, so that its first run is a fresh process's (as one `dowsim tune`
 * is), not one warmed by the case before, and compiled as the CLI compiles `tune`.
 */
export async function benchTune(): Promise<BenchFigure[]> {
  const out: BenchFigure[] = [];
  for (let i = 0; i < TUNE_CASES.length; i++) {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', PASS, String(i)], { maxBuffer: 1 << 20 }, (err, so, se) => {
        if (err) reject(new Error(`${PASS} ${i} failed: ${se || err.message}`));
        else resolve(so);
      });
    });
    out.push(...(JSON.parse(stdout.trim().split('\n').pop()!) as BenchFigure[]));
  }
  return out;
}
