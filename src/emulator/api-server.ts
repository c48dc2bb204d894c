import { performance } from 'node:perf_hooks'; // not the global: that one is a lazy getter, read per call
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
import type { ApiReply, ApiRequest } from './api-request.ts';
import { KEEP_ALIVE_MS, LeanFront } from './lean-front.ts';
import { nodeRequestHandler } from './node-front.ts';
import { clientAddresses } from './request-headers.ts';
import type { RequestIds } from './request-ids.ts';
import { ResponseWriter } from './response-writer.ts';
import { createTimedServer, type EmulatorLimits } from './server-limits.ts';

export { clientAddresses, COHORT_HEADER, ROLE_HEADER } from './request-headers.ts';
export const METRICS_PATH = '/__dowsim/metrics';
const MAX_COHORTS = 100;

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

  /** The API port's server: lean connections (lean-front.ts), node:http for what they hand over. */
  createServer(limits: EmulatorLimits): LeanFront {
    const serve = (req: ApiRequest, reply: ApiReply, body: Buffer, bytesIn: number, t0: number) => this.handle(req, reply, body, bytesIn, t0);
    const keepBodies = this.runtime.needsRequestBodies;
    const fallback = createTimedServer({ keepAlive: true }, limits, nodeRequestHandler(serve, limits.maxBodyBytes, keepBodies));
    fallback.keepAliveTimeout = KEEP_ALIVE_MS;
    return new LeanFront((r, body, bytesIn, t0) => this.handle(r, r, body, bytesIn, t0), fallback, limits, keepBodies);
  }

  private handle(req: ApiRequest, reply: ApiReply, body: Buffer, bytesIn: number, t0: number): void {
    try {
      this.serve(req, reply, body, bytesIn, t0);
    } catch (err) {
      // a bug here must cost one request, never the emulator
      process.stderr.write(`dowsim emulator: internal error on ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}\n`);
      if (reply.open) this.writer.sendCanned(reply, 'failed');
    }
  }

  private serve(req: ApiRequest, reply: ApiReply, body: Buffer, bytesIn: number, t0: number): void {
    const url = req.url;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method;
    if (path === METRICS_PATH && method === 'GET') {
      this.writer.sendJson(reply, 200, this.describe());
      return;
    }
    const now = this.clock();
    const cohort = this.cohortName(req.cohort);
    const role: Role = req.role === 'legit' ? 'legit' : 'attack';
    const { source: client, forwarded } = clientAddresses(req.forwardedFor, req);
    const apiKey = req.apiKey;
    const pending: Pending = { arrival: now, cohort, role, bytesIn };

    const admission = this.gateway.admit(now, 1, 0, { method, path, apiKey, client, forwarded });
    const verdict = gatewayVerdict(admission);
    if (verdict !== 'passed') {
      const answer: GatewayAnswer = verdict === 'authRejected' && admission.authReason === 'unknown-route' ? 'unknownRoute' : verdict;
      const bytesOut = this.writer.sendCanned(reply, answer);
      pending.route = admission.routeKey ?? matchRoute(this.stack, method, path)?.key ?? `${method} ${path} (no route)`;
      this.record(pending, verdict, this.writer.statusOf(answer), bytesOut, performance.now() - t0);
      return;
    }

    pending.route = admission.routeKey;
    const fn = this.severalFunctions ? functionIndexOfRoute(this.stack, admission.routeKey) : 0;
    this.runtime.invoke(new Exchange(this, req, reply, body, t0, pending), fn, now);
  }

  /** The status the client gets for this answer. */
  statusOf(r: FunctionReply): number {
    return r.kind === 'gateway' ? this.writer.statusOf(r.answer) : r.response.status;
  }

  /** Sends the function's answer (or API Gateway's in its stead): the body bytes sent. */
  reply(reply: ApiReply, r: FunctionReply, ids: RequestIds): number {
    if (r.kind === 'gateway') return this.writer.sendCanned(reply, r.answer, ids);
    this.writer.sendFunction(reply, r.response, ids);
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
