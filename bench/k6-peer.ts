/**
 * k6 as a peer of dowsim's driver in `npm run bench`: the same constant arrival rate against the
 * same loopback target. The binary is $K6_BINARY, else ../shared/tools/k6 beside the checkout, else
 * `k6` on PATH; without one the figure is skipped and said so.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The k6 binary to use, or undefined when there is none. */
export function findK6(env = process.env): string | undefined {
  if (env.K6_BINARY) return executable(env.K6_BINARY) ? env.K6_BINARY : undefined;
  const shared = join(ROOT, '..', 'shared', 'tools', 'k6');
  if (executable(shared)) return shared;
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir && executable(join(dir, 'k6'))) return join(dir, 'k6');
  return undefined;
}

export interface K6Run {
  requests: number;
  dropped: number;
  seconds: number;
}

/** k6's constant-arrival-rate executor at `rate` for `seconds` against `url` (loopback only). */
export async function runK6(k6: string, url: string, rate: number, seconds: number, headers: Record<string, string>): Promise<K6Run> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`k6 bench targets 127.0.0.1 only, not ${url}`);
  const dir = mkdtempSync(join(tmpdir(), 'dowsim-bench-k6-'));
  try {
    const script = join(dir, 'bench.js');
    const summary = join(dir, 'summary.json');
    writeFileSync(
      script,
      `import http from 'k6/http';
export const options = {
  scenarios: { bench: { executor: 'constant-arrival-rate', rate: ${rate}, timeUnit: '1s', duration: '${seconds}s', preAllocatedVUs: 200, maxVUs: 2000 } },
  discardResponseBodies: true,
};
const params = { headers: ${JSON.stringify(headers)} };
export default function () { http.get(${JSON.stringify(url)}, params); }
`,
    );
    await new Promise<void>((resolve, reject) => {
      const child = spawn(k6, ['run', '--quiet', '--no-usage-report', '--no-color', '--summary-export', summary, script], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`k6 exited with ${code}: ${err.slice(-500)}`))));
    });
    const m = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { count?: number }> }).metrics;
    return { requests: m.http_reqs?.count ?? 0, dropped: m.dropped_iterations?.count ?? 0, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
