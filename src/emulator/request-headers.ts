import type { Socket } from 'node:net';

/** Requests with this header are counted under that cohort (the load driver sends it); else 'all'. */
export const COHORT_HEADER = 'x-dowsim-cohort';
/** 'legit' or 'attack' (default) for the cohort named by COHORT_HEADER. */
export const ROLE_HEADER = 'x-dowsim-role';

// a socket's peer never changes: read it once per connection, not once per request
const socketAddresses = new WeakMap<Socket, string>();

/**
 * Where a request comes from, as a WAF rule sees it: `source`, the address API Gateway saw the
 * request come from (what a rule keyed on `ip` counts), and `forwarded`, the first X-Forwarded-For
 * address (what a `forwarded-ip` rule counts; AWS WAF reads only the first, and skips the rule
 * when the header is absent). Locally every TCP peer is 127.0.0.1, so the load driver stands in
 * for the network: it sends the client's address as the header's last hop — where API Gateway
 * appends the address it saw — and the source is that last hop. Without the header, the socket's.
 * `forwardedFor`: the X-Forwarded-For value (repeats joined by ","), `peer`: the request's TCP peer.
 */
export function clientAddresses(forwardedFor: string | undefined, peer: { peerAddress(): string }): { source: string; forwarded?: string } {
  if (forwardedFor) {
    // one hop (most requests) needs no split
    const hops = forwardedFor.includes(',') ? forwardedFor.split(',').map((h) => h.trim()).filter((h) => h !== '') : [forwardedFor.trim()];
    if (hops[0]) return { source: hops[hops.length - 1], forwarded: hops[0] };
  }
  return { source: peer.peerAddress() };
}

/** The socket's peer address (IPv4-mapped IPv6 unwrapped), remembered per connection. */
export function socketAddress(socket: Socket): string {
  let known = socketAddresses.get(socket);
  if (known === undefined) {
    const addr = socket.remoteAddress;
    if (addr === undefined) return ''; // closed before it was asked: nothing to keep
    known = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
    socketAddresses.set(socket, known);
  }
  return known;
}

export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
