import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Stack } from '../stack/types.ts';
import type { Clock } from '../limits/types.ts';
import { Gateway, type Admission } from '../limits/gateway.ts';
import { GATEWAY_BILLED_OUTCOMES, type Outcome } from '../model/outcomes.ts';
import type { Role } from '../model/timeline.ts';
import { billableUnits } from '../cost/api-gateway.ts';
import { functionIndexOfRoute, hasSeveralFunctions } from '../stack/functions.ts';
import { matchRoute } from '../stack/routes.ts';
import { cannedResponse, type GatewayAnswer } from '../model/gateway-responses.ts';
import type { FunctionReply, InvocationRecord, InvocationSink, LambdaRuntime } from './lambda-runtime.ts';
import type { MetricsStore } from './metrics-store.ts';
import type { ProxyRequest } from './proxy-event.ts';
import { refuseLargeBody } from './refuse-large-body.ts';
import { createLimitedServer, type EmulatorLimits } from './server-limits.ts';

/** Requests with this header are counted under that cohort (the load driver sends it); else 'all'. */
export const COHORT_HEADER = 'x-dowsim-cohort';
/** 'legit' or 'attack' (default) for the cohort named by COHORT_HEADER. */
export const ROLE_HEADER = 'x-dowsim-role';
export const METRICS_PATH = '/__dowsim/metrics';
const MAX_COHORTS = 100;

