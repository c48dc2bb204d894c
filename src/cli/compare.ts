import type { Command } from 'commander';
import { addOutputOptions } from './options.ts';
import { runSimulation } from './simulate.ts';
import { collectStacks } from './simulation-input.ts';

export function registerCompareCommand(program: Command): void {
  const cmd = program
    .command('compare')
    .summary('rank throttle configurations by cost, savings and collateral')
    .description(
      'Simulates <scenario> against two or more --stack configurations and ranks them: the bill under attack, what API Gateway throttling saves, and how many legit requests each one turns away.',
    )
    .argument('<scenario>', 'scenario file or built-in scenario name')
    .requiredOption('--stack <file>', 'stack file or built-in name (give two or more)', collectStacks)
    .option('--horizon <duration>', 'how long to project; the scenario repeats to fill it', '30d');
  addOutputOptions(cmd);
  cmd.addHelpText('after', '\nExample:\n  dowsim compare botnet-flood --stack rest-unprotected --stack rest-stage-throttled --stack rest-waf --horizon 24h\n');
  cmd.action(async (scenario: string, flags) => runSimulation(scenario, flags, 2));
}
