import { performance } from 'node:perf_hooks'; // not the global: that one is a lazy getter, read per call
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Stack } from '../stack/types.ts';
import type { Clock } from '../limits/types.ts';
import { Gateway, type Admission } from '../limits/gateway.ts';
import { GATEWAY_BILLED_OUTCOMES, type Outcome } from '../model/outcomes.ts';
import type { Role } from '../model/timeline.ts';
import { billableUnits } from '../model/metering.ts';
import { functionIndexOfRoute, hasSeveralFunctions } from '../stack/functions.ts';
import { matchRoute } from '../stack/routes.ts';
import type { GatewayAnswer } from '../model/gateway-responses.ts';
import { Exchange, type Pending } from './exchange.ts';
import type { FunctionReply, InvocationRecord, LambdaRuntime } from './lambda-runtime.ts';
import type { RequestRecord } from './metrics-cell.ts';
import type { MetricsStore } from './metrics-store.ts';
import { refuseLargeBody } from './refuse-large-body.ts';
import { clientAddresses, COHORT_HEADER, firstHeader, ROLE_HEADER } from './request-headers.ts';
import type { RequestIds } from './request-ids.ts';
import { ResponseWriter } from './response-writer.ts';
import { createLimitedServer, type EmulatorLimits } from './server-limits.ts';

export { clientAddresses, COHORT_HEADER, ROLE_HEADER } from './request-headers.ts';
export const METRICS_PATH = '/__dowsim/metrics';
const MAX_COHORTS = 100;

const EMPTY = Buffer.alloc(0);

/** Which single outcome a one-request admission came to (counts are 0 or 1, exactly one is 1). */
function gatewayVerdict(a: Admission): 'passed' | 'wafBlocked' | 'authRejected' | 'gatewayThrottled' | 'quotaExceeded' {
  if (a.passed > 0.5) return 'passed';
  if (a.wafBlocked > 0.5) return 'wafBlocked';
  if (a.authRejected > 0.5) return 'authRejected';
  if (a.quotaExceeded > 0.5) return 'quotaExceeded';
  return 'gatewayThrottled';
}

/**
 * The API's HTTP front: reads each request, asks the shared `Gateway` (limits/) what happens to it,
 * hands what passes to the Lambda runtime, answers the way API Gateway (or a function URL) does,
 * and records the request in the metrics store.
 */
export class ApiFront {
  readonly gateway: Gateway;
  private readonly writer: ResponseWriter;
  private readonly cohorts = new Set<string>();
  private maxBodyBytes = Infinity;

  constructor(
    private readonly stack: Stack,
    private readonly clock: Clock,
    private readonly runtime: LambdaRuntime,
    private readonly metrics: MetricsStore,
    private readonly describe: () => Record<string, unknown>,
  ) {
    this.gateway = new Gateway(stack, { throttled: true });
    this.writer = new ResponseWriter(stack.api.kind);
    this.severalFunctions = hasSeveralFunctions(stack);
  }

  private readonly severalFunctions: boolean;

