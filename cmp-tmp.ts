import { loadScenario } from '/work/wt-tune3/src/scenario/load.ts';
import { loadStack } from '/work/wt-tune3/src/stack/load.ts';
import { embeddedPriceBook } from '/work/wt-tune3/src/pricing/loader.ts';
import { tune } from '/work/wt-tune3/src/tune/tune.ts';
import { parseSlo } from '/work/wt-tune3/src/tune/slo.ts';
const F = 'test/tune/fixtures/';
const cases: [string, string[], string, number][] = [
  ['A', [F + 'fixed-ip-flood.yaml'], F + 'rest-open.yaml', 0],
  ['B', [F + 'rotating-route-flood.yaml'], F + 'rest-open.yaml', 0.01],
  ['C', [F + 'rotating-route-flood.yaml'], F + 'rest-open.yaml', 0],
  ['D', ['botnet-flood', 'leech'], 'rest-unprotected', 0.01],
  ['E', ['expensive-route-flood'], 'http-route-throttled', 0.01],
  ['F', ['pulse-bursts'], 'rest-waf', 0.01],
  ['G', ['quick-flood'], 'rest-usage-plan', 0.01],
  ['H', ['constant-flood'], 'rest-stage-throttled', 0.01],
];
const only = process.argv[2];
let totalCpu = 0;
for (const [id, sc, st, tol] of cases) {
  if (only && !only.includes(id)) continue;
  const scenarios = sc.map((s) => loadScenario(s));
  const stack = loadStack(st);
  const u0 = process.cpuUsage();
  const { doc } = tune(stack, scenarios, { slo: parseSlo([], scenarios), book: embeddedPriceBook(stack.region), costTolerance: tol });
  const u = process.cpuUsage(u0);
  const cpu = (u.user + u.system) / 1e6;
  totalCpu += cpu;
  const b = doc.best ?? doc.closest!;
  const s = doc.search as any;
  console.log(`${id} cpu ${cpu.toFixed(2)} eval ${doc.evaluated} searched ${s.searched} tick ${s.tickSeconds} implied ${(s as any).implied ?? '-'} pruned ${s.pruned ?? '-'} | ${doc.best ? 'best' : 'closest'} ${b.perHour.toFixed(6)} ${b.legitSuccess.toFixed(6)} ${b.changes.map((x) => `${x.path}=${x.to}`).join(' ')}`);
}
console.log('total cpu', totalCpu.toFixed(2));
