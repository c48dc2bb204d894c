import { performance } from 'node:perf_hooks'; // not the global: that one is a lazy getter, read per call
import type { Role } from '../model/timeline.ts';
import type { ApiFront } from './api-server.ts';
import type { FunctionReply, InvocationRecord, InvocationSink } from './lambda-runtime.ts';
import type { ProxyRequest } from './proxy-event.ts';
import type { ApiReply, ApiRequest } from './api-request.ts';
import { clientAddresses } from './request-headers.ts';
import { newIds } from './request-ids.ts';

/** A request admitted by the front, waiting to be recorded once it ends. */
export interface Pending {
  arrival: number; // clock seconds at admission
  cohort: string;
  role: Role;
  bytesIn: number;
  route?: string;
}

/** One request handed to the function: a class, not closures, as it is made for every request. */
export class Exchange implements InvocationSink {
  readonly ids = newIds();
  private status = 0;
  private bytesOut = 0;
  private latencyMs = 0;
  private replied = false;

  constructor(
    private readonly front: ApiFront,
    private readonly req: ApiRequest,
    private readonly res: ApiReply,
    private readonly body: Buffer,
    private readonly t0: number,
    private readonly pending: Pending,
  ) {}

  /** Only a real handler asks for it: read again from the request, not kept for every request of a flood. */
  request(): ProxyRequest {
    const { req } = this;
    const url = req.url;
    const q = url.indexOf('?');
    return {
      method: req.method,
      path: q < 0 ? url : url.slice(0, q),
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      rawHeaders: req.rawHeaders(),
      body: this.body,
      sourceIp: clientAddresses(req.forwardedFor, req).source,
      userAgent: req.header('user-agent') ?? '',
      host: req.header('host') ?? '',
      apiKey: req.apiKey,
      requestId: this.ids.requestId,
      shortId: this.ids.shortId,
      timeEpochMs: Date.now(),
      routeKey: this.pending.route,
      protocol: `HTTP/${req.httpVersion}`,
    };
  }

  reply(r: FunctionReply): void {
    if (this.replied) return;
    this.replied = true;
    this.status = this.front.statusOf(r);
    this.bytesOut = this.front.reply(this.res, r, this.ids);
    this.latencyMs = performance.now() - this.t0;
  }

  done(inv: InvocationRecord): void {
    this.front.record(this.pending, inv.outcome, this.status, this.bytesOut, this.latencyMs, inv);
  }
}
