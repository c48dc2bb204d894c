/**
 * Which targets a live run may contact (DESIGN.md "Safety"): loopback always; any other host only
 * when the user named it with --allow-target AND bounded the run with --duration or
 * --max-requests. Decided from the URL text alone — no DNS lookup, no connection — so a refused
 * target is never contacted at all.
 */
import { InputError } from '../model/errors.ts';
import { isLoopbackHost } from '../model/loopback.ts';

export { isLoopbackHost };

export interface CheckedTarget {
  /** scheme://host[:port], credentials stripped. */
  origin: string;
  /** The path prefix every request path goes under ("/prod"), '' for none. */
  basePath: string;
  hostname: string;
  loopback: boolean;
  /** The target as safe to print: no credentials, no query. */
  display: string;
}

export interface TargetRules {
  allowTargets: readonly string[];
  /** --duration or --max-requests was given. */
  bounded: boolean;
}

/** The host an --allow-target value names (it may be given as a bare host, host:port or a URL). */
export function allowedHostName(value: string): string {
  const v = value.trim();
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return new URL(v).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    // fall through: treat it as a host
  }
  return v.toLowerCase().replace(/^\[|\]$/g, '').replace(/:\d+$/, '').replace(/\.$/, '');
}

/** Validates --target against the safety rules; throws InputError (exit 1) before anything is contacted. */
export function checkTarget(target: string, rules: TargetRules): CheckedTarget {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new InputError([{ path: '--target', message: 'expected a URL like "https://abc123.execute-api.us-east-1.amazonaws.com/prod"' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError([{ path: '--target', message: `expected an http:// or https:// URL, got "${url.protocol}"` }]);
  }
  if (url.search !== '' || target.includes('?')) {
    // k6 refuses it too: a query on the base URL would be silently dropped or glued onto every path
    throw new InputError([{ path: '--target', message: 'a base URL cannot carry a query ("?…"): give the API\'s base URL, e.g. "https://abc123.execute-api.us-east-1.amazonaws.com/prod"' }]);
  }
  const hostname = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const loopback = isLoopbackHost(hostname);
  if (!loopback) {
    const allowed = rules.allowTargets.map(allowedHostName);
    if (!allowed.includes(hostname)) {
      throw new InputError([
        {
          path: '--target',
          message:
            `${hostname} is not a loopback address and was not named with --allow-target. ` +
            `dowsim only attacks hosts you name: add --allow-target ${hostname} (and bound the run with --duration or --max-requests).`,
        },
      ]);
    }
    if (!rules.bounded) {
      throw new InputError([
        {
          path: '--target',
          message: `a run against ${hostname} must be bounded: give --duration (e.g. --duration 2m) or --max-requests.`,
        },
      ]);
    }
  }
  const basePath = url.pathname.replace(/\/+$/, '');
  const origin = `${url.protocol}//${url.host}`;
  return { origin, basePath, hostname, loopback, display: `${origin}${basePath}` };
}
