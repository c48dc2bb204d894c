import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { capConnections } from './connection-cap.ts';

/**
 * What one client may cost the emulator. Every client is on this machine, but a hostile or broken
 * one (stalled bodies, thousands of connections, a gzip bomb) must cost it bounded time and memory
 * and never stall the requests of others.
 */
export interface EmulatorLimits {
  /** A request's headers and body must arrive within this; else 408 and the connection is closed. */
  requestTimeoutMs: number;
  /** Its headers within this (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** Connections open at once on the API port; past it a newcomer closes the oldest idle or stalled one. */
  maxConnections: number;
  /** Largest request body the API takes (API Gateway's 10 MB payload quota); larger ones get 413. */
  maxBodyBytes: number;
  /** Connections open at once on the CloudWatch port (the SDK opens at most 50). */
  cloudwatchMaxConnections: number;
  /** Largest CloudWatch request body, as sent and once inflated; larger ones get 413. */
  cloudwatchMaxBodyBytes: number;
}

export const DEFAULT_LIMITS: EmulatorLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 30_000,
  // half of a 20,000-descriptor limit: `run` drives the in-process emulator up to --connections
  // 20,000, but past 10,000 client and server sockets together exhaust such a limit anyway
  maxConnections: 10_000,
  maxBodyBytes: 10 * 1024 * 1024,
  cloudwatchMaxConnections: 256,
  // a GetMetricData call of 500 queries is about 150 KB of JSON
  cloudwatchMaxBodyBytes: 1024 * 1024,
};

/** The defaults with `given` over them; refuses values that would switch a limit off. */
export function emulatorLimits(given: Partial<EmulatorLimits> = {}): EmulatorLimits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`emulator limit ${name} must be a whole number > 0, not ${value}`);
  }
  limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return limits;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type Timeouts = { requestTimeoutMs: number; headersTimeoutMs: number };

/**
 * How often stalled requests are looked for. Node looks every `connectionsCheckingInterval` (30 s
 * by default): a tenth of the timeout keeps "closed after the timeout" close to the timeout.
 */
export function checkingIntervalMs(limits: Timeouts): number {
  return Math.min(5_000, Math.max(50, Math.floor(limits.requestTimeoutMs / 10)));
}

/** An HTTP server that closes requests whose headers or body stall (node answers 408). */
export function createTimedServer(options: ServerOptions, limits: Timeouts, handler: Handler): Server {
  return createServer(
    {
      ...options,
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(limits),
    },
    handler,
  );
}

/** A timed server (createTimedServer) that caps its connections (connection-cap.ts). */
export function createLimitedServer(options: ServerOptions, limits: Timeouts & { maxConnections: number }, handler: Handler): Server {
  const server = createTimedServer(options, limits, handler);
  capConnections(server, limits.maxConnections);
  return server;
}
