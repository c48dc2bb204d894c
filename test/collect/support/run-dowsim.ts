import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin/dowsim.js` as a user would, with exactly the environment given (nothing inherited but PATH). */
export function runDowsim(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/dowsim.js'), ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A user's environment with no AWS configuration at all: a fresh HOME (no ~/.aws), a fresh
 * XDG_CACHE_HOME (no cached prices), no AWS_* variables — add dummy keys for local endpoints.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'dowsim-home-'));
  return { HOME: home, XDG_CACHE_HOME: join(home, '.cache'), TMPDIR: tmpdir(), ...extra };
}

export const DUMMY_AWS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

/** A stack trace in user-facing output means a bug: "    at fn (file:line)". */
export const STACK_TRACE = /^\s+at .+[:(]/m;
