import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** Requests with this header are counted under that cohort (the load driver sends it); else 'all'. */
export const COHORT_HEADER = 'x-dowsim-cohort';
/** 'legit' or 'attack' (default) for the cohort named by COHORT_HEADER. */
export const ROLE_HEADER = 'x-dowsim-role';

// a socket's peer never changes: read it once per connection, not once per request
const socketAddresses = new WeakMap<Socket, string>();

/** The first X-Forwarded-For address, else the socket's (IPv4-mapped IPv6 unwrapped). */
export function clientAddress(req: IncomingMessage): string {
  const xff = req.headers['x-forwarded-for'];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
  if (first) return first;
  const socket = req.socket;
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