  createServer(limits: EmulatorLimits): Server {
    this.maxBodyBytes = limits.maxBodyBytes;
    const server = createLimitedServer({ keepAlive: true }, limits, (req, res) => this.onRequest(req, res));
    // API Gateway keeps idle client connections open for a while; load drivers reuse them
    server.keepAliveTimeout = 60_000;
    return server;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const t0 = performance.now();
    const headers = req.headers; // a getter on node's request: read it once
    const length = headers['content-length'];
    if ((length === undefined || length === '0') && headers['transfer-encoding'] === undefined) {
      // no body to wait for (most flood requests): node discards the empty stream after the response
      this.handle(req, res, EMPTY, 0, t0);
      return;
    }
    if (Number(length) > this.maxBodyBytes) return refuseLargeBody(res);
    // the body is read to the end (its size is metered); only a real handler needs its bytes
    const keep = this.runtime.needsRequestBodies;
    const chunks: Buffer[] = [];
    let bytesIn = 0;
    req.on('data', (c: Buffer) => {
      bytesIn += c.length;
      if (bytesIn > this.maxBodyBytes) {
        req.removeAllListeners('data').removeAllListeners('end');
        refuseLargeBody(res);
      } else if (keep) chunks.push(c);
    });
    req.on('end', () => {
      const body = !keep ? EMPTY : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytesIn);
      this.handle(req, res, body, bytesIn, t0);
    });
    req.on('error', () => res.destroy());
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Buffer, bytesIn: number, t0: number): void {
    try {
      this.serve(req, res, body, bytesIn, t0);
    } catch (err) {
      // a bug here must cost one request, never the emulator
      process.stderr.write(`dowsim emulator: internal error on ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}\n`);
      if (!res.headersSent) this.writer.sendCanned(res, 'failed');
    }
  }

  private serve(req: IncomingMessage, res: ServerResponse, body: Buffer, bytesIn: number, t0: number): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET'; // node's parser takes upper-case methods only
    if (path === METRICS_PATH && method === 'GET') {
      this.writer.sendJson(res, 200, this.describe());
      return;
    }
    const now = this.clock();
    const headers = req.headers;
    const cohort = this.cohortName(firstHeader(headers[COHORT_HEADER]));
    const role: Role = firstHeader(headers[ROLE_HEADER]) === 'legit' ? 'legit' : 'attack';
    const { source: client, forwarded } = clientAddresses(req);
    const apiKey = firstHeader(headers['x-api-key']);
    const pending: Pending = { arrival: now, cohort, role, bytesIn };

    const admission = this.gateway.admit(now, 1, 0, { method, path, apiKey, client, forwarded });
    const verdict = gatewayVerdict(admission);
    if (verdict !== 'passed') {
      const answer: GatewayAnswer = verdict === 'authRejected' && admission.authReason === 'unknown-route' ? 'unknownRoute' : verdict;
      const bytesOut = this.writer.sendCanned(res, answer);
      pending.route = admission.routeKey ?? matchRoute(this.stack, method, path)?.key ?? `${method} ${path} (no route)`;
      this.record(pending, verdict, this.writer.statusOf(answer), bytesOut, performance.now() - t0);
      return;
    }

    pending.route = admission.routeKey;
    const fn = this.severalFunctions ? functionIndexOfRoute(this.stack, admission.routeKey) : 0;
    this.runtime.invoke(new Exchange(this, req, res, body, t0, pending), fn, now);
  }

  /** The status the client gets for this answer. */
  statusOf(r: FunctionReply): number {
    return r.kind === 'gateway' ? this.writer.statusOf(r.answer) : r.response.status;
  }

  /** Sends the function's answer (or API Gateway's in its stead): the body bytes sent. */
  reply(res: ServerResponse, r: FunctionReply, ids: RequestIds): number {
    if (r.kind === 'gateway') return this.writer.sendCanned(res, r.answer, ids);
    this.writer.sendFunction(res, r.response, ids);
    return r.response.body.length;
  }

  record(p: Pending, outcome: Outcome, status: number, bytesOut: number, latencyMs: number, inv?: InvocationRecord): void {
    const kind = this.stack.api.kind;
    const billed = GATEWAY_BILLED_OUTCOMES.includes(outcome);
    // one object, refilled for every request of a flood: the store reads it and keeps none of it
    const r = this.scratch;
    r.cohort = p.cohort;
    r.role = p.role;
    r.route = p.route;
    r.outcome = outcome;
    r.status = status;
    r.reachedGateway = outcome !== 'wafBlocked';
    r.latencyMs = latencyMs;
    r.integrationLatencyMs = inv?.integrationLatencyMs;
    r.durationMs = inv?.durationMs;
    r.functionError = inv?.functionError;
    r.coldStart = inv?.coldStart ?? false;
    r.gbSeconds = inv?.gbSeconds ?? 0;
    r.initGbSeconds = inv?.initGbSeconds ?? 0;
    r.billedApiRequests = billed ? billableUnits(kind, p.bytesIn, bytesOut) : 0;
    r.bytesIn = p.bytesIn;
    r.bytesOut = bytesOut;
    this.metrics.record(p.arrival, r);
  }

  private readonly scratch: RequestRecord = {
    cohort: '',
    role: 'attack',
    route: undefined,
    outcome: 'succeeded',
    status: 0,
    reachedGateway: true,
    latencyMs: 0,
    integrationLatencyMs: undefined,
    durationMs: undefined,
    functionError: undefined,
    coldStart: false,
    gbSeconds: 0,
    initGbSeconds: 0,
    billedApiRequests: 0,
    bytesIn: 0,
    bytesOut: 0,
  };

  /** The cohort a request counts under; past MAX_COHORTS names everything new is "other" (bounded memory). */
  private cohortName(header: string | undefined): string {
    if (!header) return 'all';
    const name = header.slice(0, 100);
    if (this.cohorts.has(name)) return name;
    if (this.cohorts.size >= MAX_COHORTS) return 'other';
    this.cohorts.add(name);
    return name;
  }
}
