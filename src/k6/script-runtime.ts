/**
 * The JavaScript that runs inside k6 (not Node): helpers the generated script carries verbatim.
 * Kept here as text so tests can run the very same source in Node and hold it to dowsim's own
 * functions (documentationAddress in load/identity.ts, syntheticApiKey in stack/api-keys.ts).
 * Plain ES2017: k6's JavaScript runtime is not Node, and older k6 releases lack `??` and `?.`.
 */

/** Same addresses as load/identity.ts documentationAddress (RFC 5737 TEST-NETs, then 2001:db8::/32) and forgedAddress. */
export const ADDRESS_JS = `/**
 * The documentation-range address of identity number n (RFC 5737 TEST-NET-1/2/3, then RFC 3849
 * 2001:db8::/32): header values only, never a real host.
 * @param {number} n
 * @returns {string}
 */
function documentationAddress(n) {
  const nets = ['192.0.2.', '198.51.100.', '203.0.113.'];
  const perNet = 254;
  if (n < nets.length * perNet) return nets[Math.floor(n / perNet)] + ((n % perNet) + 1);
  const m = n - nets.length * perNet;
  const hi = Math.floor(m / 0x10000) % 0x10000;
  const lo = m % 0x10000;
  const top = Math.floor(m / 0x100000000);
  const head = '2001:db8:' + hi.toString(16) + ':' + lo.toString(16);
  return top === 0 ? head + '::1' : head + ':' + top.toString(16) + '::1';
}

/**
 * A forged X-Forwarded-For address, a fresh one per seq (same as load/identity.ts forgedAddress):
 * 2001:db8:ffff:…::f, apart from every client's address (those end in ::1).
 * @param {number} seq
 * @returns {string}
 */
function forgedAddress(seq) {
  /** @param {number} k */
  const group = function (k) {
    return (Math.floor(seq / Math.pow(0x10000, k)) % 0x10000).toString(16);
  };
  return '2001:db8:ffff:' + group(2) + ':' + group(1) + ':' + group(0) + '::f';
}`;

/** The text of a response that tells outcomes apart: its JSON `message` (or `Message`), else its start. */
export const MESSAGE_JS = `/**
 * What an error response says: the JSON body's message (API Gateway and Lambda both answer
 * {"message": ...}), else the first characters of the body.
 * @param {unknown} body
 * @returns {string}
 */
function messageOf(body) {
  if (typeof body !== 'string' || body === '') return '';
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const m = typeof parsed.message === 'string' ? parsed.message : parsed.Message;
      if (typeof m === 'string') return m.slice(0, 64);
    }
  } catch (e) {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 64);
}

/**
 * A response header by name, whatever its case (k6 hands headers over in Go's canonical form).
 * @param {Record<string, string>} headers
 * @param {string} name lower case
 * @returns {string}
 */
function headerOf(headers, name) {
  for (const k in headers) if (k.toLowerCase() === name) return String(headers[k]);
  return '';
}`;

/** Whether a URL's host is this machine: synthetic API keys are only ever sent there. */
export const LOOPBACK_JS = `/**
 * @param {string} url
 * @returns {boolean}
 */
function isLoopback(url) {
  const m = /^[a-z]+:\\/\\/(\\[[^\\]]+\\]|[^/:?#]+)/i.exec(url);
  if (!m) return false;
  const host = m[1].toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\\.\\d+\\.\\d+\\.\\d+$/.test(host);
}`;

/** The API key of a plan's synthetic client, as stack/api-keys.ts syntheticApiKey writes it. */
export const SYNTHETIC_KEY_JS = `/**
 * @param {string} prefix
 * @param {number} digits
 * @param {number} client
 * @returns {string}
 */
function syntheticKey(prefix, digits, client) {
  return prefix + String(client).padStart(digits, '0');
}`;
