import { Pool } from 'undici';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { parseStack } from '../../src/stack/parse.ts';
import type { Stack } from '../../src/stack/types.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/start-emulator.ts';

/** A stack from YAML text, through the real stack parser. */
export function stackFrom(yaml: string): Stack {
  return parseStack(yaml, 'test-stack.yaml');
}

const running: Emulator[] = [];

/** Starts an emulator on ephemeral ports; `closeAll` in afterEach/afterAll stops them. */
export async function emulate(opts: EmulatorOptions): Promise<Emulator> {
  const e = await startEmulator({ port: 0, ...opts });
  running.push(e);
  return e;
}

export async function closeAll(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.close()));
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over a fresh keep-alive client. */
export async function call(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const pool = new Pool(base.replace(/\/$/, ''), { connections: 1 });
  try {
    const r = await pool.request({ path, method: (init.method ?? 'GET') as 'GET', headers: init.headers, body: init.body });
    return { status: r.statusCode, headers: r.headers, body: await r.body.text() };
  } finally {
    await pool.close();
  }
}

export interface FloodResult {
  statuses: Record<number, number>;
  bodies: Record<number, Set<string>>;
  elapsedSeconds: number;
}

/** `requests` requests as fast as `connections` keep-alive connections carry them. Loopback only. */
export async function flood(base: string, opts: { requests: number; connections: number; path?: string; headers?: Record<string, string> }): Promise<FloodResult> {
  const url = new URL(base);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('tests only load 127.0.0.1');
  const pool = new Pool(url.origin, { connections: opts.connections, pipelining: 1 });
  const statuses: Record<number, number> = {};
  const bodies: Record<number, Set<string>> = {};
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < opts.requests) {
      next++;
      const r = await pool.request({ path: opts.path ?? '/items', method: 'GET', headers: opts.headers });
      const text = await r.body.text();
      statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1;
      (bodies[r.statusCode] ??= new Set()).add(text.length > 200 ? `<${text.length} bytes>` : text);
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  const elapsedSeconds = (performance.now() - t0) / 1000;
  await pool.close();
  return { statuses, bodies, elapsedSeconds };
}

/** Sends `rate` requests per second for `seconds` (open model: on schedule, whatever the answers). */
export async function paced(
  base: string,
  opts: { rate: number; seconds: number; path?: string; headers?: Record<string, string>; connections?: number },
): Promise<Record<number, number>> {
  const connections = opts.connections ?? 64;
  const pool = new Pool(new URL(base).origin, { connections });
  // open the connections first (on a path the emulator does not count), so that connecting does
  // not delay the first scheduled requests and squeeze the flood into less time than planned
  await Promise.all(Array.from({ length: connections }, () => pool.request({ path: '/__dowsim/metrics', method: 'GET' }).then((r) => r.body.dump())));
  const statuses: Record<number, number> = {};
  const total = Math.round(opts.rate * opts.seconds);
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      pool.request({ path: opts.path ?? '/items', method: 'GET', headers: opts.headers }).then(async (r) => {
        await r.body.dump();
        statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(inflight);
  await pool.close();
  return statuses;
}

/** The real CloudWatch SDK client pointed at the emulator, with dummy credentials. */
export function cloudwatch(e: Emulator): CloudWatchClient {
  return new CloudWatchClient({
    endpoint: e.cloudwatchUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDDOWSIMTEST', secretAccessKey: 'dowsim-test-secret' },
    maxAttempts: 1,
  });
}

/** A clock tests move by hand (epoch seconds). */
export function manualClock(start: number): { now: () => number; set: (t: number) => void; advance: (dt: number) => void } {
  let t = start;
  return { now: () => t, set: (x) => (t = x), advance: (dt) => (t += dt) };
}
