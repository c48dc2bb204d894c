import { performance } from 'node:perf_hooks'; // not the global: that one is a lazy getter, read per call
import type { AddressInfo, Server } from 'node:net';
import type { Stack } from '../stack/types.ts';
import type { Clock } from '../limits/types.ts';
import { seededRandom } from '../limits/duration-model.ts';
import { RuntimeError } from '../model/errors.ts';
import type { Timeline } from '../model/timeline.ts';
import type { Totals } from '../model/totals.ts';
import { ApiFront } from './api-server.ts';
import { metricCatalog } from './cloudwatch-catalog.ts';
import { createCloudWatchServer } from './cloudwatch-server.ts';
import { describeEnforced } from './enforced.ts';
import { LambdaRuntime } from './lambda-runtime.ts';
import { MetricsStore, type MetricsStoreOptions } from './metrics-store.ts';
import { emulatorLimits, type EmulatorLimits } from './server-limits.ts';
import { loadHandler, type LambdaHandler } from './user-handler.ts';

export interface EmulatorOptions {
  stack: Stack;
  /** API port; CloudWatch listens on port + 1. 0 (default) picks free ports for both. */
  port?: number;
  /** Interface to bind (default 127.0.0.1: the emulator is for this machine only). */
  host?: string;
  /** The user's handler, "./path/module.js#export" (relative to cwd) or the function itself. */
  handler?: string | LambdaHandler;
  /** Clock in epoch seconds (default: the real one). Limits, quotas and metrics all read it. */
  clock?: Clock;
  /** Seed for the synthetic handler's durations and errors (default: random). */
  seed?: number;
  metrics?: MetricsStoreOptions;
  /** Timeouts, connection caps and body caps on both ports (defaults: DEFAULT_LIMITS). */
  limits?: Partial<EmulatorLimits>;
}

export interface Emulator {
  apiUrl: string;
  cloudwatchUrl: string;
  metrics: MetricsStore;
  /** One line saying what is enforced. */
  enforced: string;
  /** What was served so far, per cohort (source 'emulator'). */
  timeline(opts?: { from?: number; to?: number; bucketSeconds?: number }): Timeline;
  totals(): Totals;
  close(): Promise<void>;
}

// limits/' realClock with the origin read once: the emulator reads its clock for every request,
// and performance.timeOrigin is a getter that costs as much as performance.now() itself
const ORIGIN_SECONDS = performance.timeOrigin / 1000;
const emulatorClock: Clock = () => ORIGIN_SECONDS + performance.now() / 1000;

function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') reject(new RuntimeError(`${what}: port ${port} on ${host} is already in use (pick another with --port, or 0 for any free port)`));
      else if (err.code === 'EACCES') reject(new RuntimeError(`${what}: not allowed to listen on ${host}:${port}`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new RuntimeError(`${what}: cannot listen on ${host}: no such local address`));
      else reject(new RuntimeError(`${what}: cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Stops listening and closes every open connection (`closeConnections`). */
function closeServer(server: Server, closeConnections: () => void): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      closeConnections();
      return resolve();
    }
    server.close(() => resolve());
    closeConnections();
  });
}

function urlFor(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `http://${h}:${port}/`;
}

/**
 * Starts the local emulator: API Gateway + Lambda for `stack` on `host:port`, enforcing the same
 * `limits/` classes the simulator uses, and CloudWatch's API for its metrics on the next port.
 */
export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const { stack } = opts;
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65534) throw new RuntimeError(`port must be 0..65534, not ${port}`);
  const clock = opts.clock ?? emulatorClock;
  const rng = opts.seed !== undefined ? seededRandom(opts.seed) : Math.random;
  const limits = emulatorLimits(opts.limits);
  const handler = typeof opts.handler === 'string' ? await loadHandler(opts.handler) : opts.handler;

  const metrics = new MetricsStore(opts.metrics);
  const startedAt = clock();
  const runtime = new LambdaRuntime(stack, clock, rng, handler, (now, n) => metrics.concurrency(now, n));
  const front = new ApiFront(stack, clock, runtime, metrics, () => ({
    stack: stack.name,
    apiKind: stack.api.kind,
    startedAt: new Date(startedAt * 1000).toISOString(),
    now: new Date(clock() * 1000).toISOString(),
    inFlight: metrics.inFlight,
    totals: metrics.totals(),
    cohorts: metrics.cohorts(),
  }));
  const api = front.createServer(limits);
  const closeApi = () => closeServer(api.server, () => api.closeConnections());
  const cwServer = createCloudWatchServer(metrics, metricCatalog(stack), limits);

  let apiPort: number;
  try {
    apiPort = await listen(api.server, port, host, 'API');
  } catch (err) {
    await closeApi();
    throw err;
  }
  let cwPort: number;
  try {
    cwPort = await listen(cwServer, port === 0 ? 0 : port + 1, host, 'CloudWatch endpoint');
  } catch (err) {
    await closeApi();
    throw err;
  }
  // per-IP WAF windows of clients gone quiet are dropped now and then so memory stays flat
  const sweeper = setInterval(() => front.gateway.sweep(clock()), 60_000);
  sweeper.unref();

  let closed: Promise<void> | undefined;
  return {
    apiUrl: urlFor(host, apiPort),
    cloudwatchUrl: urlFor(host, cwPort),
    metrics,
    enforced: describeEnforced(stack),
    timeline: (o) => metrics.timeline(o),
    totals: () => metrics.totals(),
    close: () => {
      closed ??= (async () => {
        clearInterval(sweeper);
        runtime.close();
        await Promise.all([closeApi(), closeServer(cwServer, () => cwServer.closeAllConnections())]);
      })();
      return closed;
    },
  };
}