/** The first X-Forwarded-For address, else the socket's (IPv4-mapped IPv6 unwrapped). */
export function clientAddress(req: IncomingMessage): string {
  const xff = req.headers['x-forwarded-for'];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
  if (first) return first;
  const addr = req.socket.remoteAddress ?? '';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** A request's ids: the UUID (x-amzn-RequestId, awsRequestId) and API Gateway's short id. */
interface RequestIds {
  requestId: string;
  shortId: string;
}

const EMPTY = Buffer.alloc(0);

// API Gateway's short ids (x-amz-apigw-id, apigw-requestid) look like 15 base64 characters and
// "=": a random per-process prefix and a counter make unique ones at the cost of a string concat
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ID_PREFIX = Array.from({ length: 7 }, () => ID_ALPHABET[Math.floor(Math.random() * 64)]).join('');
let idCounter = Math.floor(Math.random() * 2 ** 40);

function newIds(): RequestIds {
  let n = idCounter++;
  let tail = '';
  for (let i = 0; i < 8; i++) {
    tail = ID_ALPHABET[n % 64] + tail;
    n = Math.floor(n / 64);
  }
  return { requestId: randomUUID(), shortId: `${ID_PREFIX}${tail}=` };
}

interface Canned {
  status: number;
  body: Buffer;
  length: string;
  contentType: string;
  errorType?: string;
}

interface Pending {
  arrival: number; // clock seconds at admission
  cohort: string;
  role: Role;
  bytesIn: number;
  route?: string;
}

/** Which single outcome a one-request admission came to (counts are 0 or 1, exactly one is 1). */
function gatewayVerdict(a: Admission): 'passed' | 'wafBlocked' | 'authRejected' | 'gatewayThrottled' | 'quotaExceeded' {
  if (a.passed > 0.5) return 'passed';
  if (a.wafBlocked > 0.5) return 'wafBlocked';
  if (a.authRejected > 0.5) return 'authRejected';
  if (a.quotaExceeded > 0.5) return 'quotaExceeded';
  return 'gatewayThrottled';
}

/** One request handed to the function: a class, not closures, as it is made for every request. */
class Exchange implements InvocationSink {
  readonly ids = newIds();
  private status = 0;
  private bytesOut = 0;
  private latencyMs = 0;
  private replied = false;

  constructor(
    private readonly front: ApiFront,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly body: Buffer,
    private readonly t0: number,
    private readonly pending: Pending,
    private readonly at: { method: string; path: string; url: string; q: number; client: string; apiKey?: string; routeKey?: string },
  ) {}

  request(): ProxyRequest {
    const { req, at } = this;
    return {
      method: at.method,
      path: at.path,
      rawQuery: at.q < 0 ? '' : at.url.slice(at.q + 1),
      rawHeaders: req.rawHeaders,
      body: this.body,
      sourceIp: at.client,
      userAgent: firstHeader(req.headers['user-agent']) ?? '',
      host: firstHeader(req.headers.host) ?? '',
      apiKey: at.apiKey,
      requestId: this.ids.requestId,
      shortId: this.ids.shortId,
      timeEpochMs: Date.now(),
      routeKey: at.routeKey,
      protocol: `HTTP/${req.httpVersion}`,
    };
  }

  reply(r: FunctionReply): void {
    if (this.replied) return;
    this.replied = true;
    const sent = this.front.reply(this.res, r, this.ids);
    this.status = sent.status;
    this.bytesOut = sent.bytesOut;
    this.latencyMs = performance.now() - this.t0;
  }

  done(inv: InvocationRecord): void {
    this.front.record(this.pending, inv.outcome, this.status, this.bytesOut, this.latencyMs, inv);
  }
}

/**
 * The API's HTTP front: reads each request, asks the shared `Gateway` (limits/) what happens to it,
 * hands what passes to the Lambda runtime, answers the way API Gateway (or a function URL) does,
 * and records the request in the metrics store.
 */
export class ApiFront {
  readonly gateway: Gateway;
  private readonly canned = new Map<GatewayAnswer, Canned>();
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
    const length = req.headers['content-length'];
    if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) {
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
      if (!res.headersSent) this.sendCanned(res, 'failed');
    }
  }

  private serve(req: IncomingMessage, res: ServerResponse, body: Buffer, bytesIn: number, t0: number): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === METRICS_PATH && method === 'GET') {
      this.sendJson(res, 200, this.describe());
      return;
    }
    const now = this.clock();
    const cohort = this.cohortName(firstHeader(req.headers[COHORT_HEADER]));
    const role: Role = firstHeader(req.headers[ROLE_HEADER]) === 'legit' ? 'legit' : 'attack';
    const client = clientAddress(req);
    const apiKey = firstHeader(req.headers['x-api-key']);
    const pending: Pending = { arrival: now, cohort, role, bytesIn };

    const admission = this.gateway.admit(now, 1, 0, { method, path, apiKey, client });
    const verdict = gatewayVerdict(admission);
    if (verdict !== 'passed') {
      const answer: GatewayAnswer = verdict === 'authRejected' && admission.authReason === 'unknown-route' ? 'unknownRoute' : verdict;
      const bytesOut = this.sendCanned(res, answer);
      pending.route = admission.routeKey ?? matchRoute(this.stack, method, path)?.key ?? `${method} ${path} (no route)`;
      this.record(pending, verdict, this.cannedFor(answer).status, bytesOut, performance.now() - t0);
      return;
    }

    pending.route = admission.routeKey;
    const fn = this.severalFunctions ? functionIndexOfRoute(this.stack, admission.routeKey) : 0;
    this.runtime.invoke(new Exchange(this, req, res, body, t0, pending, { method, path, url, q, client, apiKey, routeKey: admission.routeKey }), fn);
  }

  /** Sends the function's answer (or API Gateway's in its stead): the status and body bytes sent. */
  reply(res: ServerResponse, r: FunctionReply, ids: RequestIds): { status: number; bytesOut: number } {
    if (r.kind === 'gateway') {
      return { status: this.cannedFor(r.answer).status, bytesOut: this.sendCanned(res, r.answer, ids) };
    }
    this.sendFunction(res, r.response.status, r.response.headers, r.response.body, ids);
    return { status: r.response.status, bytesOut: r.response.body.length };
  }

  record(p: Pending, outcome: Outcome, status: number, bytesOut: number, latencyMs: number, inv?: InvocationRecord): void {
    const kind = this.stack.api.kind;
    const billed = GATEWAY_BILLED_OUTCOMES.includes(outcome);
    const billedApiRequests = billed ? billableUnits(kind, p.bytesIn, bytesOut) : 0;
    this.metrics.record(p.arrival, {
      cohort: p.cohort,
      role: p.role,
      ...(p.route !== undefined ? { route: p.route } : {}),
      outcome,
      status,
      reachedGateway: outcome !== 'wafBlocked',
      latencyMs,
      integrationLatencyMs: inv?.integrationLatencyMs,
      durationMs: inv?.durationMs,
      functionError: inv?.functionError,
      coldStart: inv?.coldStart ?? false,
      gbSeconds: inv?.gbSeconds ?? 0,
      initGbSeconds: inv?.initGbSeconds ?? 0,
      billedApiRequests,
      bytesIn: p.bytesIn,
      bytesOut,
    });
  }

  /** The cohort a request counts under; past MAX_COHORTS names everything new is "other" (bounded memory). */
  private cohortName(header: string | undefined): string {
    if (!header) return 'all';
    const name = header.slice(0, 100);
    if (this.cohorts.has(name)) return name;
    if (this.cohorts.size >= MAX_COHORTS) return 'other';
    this.cohorts.add(name);
    return name;
  }

  private cannedFor(answer: GatewayAnswer): Canned {
    let c = this.canned.get(answer);
    if (!c) {
      const r = cannedResponse(this.stack.api.kind, answer);
      const body = Buffer.from(r.body, 'utf8');
      c = { status: r.status, body, length: String(body.length), contentType: r.body.startsWith('{') ? 'application/json' : 'text/plain', errorType: r.errorType };
      this.canned.set(answer, c);
    }
    return c;
  }

  /** Appends the request-id headers: REST x-amzn-RequestId + x-amz-apigw-id, HTTP APIs apigw-requestid, function URLs x-amzn-RequestId. */
  private pushIdHeaders(out: string[], ids: RequestIds): void {
    const kind = this.stack.api.kind;
    if (kind === 'http') out.push('apigw-requestid', ids.shortId);
    else if (kind === 'rest') out.push('x-amzn-RequestId', ids.requestId, 'x-amz-apigw-id', ids.shortId);
    else out.push('x-amzn-RequestId', ids.requestId);
  }

  // Headers go to writeHead as one flat [name, value, …] list: no object to build per response.
  private sendCanned(res: ServerResponse, answer: GatewayAnswer, ids: RequestIds = newIds()): number {
    const c = this.cannedFor(answer);
    if (res.headersSent || res.destroyed) return 0;
    const headers = ['content-type', c.contentType, 'content-length', c.length];
    this.pushIdHeaders(headers, ids);
    if (c.errorType) headers.push('x-amzn-ErrorType', c.errorType);
    res.writeHead(c.status, headers);
    res.end(c.body);
    return c.body.length;
  }

  private sendFunction(res: ServerResponse, status: number, headers: [string, string][], body: Buffer, ids: RequestIds): void {
    if (res.headersSent || res.destroyed) return;
    const out: string[] = [];
    for (const [k, v] of headers) {
      const key = k.toLowerCase();
      // node frames the body itself; the function's own framing headers would contradict it
      if (key === 'content-length' || key === 'transfer-encoding' || key === 'connection') continue;
      out.push(k, v);
    }
    out.push('content-length', String(body.length));
    this.pushIdHeaders(out, ids);
    res.writeHead(status, out);
    res.end(body);
  }

  private sendJson(res: ServerResponse, status: number, value: unknown): void {
    const text = JSON.stringify(value, null, 2);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}
