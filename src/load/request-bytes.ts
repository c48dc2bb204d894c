/**
 * Each client's whole HTTP/1.1 request — request line, headers, body — as the bytes written to the
 * socket, built once per client and rotation epoch and then reused: a flood sends the same few
 * hundred bytes over and over, and building (and encoding) them per request was a large part of
 * the driver's CPU.
 */
import type { DispatchCohort } from './dispatch-types.ts';
import type { IdentityPlan } from './identity.ts';
import type { Arrival } from './schedule.ts';

/** Requests are cached for cohorts up to this many clients (a bigger botnet builds them per request). */
const CACHE_CLIENTS = 65_536;

export class RequestBytes {
  /** One body per cohort, reused for every request. */
  private readonly bodies: (Buffer | null)[];
  /** Per cohort, per client: its requests (one per request of its mix) in its latest rotation epoch. */
  private readonly cache: ({ epoch: number; bytes: (Buffer | undefined)[] } | undefined)[][];
  /** Whether the request `of` answered last is a HEAD (its answer has no body). */
  head = false;

  constructor(
    /** The Host header's value ("127.0.0.1:8787"). */
    private readonly host: string,
    private readonly cohorts: readonly DispatchCohort[],
    private readonly identities: IdentityPlan,
  ) {
    this.bodies = cohorts.map((c) => (c.bodyBytes > 0 ? Buffer.alloc(c.bodyBytes, 0x78) : null));
    this.cache = cohorts.map((_c, i) => new Array(Math.min(CACHE_CLIENTS, identities.clients(i))));
  }

  /** The arrival's request (the next of its cohort's mix, if it has one), or undefined when a header value cannot go on the wire (a line break in a key). */
  of(a: Arrival): Buffer | undefined {
    const c = this.cohorts[a.cohort];
    const pick = c.mix ? c.mix.nextIndex() : 0;
    const req = c.mix ? c.mix.requests[pick] : { method: c.method, path: c.path, body: this.bodies[a.cohort] };
    this.head = req.method === 'HEAD';
    const cache = this.cache[a.cohort];
    if (a.client >= cache.length) return this.build(a, req);
    let hit = cache[a.client];
    if (hit === undefined || hit.epoch !== a.epoch) hit = cache[a.client] = { epoch: a.epoch, bytes: [] };
    return (hit.bytes[pick] ??= this.build(a, req));
  }

  private build(a: Arrival, req: { method: string; path: string; body: Buffer | null }): Buffer | undefined {
    const c = this.cohorts[a.cohort];
    const headers = ['host', this.host, 'x-dowsim-cohort', c.name, 'x-dowsim-role', c.role, 'x-forwarded-for', this.identities.address(a.cohort, a.client, a.epoch)];
    const body = req.body;
    if (body !== null) headers.push('content-type', 'application/octet-stream', 'content-length', String(body.length));
    else if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') headers.push('content-length', '0');
    const key = c.apiKey?.(a.client);
    if (key !== undefined) headers.push('x-api-key', key);
    let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
    for (let i = 0; i < headers.length; i += 2) {
      if (/[\r\n\0]/.test(headers[i + 1])) return undefined;
      head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    }
    const bytes = Buffer.from(`${head}\r\n`, 'latin1');
    return body === null ? bytes : Buffer.concat([bytes, body]);
  }
}
