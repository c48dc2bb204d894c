import { performance } from 'node:perf_hooks';
import { loadScenario } from '../src/scenario/load.ts';
import { loadStack } from '../src/stack/load.ts';
import { embeddedPriceBook } from '../src/pricing/loader.ts';
import { tune } from '../src/tune/tune.ts';
import { parseSlo } from '../src/tune/slo.ts';
import type { BenchFigure } from './figure.ts';

// DESIGN's tune target: thousands of candidate configurations per second (the simulator is the inner loop).
const CASES = [
  { name: '10-min fixed-IP flood, REST open', scenarios: ['test/tune/fixtures/fixed-ip-flood.yaml'], stack: 'test/tune/fixtures/rest-open.yaml' },
  { name: 'botnet-flood + leech (1 h each, diurnal users), rest-unprotected', scenarios: ['botnet-flood', 'leech'], stack: 'rest-unprotected' },
];

export async function benchTune(): Promise<BenchFigure[]> {
  const out: BenchFigure[] = [];
  for (const c of CASES) {
    const scenarios = c.scenarios.map((s) => loadScenario(s));
    const stack = loadStack(c.stack);
    const t0 = performance.now();
    const { doc } = tune(stack, scenarios, { slo: parseSlo([], scenarios), book: embeddedPriceBook(stack.region), clock: () => performance.now() });
    const wall = (performance.now() - t0) / 1000;
    out.push({
      name: `tune: ${c.name}`,
      value: doc.evaluated / wall,
      unit: 'candidates/s',
      detail: `target ≥ 1,000; ${doc.evaluated} candidates × ${scenarios.length} scenario(s) in ${wall.toFixed(2)} s, search ticks ${doc.search.tickSeconds} s`,
    });
  }
  return out;
}
