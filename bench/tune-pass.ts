/**
 * Child process of the tune bench: `node --import tsx bench/tune-pass.ts <case>` runs one case's
 * search in a process that has not simulated before, compiled the way `dowsim tune` compiles it
 * (compile-budget.ts), then the same search again warm, and prints the figures as JSON.
 */
import { useShortRunCompiler } from '../src/cli/compile-budget.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { loadStack } from '../src/stack/load.ts';
import { embeddedPriceBook } from '../src/pricing/loader.ts';
import { tune } from '../src/tune/tune.ts';
import { parseSlo } from '../src/tune/slo.ts';
import { formatDuration } from '../src/model/units.ts';
import type { BenchFigure } from './figure.ts';
import { TUNE_CASES } from './tune-cases.ts';

/** Idle time left for V8's compiler threads to finish the jobs that loading made (as in simulator-pass.ts). */
const INPUT_JIT_SETTLE_MS = 250;

async function measure(c: (typeof TUNE_CASES)[number]): Promise<BenchFigure[]> {
  const scenarios = c.scenarios.map((s) => loadScenario(s));
  const stack = loadStack(c.stack);
  // Loading the inputs (and tsx compiling this bench's TypeScript, which the built CLI never does)
  // leaves optimising jobs on V8's compiler threads; they finish before the first run's window, so
  // that its CPU is the search's.
  await new Promise((resolve) => setTimeout(resolve, INPUT_JIT_SETTLE_MS));
  const run = () => {
    const u0 = process.cpuUsage();
    const all = c.exhaustive ? { exhaustive: true, maxEvaluations: Number.MAX_SAFE_INTEGER } : {};
    const { doc } = tune(stack, scenarios, { slo: parseSlo([], scenarios), book: embeddedPriceBook(stack.region), ...all });
    const u = process.cpuUsage(u0);
    return { doc, cpu: (u.user + u.system) / 1e6 };
  };
  // first as a user's one `dowsim tune` runs (JIT compilation included), then again warm
  const { doc, cpu } = run();
  const warm = run();
  const settled = doc.evaluated + doc.search.implied + doc.search.pruned;
  return [
    {
      name: `tune: ${c.name}, warm (the same search again in the same process)`,
      value: settled / warm.cpu,
      unit: 'candidates/CPU-s',
      // what the simulator keeps with a scenario (stride plans, WAF traces) is the first run's: the warm run makes none
      detail: `target ≥ 1,000; ${warm.cpu.toFixed(2)} CPU-s; ${(warm.doc.evaluated / warm.cpu).toFixed(0)} simulated/CPU-s; stride plans and WAF traces kept from the first run`,
    },
    {
      name: `tune: ${c.name}, first run in a fresh process`,
      value: settled / cpu,
      unit: 'candidates/CPU-s',
      detail:
        `target ≥ 1,000; ${settled} candidates in ${cpu.toFixed(2)} CPU-s (V8's compiler threads included, compiled as \`dowsim tune\` is, inputs loaded before): ` +
        `${doc.evaluated} simulated × ${scenarios.length} scenario(s) (${(doc.evaluated / cpu).toFixed(0)}/CPU-s; ` +
        `search ticks ${doc.search.spans.map((s) => `${s.tickSeconds} s`).join(' / ')}, runs ${doc.search.spans.map((s) => s.runs).join(' / ')}, ${doc.search.rechecked} re-checked at 1 s), ` +
        `${doc.search.implied} implied, ${doc.search.pruned} pruned; judged over ${doc.search.spans.map((s) => `${s.scenario} ${formatDuration(s.seconds)}`).join(', ')}`,
    },
  ];
}

useShortRunCompiler();
const which = Number(process.argv[2]);
const c = TUNE_CASES[which];
if (!c) throw new Error(`no tune bench case ${process.argv[2]}`);
process.stdout.write(`${JSON.stringify(await measure(c))}\n`);
