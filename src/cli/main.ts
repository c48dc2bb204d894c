import { Command, CommanderError } from 'commander';
import { InputError, RuntimeError } from '../model/errors.ts';
import { EXIT_INPUT, EXIT_RUNTIME } from './exit-codes.ts';
import { registerSimulateCommand } from './simulate.ts';
import { registerCompareCommand } from './compare.ts';
// command registrations (one line each; keep this list in DESIGN's order)
import { registerRunCommand } from './run.ts';
import { registerEmulateCommand } from './emulate.ts';
import { registerCollectCommand } from './collect.ts';
import { registerPricesCommand } from './prices.ts';
import { registerK6Command } from './k6.ts';
import { registerImportK6Command } from './import-k6.ts';
import { registerReportCommand } from './report.ts';
import { registerTuneCommand } from './tune.ts';
import { registerAuditCommand } from './audit.ts';
import { SHORT_RUN_COMMANDS, useShortRunCompiler } from './compile-budget.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dowsim')
    .description(
      'Denial-of-wallet simulator: what a request flood costs a serverless API on AWS\n' +
        '(API Gateway + Lambda), and how much API Gateway throttling saves.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .hook('preAction', (_program, command) => {
      if (SHORT_RUN_COMMANDS.has(command.name())) useShortRunCompiler();
    });
  registerSimulateCommand(program);
  registerCompareCommand(program);
  // register calls (one line each)
  registerRunCommand(program);
  registerEmulateCommand(program);
  registerCollectCommand(program);
  registerPricesCommand(program);
  registerK6Command(program);
  registerImportK6Command(program);
  registerReportCommand(program);
  registerTuneCommand(program);
  registerAuditCommand(program);
  return program;
}

/** Runs the CLI and exits the process with DESIGN's exit codes. */
export async function main(argv: string[]): Promise<void> {
  // `dowsim … | head` closes stdout early: that is the reader's choice, not an error
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // help and version exit 0; commander has already printed its message
    return err.exitCode === 0 ? 0 : EXIT_INPUT;
  }
  if (err instanceof InputError) {
    process.stderr.write(`dowsim: ${err.message}\n`);
    return EXIT_INPUT;
  }
  if (err instanceof RuntimeError) {
    process.stderr.write(`dowsim: ${err.message}\n`);
    return EXIT_RUNTIME;
  }
  const e = err as Error;
  process.stderr.write(`dowsim: internal error (a bug in dowsim, please report it): ${e?.stack ?? String(err)}\n`);
  return EXIT_RUNTIME;
}
