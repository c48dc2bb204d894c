import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { parseSlo } from '../../src/tune/slo.ts';
import { tune } from '../../src/tune/tune.ts';

// tune's progress on a long search, with a clock of our own: each reading is a second after the last.
const FIX = new URL('./fixtures/', import.meta.url).pathname;

function run(scenarios: string[], stackName: string, every: number, step: number) {
  const sc = scenarios.map((s) => loadScenario(s));
  const stack = loadStack(stackName);
  let now = 0;
  const told: { simulated: number; seconds: number }[] = [];
  const { doc } = tune(stack, sc, {
    slo: parseSlo([], sc),
    book: embeddedPriceBook(stack.region),
    clock: () => (now += step),
    progressEverySeconds: every,
    onProgress: (p) => told.push(p),
  });
  return { doc, told };
}

describe('tune progress', () => {
  it('told after every candidate simulated when each takes a second and the interval is one, counting search and re-check', () => {
    // botnet-flood is searched on 60-s ticks and re-checked on 1-s ones: two evaluators, one count
    const { doc, told } = run(['botnet-flood', 'leech'], 'rest-unprotected', 1, 1000);
    expect(doc.evaluated).toBeGreaterThan(doc.search.searched); // re-checks counted too
    expect(told.map((p) => p.simulated)).toEqual(Array.from({ length: doc.evaluated }, (_, i) => i + 1));
    // the clock read once at the start, then once a candidate: the k-th told k seconds in
    expect(told.map((p) => p.seconds)).toEqual(told.map((_, i) => i + 1));
  });

  it('told every fifth candidate at a five-second interval, and never when the search is quicker than that', () => {
    const fixed = `${FIX}fixed-ip-flood.yaml`;
    const open = `${FIX}rest-open.yaml`;
    const { doc, told } = run([fixed], open, 5, 1000);
    expect(told.map((p) => p.simulated)).toEqual(Array.from({ length: Math.floor(doc.evaluated / 5) }, (_, i) => 5 * (i + 1)));
    expect(run([fixed], open, 5, 0).told).toEqual([]);
  });
});
