import type { Command } from 'commander';
import { InputError } from '../model/errors.ts';
import { OUTCOMES } from '../model/outcomes.ts';
import type { Totals } from '../model/totals.ts';
import { loadStackInput } from './stack-input.ts';
import { startEmulator } from '../emulator/start-emulator.ts';
import { METRICS_PATH } from '../emulator/api-server.ts';

interface EmulateFlags {
  stack: string;
  port: string;
  host: string;
  handler?: string;
  seed?: string;
}

function parsePort(s: string): number {
  const n = Number(s);
  if (!/^\d+$/.test(s.trim()) || !Number.isInteger(n) || n > 65534) {
    throw new InputError([{ path: '--port', message: `expected a port number 0..65534 (0 = any free port), not "${s}"` }]);
  }
  return n;
}

function parseSeed(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n)) throw new InputError([{ path: '--seed', message: `expected an integer, not "${s}"` }]);
  return n;
}


/** A short account of what the emulator served, for the end of a session. */
export function formatEmulatorTotals(t: Totals): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  // the outcome names of the result document and reports (DESIGN.md "Outcomes"), not paraphrases
  const parts = OUTCOMES.filter((o) => t[o] > 0).map((o) => `${n(t[o])} ${o}`);
  const lines = [`served ${n(t.offered)} request${t.offered === 1 ? '' : 's'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`];
  if (t.offered > 0) {
    lines.push(
      `Lambda ${n(t.invoked)} invocations (${n(t.coldStarts)} cold), ${t.gbSeconds.toFixed(3)} GB-s; ` +
        `API Gateway billed ${n(t.billedApiRequests)} request unit${t.billedApiRequests === 1 ? '' : 's'}; ${n(t.bytesOut)} bytes out`,
    );
  }
  return lines.join('\n');
}

export function registerEmulateCommand(program: Command): void {
  const cmd = program
    .command('emulate')
    .summary('serve a local API Gateway + Lambda that enforces the stack\'s limits, with CloudWatch\'s API')
    .description(
      'Serves the --stack on 127.0.0.1 the way API Gateway and Lambda would: the\n' +
        'same token buckets, usage-plan quotas, WAF rate rule and Lambda concurrency\n' +
        'the simulator uses, answering with AWS\'s statuses and bodies (429 Too Many\n' +
        'Requests, 403 Forbidden, 500/502/504 ...). Routes are at the root (the stage\n' +
        'is implied). Metrics are served through CloudWatch\'s own API (GetMetricData,\n' +
        'ListMetrics) on the next port, for `aws cloudwatch` or any AWS SDK.\n' +
        'A synthetic function holds each request for a duration drawn from the stack;\n' +
        '--handler runs your own handler with a real API Gateway proxy event instead.\n' +
        'Requests may carry x-dowsim-cohort / x-dowsim-role headers to be counted per\n' +
        'cohort. Serves until Ctrl-C, then prints what it served.\n' +
        'Hostile clients are bounded: a request must arrive whole within 30 s (else\n' +
        '408, connection closed); at most 10,000 connections, the oldest idle or\n' +
        'stalled one closed for a newcomer (CloudWatch port: 256);\n' +
        'bodies over 10 MB get 413 (CloudWatch port: 1 MiB, sent or gunzipped).',
    )
    .requiredOption('--stack <file>', 'stack file or built-in stack name')
    .option('--port <port>', 'API port; CloudWatch listens on port + 1 (0: any free ports)', '8787')
    .option('--host <address>', 'interface to listen on (anything but loopback exposes it to your network)', '127.0.0.1')
    .option('--handler <module#export>', 'run your handler, e.g. ./dist/app.js#handler (default export name: handler)')
    .option('--seed <n>', 'seed for the synthetic function\'s durations and errors (reproducible runs)');
  cmd.addHelpText(
    'after',
    '\nExamples:\n' +
      '  dowsim emulate --stack stacks/rest-stage-throttled.yaml --port 8787\n' +
      '  aws cloudwatch list-metrics --endpoint-url http://127.0.0.1:8788 --region us-east-1\n' +
      '  dowsim emulate --stack my-stack.yaml --handler ./src/handler.mjs#handler\n',
  );
  cmd.action(async (flags: EmulateFlags) => {
    const port = parsePort(flags.port);
    const seed = parseSeed(flags.seed);
    const stack = loadStackInput(flags.stack);
    const emulator = await startEmulator({ stack, port, host: flags.host, handler: flags.handler, seed });
    const cw = emulator.cloudwatchUrl.replace(/\/$/, '');
    process.stdout.write(
      `dowsim emulator for stack "${stack.name}"\n` +
        `  API         ${emulator.apiUrl}\n` +
        `  CloudWatch  ${emulator.cloudwatchUrl}  (e.g. aws cloudwatch list-metrics --endpoint-url ${cw} --region ${stack.region})\n` +
        `  metrics     ${emulator.apiUrl.replace(/\/$/, '')}${METRICS_PATH}\n` +
        `  enforcing   ${emulator.enforced}\n` +
        (flags.handler ? `  handler     ${flags.handler}\n` : '') +
        'Ctrl-C to stop.\n',
    );
    if (!['127.0.0.1', 'localhost', '::1'].includes(flags.host)) {
      process.stderr.write(`warning: listening on ${flags.host}: other machines on your network can reach this emulator\n`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await emulator.close();
    process.stdout.write(`\n${formatEmulatorTotals(emulator.totals())}\n`);
    // a --handler's own timers (an invocation past its timeout, still awaiting) would keep the
    // process alive after its summary: it is done, so it ends a second later whatever they hold
    setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
  });
}
