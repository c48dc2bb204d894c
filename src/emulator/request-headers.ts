import type { IncomingMessage } from 'node:http';

/** Requests with this header are counted under that cohort (the load driver sends it); else 'all'. */
export const COHORT_HEADER = 'x-dowsim-cohort';
/** 'legit' or 'attack' (default) for the cohort named by COHORT_HEADER. */
export const ROLE_HEADER = 'x-dowsim-role';

/** The first X-Forwarded-For address, else the socket's (IPv4-mapped IPv6 unwrapped). */
export function clientAddress(req: IncomingMessage): string {
  const xff = req.headers['x-forwarded-for'];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
  if (first) return first;
  const addr = req.socket.remoteAddress ?? '';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
