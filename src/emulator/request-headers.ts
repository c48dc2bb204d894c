import type { IncomingMessage } from 'node:http';

/** Requests with this header are counted under that cohort (the load driver sends it); else 'all'. */
export const COHORT_HEADER = 'x-dowsim-cohort';
/** 'legit' or 'attack' (default) for the cohort named by COHORT_HEADER. */
export const ROLE_HEADER = 'x-dowsim-role';

/**
 * Where a request comes from, as a WAF rule sees it: `source`, the address API Gateway saw the
 * request come from (what a rule keyed on `ip` counts), and `forwarded`, the first X-Forwarded-For
 * address (what a `forwarded-ip` rule counts; AWS WAF reads only the first, and skips the rule
 * when the header is absent). Locally every TCP peer is 127.0.0.1, so the load driver stands in
 * for the network: it sends the client's address as the header's last hop — where API Gateway
 * appends the address it saw — and the source is that last hop. Without the header, the socket's.
 */
export function clientAddresses(req: IncomingMessage): { source: string; forwarded?: string } {
  const xff = req.headers['x-forwarded-for'];
  const raw = Array.isArray(xff) ? xff.join(',') : xff;
  if (raw) {
    // one hop (most requests) needs no split
    const hops = raw.includes(',') ? raw.split(',').map((h) => h.trim()).filter((h) => h !== '') : [raw.trim()];
    if (hops[0]) return { source: hops[hops.length - 1], forwarded: hops[0] };
  }
  const addr = req.socket.remoteAddress ?? '';
  return { source: addr.startsWith('::ffff:') ? addr.slice(7) : addr };
}

export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
