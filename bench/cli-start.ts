/**
 * CLI start for `npm run bench`: `dowsim --help` from the build that bin/dowsim.js runs, against a
 * bare `node -e 0`, interleaved, median of ROUNDS wall-clock runs each. The build is made first
 * (`npm run build`) so the figure is the shipped path, never the tsx fallback.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compiledEntry } from '../bin/compiled-entry.js';
import type { BenchFigure } from './figure.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/dowsim.js', import.meta.url));
const ROUNDS = 15;

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore', cwd: ROOT });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchCliStart(): Promise<BenchFigure[]> {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (compiledEntry(ROOT, process.env) === undefined) throw new Error('dist/ is missing or stale after npm run build (DOWSIM_FROM_SOURCE set?)');
  const bare: number[] = [];
  const help: number[] = [];
  const simulate: number[] = [];
  wallMs([BIN, '--help']); // first run pays for the disk cache
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(wallMs(['-e', '0']));
    help.push(wallMs([BIN, '--help']));
    simulate.push(wallMs([BIN, 'simulate', 'quick-flood', '--stack', 'rest-stage-throttled', '--horizon', '24h', '--json']));
  }
  const b = median(bare);
  const spread = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))} ms`;
  return [
    {
      name: 'CLI start: dowsim --help / node -e 0',
      value: median(help) / b,
      unit: '×',
      detail: `${Math.round(median(help))} vs ${Math.round(b)} ms, medians of ${ROUNDS} interleaved runs (ranges ${spread(help)}, ${spread(bare)}); goal ≤ 6×`,
    },
    {
      name: 'CLI start: a 24 h simulate (quick-flood, one stack) / node -e 0',
      value: median(simulate) / b,
      unit: '×',
      detail: `${Math.round(median(simulate))} ms median (range ${spread(simulate)})`,
    },
  ];
}
