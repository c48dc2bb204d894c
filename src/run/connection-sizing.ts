/** How many connections a live run's driver starts with, when the user gives no --connections. */
import type { Stack } from '../stack/types.ts';

const MIN_CONNECTIONS = 64;
export const MAX_DEFAULT_CONNECTIONS = 2000;

/**
 * Where the default in-flight bound starts (Little's law with the expected latency): the peak rate
 * times twice the slowest answer the stack expects in normal running — a cold start (INIT) plus a
 * p99 invocation — so that a wave of cold starts does not turn into drops. From there the driver
 * grows it on demand up to MAX_DEFAULT_CONNECTIONS, and lowers it when the target stops answering
 * more for more in flight (load/in-flight-window.ts). The pool only opens what the traffic needs.
 */
export function defaultConnections(peakRate: number, stack: Stack): number {
  const slowest = stack.lambda.initDuration + stack.lambda.duration.p99 + 0.1;
  const want = Math.ceil(peakRate * 2 * Math.max(0.5, slowest));
  return Math.min(MAX_DEFAULT_CONNECTIONS, Math.max(MIN_CONNECTIONS, want));
}
