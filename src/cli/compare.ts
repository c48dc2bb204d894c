import type { Command } from 'commander';
import { registerSimulationCommand } from './simulate.ts';

export function registerCompareCommand(program: Command): void {
  registerSimulationCommand(program, {
    name: 'compare',
    summary: 'rank throttle configurations by cost, savings and collateral',
    description:
      'Simulates <scenario> against two or more --stack configurations and ranks them: the bill under attack, what API Gateway throttling saves, and how many legit requests each one turns away; stacks with alarms or budgets are also ranked by what the attack costs before anyone is told.',
    stackHelp: 'stack file or built-in name (give two or more)',
    example: 'dowsim compare botnet-flood --stack rest-unprotected --stack rest-stage-throttled --stack rest-waf --horizon 24h',
    minStacks: 2,
  });
}
