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
    // The same search runs up to twice as fast in one fresh process as in another on these
    // machines (every function alike: the memory the process was given, not the code), so each
    // case runs in PROCESSES of them and the median process stands for it.
    const runs: BenchFigure[][] = [];
    for (let k = 0; k < PROCESSES; k++) runs.push(await pass(i));
    for (let f = 0; f < runs[0].length; f++) {
      const byValue = runs.map((r) => r[f]).sort((a, b) => a.value - b.value);
      const mid = byValue[Math.floor(byValue.length / 2)];
      const all = runs.map((r) => Math.round(r[f].value).toLocaleString('en-US')).join(', ');
      out.push({ ...mid, detail: `median of ${PROCESSES} fresh processes (${all}); ${mid.detail ?? ''}` });
    }
  }
  return out;
}

/** Fresh processes per case. */
const PROCESSES = 3;

function pass(i: number): Promise<BenchFigure[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', PASS, String(i)], { maxBuffer: 1 << 20 }, (err, so, se) => {
      if (err) reject(new Error(`${PASS} ${i} failed: ${se || err.message}`));
      else resolve(JSON.parse(so.trim().split('\n').pop()!) as BenchFigure[]);
    });
  });
}
