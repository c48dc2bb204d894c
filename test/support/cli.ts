import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/dowsim.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * How long a CLI run may take before it is killed: under vitest's 60-s test timeout, so that a child
 * that hangs fails its test with what it printed and when, instead of a bare "test timed out".
 */
const DEFAULT_TIMEOUT_MS = 45_000;

/** Runs the real CLI (`bin/dowsim.js`) in a child process, from the project root by default. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lastOutput = Date.now();
    child.stdout.on('data', (d) => {
      stdout += d;
      lastOutput = Date.now();
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      lastOutput = Date.now();
    });
    const limit = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limit);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killed) {
        const quiet = ((Date.now() - lastOutput) / 1000).toFixed(1);
        stderr += `\n[runCli: \`dowsim ${args.join(' ')}\` (pid ${child.pid}) had not exited after ${limit / 1000} s and was killed (${signal}); its last output came ${quiet} s before]\n`;
      }
      resolve({ code, stdout, stderr });
    });
  });
}
