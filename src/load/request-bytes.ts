/**
 * Each client's whole HTTP/1.1 request — request line, headers, body — as the bytes written to the
 * socket, built once per client and rotation epoch and then reused: a flood sends the same few
 * hundred bytes over and over, and building (and encoding) them per request was a large part of
 * the driver's CPU.
 *
 * X-Forwarded-For stands in for the network: locally every TCP peer is 127.0.0.1, so the client's
 * own address goes last in the header, where API Gateway appends the address it saw (the emulator
 * reads the last hop as the source IP, the first as the forwarded IP). A cohort that forges the
 * header puts a fresh forged address first on every request: "<forged>, <client>".
 */
import type { DispatchCohort } from './dispatch-types.ts';
import { forgedAddress, type IdentityPlan } from './identity.ts';
import type { Arrival } from './schedule.ts';

const XFF = Buffer.from('\r\nx-forwarded-for: ', 'latin1');

/** Requests are cached for cohorts up to this many clients (a bigger botnet builds them per request). */
const CACHE_CLIENTS = 65_536;

export class RequestBytes {
  /** Each cohort's one request when it has no mix (its body reused for every request). */
  private readonly plain: { method: string; path: string; body: Buffer | null }[];
  /** Per cohort, per client: its requests (one per request of its mix) in its latest rotation epoch. */
  private readonly cache: ({ epoch: number; bytes: (Buffer | undefined)[] } | undefined)[][];
  /** Whether the request `of` answered last is a HEAD (its answer has no body). */
  head = false;
  /** Forged addresses handed out so far (each is used once). */
  private forged = 0;

  constructor(
    /** The Host header's value ("127.0.0.1:8787"). */
    private readonly host: string,
    private readonly cohorts: readonly DispatchCohort[],
    private readonly identities: IdentityPlan,
  ) {
    this.plain = cohorts.map((c) => ({ method: c.method, path: c.path, body: c.bodyBytes > 0 ? Buffer.alloc(c.bodyBytes, 0x78) : null }));
    this.cache = cohorts.map((_c, i) => new Array(Math.min(CACHE_CLIENTS, identities.clients(i))));
  }

  /** The arrival's request (the next of its cohort's mix, if it has one), or undefined when a header value cannot go on the wire (a line break in a key). */
  of(a: Arrival): Buffer | undefined {
    const c = this.cohorts[a.cohort];
    const pick = c.mix ? c.mix.nextIndex() : 0;
    const req = c.mix ? c.mix.requests[pick] : this.plain[a.cohort];
    this.head = req.method === 'HEAD';
    const cache = this.cache[a.cohort];
    let bytes: Buffer | undefined;
    if (a.client >= cache.length) bytes = this.build(a, req);
    else {
      let hit = cache[a.client];
      if (hit === undefined || hit.epoch !== a.epoch) hit = cache[a.client] = { epoch: a.epoch, bytes: [] };
      bytes = hit.bytes[pick] ??= this.build(a, req);
    }
    return bytes && c.forgeForwardedFor ? this.forge(bytes) : bytes;
  }

  /** The request with a fresh forged address put first in its X-Forwarded-For. */
  private forge(bytes: Buffer): Buffer {
    const at = bytes.indexOf(XFF) + XFF.length;
    return Buffer.concat([bytes.subarray(0, at), Buffer.from(`${forgedAddress(this.forged++)}, `, 'latin1'), bytes.subarray(at)]);
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
