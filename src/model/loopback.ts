/**
 * Whether a host is this machine, from its text alone (no DNS): loopback targets are always allowed
 * (run/target.ts), and a loopback CloudWatch endpoint is a local stand-in that needs no AWS
 * credentials (collect/cloudwatch-client.ts).
 */

/** Answers whether a hostname (as written in a URL) is a loopback address, without resolving it. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost') return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) return Number(v4[1]) === 127 && v4.slice(2).every((x) => Number(x) <= 255);
  // WHATWG URL parsing writes ::ffff:127.0.0.1 as ::ffff:7f00:1
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mapped) return parseInt(mapped[1], 16) >> 8 === 127;
  return false;
}

/** Whether a URL's host is loopback; false for anything that is not a URL. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * A URL as safe to print: without the user name and password it may carry
 * ("http://AKIA…:secret@127.0.0.1:8788" → "http://127.0.0.1:8788/") and without its query. Text
 * that is no URL is returned as it is (it holds no credentials a URL parser would find).
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password && !u.search) return url;
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return url;
  }
}
