import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../model/errors.ts';
import { loadPriceBookWithWarnings } from '../pricing/loader.ts';
import { simulateResult } from '../simulate/result.ts';
import { addOutputOptions, emitResult, type OutputOptions } from './options.ts';
import { collectStacks, loadSimulationInputs, parseHorizon } from './simulation-input.ts';

interface SimulateFlags extends OutputOptions {
  stack?: string[];
  horizon?: string;
}

/** Shared by `simulate` and `compare`: run the simulator over every stack and emit the result. */
export async function runSimulation(scenarioArg: string, flags: SimulateFlags, minStacks: number): Promise<void> {
  const stackArgs = flags.stack ?? [];
  const same = stackArgs.find((a, i) => stackArgs.indexOf(a) !== i);
  if (same !== undefined) {
    throw new InputError([{ path: '--stack', message: `"${same}" is given twice: ${minStacks > 1 ? 'compare needs different stacks' : 'each stack once'}` }]);
  }
  if (stackArgs.length < minStacks) {
    throw new InputError([{ path: '--stack', message: minStacks === 1 ? 'give at least one stack file (--stack stacks/rest-unprotected.yaml)' : `compare needs at least ${minStacks} stacks (--stack a.yaml --stack b.yaml)` }]);
  }
  const horizonSeconds = parseHorizon(flags.horizon);
  const { scenario, stacks, warnings } = loadSimulationInputs(scenarioArg, stackArgs);
  // the same stack under two spellings (a built-in name and its file) is still the same stack
  const names = stacks.map((st) => st.name);
  const twice = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (twice >= 0) {
    const first = names.indexOf(names[twice]);
    const same = stacks[first].file !== undefined && stacks[twice].file !== undefined && resolve(stacks[first].file!) === resolve(stacks[twice].file!);
    throw new InputError([
      same
        ? { path: '--stack', message: `"${stackArgs[first]}" and "${stackArgs[twice]}" are the same stack (${names[twice]}): each stack once` }
        : { path: '--stack', message: `"${stackArgs[first]}" and "${stackArgs[twice]}" are both named "${names[twice]}": results tell stacks apart by name, so rename one (its name: key)` },
    ]);
  }
  const priceWarnings: string[] = [];
  const doc = simulateResult(scenario, stacks, {
    horizonSeconds,
    bookFor: (region) => {
      const { book, warnings: w } = loadPriceBookWithWarnings(region);
      priceWarnings.push(...w);
      return book;
    },
  });
  for (const w of [...warnings, ...new Set(priceWarnings)]) process.stderr.write(`warning: ${w}\n`);
  const code = await emitResult(doc, flags);
  if (code !== 0) process.exitCode = code;
}

/** The command shape `simulate` and `compare` share; they differ in words and stack count. */
export function registerSimulationCommand(
  program: Command,
  spec: { name: string; summary: string; description: string; stackHelp: string; example: string; minStacks: number },
): void {
  const cmd = program
    .command(spec.name)
    .summary(spec.summary)
    .description(spec.description)
    .argument('<scenario>', 'scenario file or built-in scenario name')
    // not commander's requiredOption: it would complain about --stack before the missing scenario
    .option('--stack <file>', spec.stackHelp, collectStacks)
    .option('--horizon <duration>', 'how long to project; the scenario repeats to fill it', '30d');
  addOutputOptions(cmd);
  cmd.addHelpText('after', `\nExample:\n  ${spec.example}\n`);
  cmd.action(async (scenario: string, flags: SimulateFlags) => runSimulation(scenario, flags, spec.minStacks));
}

export function registerSimulateCommand(program: Command): void {
  registerSimulationCommand(program, {
    name: 'simulate',
    summary: 'project the bill of an attack scenario in virtual time (no traffic)',
    description:
      "Runs <scenario> against each --stack in virtual time and shows what every cohort's requests became (served, throttled at the gateway or at Lambda, rejected, blocked by WAF) and the AWS bill over --horizon, with and without API Gateway throttling, plus damage and collateral. Stacks with alarms or budgets also show when each would fire and what the attack had cost by then (cost until detection). <scenario> is a file (YAML or JSON) or a built-in name such as botnet-flood.",
    stackHelp: 'stack file or built-in name (repeatable)',
    example: 'dowsim simulate scenarios/botnet-flood.yaml --stack stacks/rest-stage-throttled.yaml --horizon 24h',
    minStacks: 1,
  });
}
