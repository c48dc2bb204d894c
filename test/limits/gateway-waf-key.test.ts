import { describe, expect, it } from 'vitest';
import { Gateway, type AdmitRequest } from '../../src/limits/gateway.ts';
import { makeStack } from '../support/stacks.ts';

// waf.rateLimit.key: `ip` counts AdmitRequest.client (the source address), `forwarded-ip` counts
// AdmitRequest.forwarded (the first X-Forwarded-For hop) and never blocks a request without one
// (AWS WAF skips the rule when the header is absent; a forged hop fresh per request never repeats).
// Limit 10 per 60 s, no delay: the 11th request of a key passes (10 seen, not over), the 12th on
// is blocked.
const T0 = 1_767_571_200;
const gateway = (key: 'ip' | 'forwarded-ip') =>
  new Gateway(makeStack({ waf: { rules: 1, rateLimit: { limit: 10, windowSeconds: 60, key, delaySeconds: 0 } } }), { throttled: true });
const req = (client: string, forwarded?: string): AdmitRequest => ({ method: 'GET', path: '/items', client, ...(forwarded !== undefined ? { forwarded } : {}) });

/** 20 requests 0.1 s apart; how many the WAF blocked. */
function blocked(g: Gateway, r: (i: number) => AdmitRequest): number {
  let n = 0;
  for (let i = 0; i < 20; i++) n += g.admit(T0 + i / 10, 1, 0, r(i)).wafBlocked;
  return n;
}

describe('gateway: which key the WAF rule counts', () => {
  it('ip: one source behind many forwarded addresses is one key (9 of 20 blocked)', () => {
    expect(blocked(gateway('ip'), (i) => req('192.0.2.1', `198.51.100.${i + 1}`))).toBe(9);
  });

  it('ip: many sources claiming one forwarded address are many keys (none blocked)', () => {
    expect(blocked(gateway('ip'), (i) => req(`192.0.2.${i + 1}`, '198.51.100.1'))).toBe(0);
  });

  it('forwarded-ip: one forwarded address from many sources is one key (9 of 20 blocked)', () => {
    expect(blocked(gateway('forwarded-ip'), (i) => req(`192.0.2.${i + 1}`, '198.51.100.1'))).toBe(9);
  });

  it('forwarded-ip: a fresh forwarded address per request, or none at all, is never blocked', () => {
    expect(blocked(gateway('forwarded-ip'), (i) => req('192.0.2.1', `198.51.100.${i + 1}`))).toBe(0);
    expect(blocked(gateway('forwarded-ip'), () => req('192.0.2.1'))).toBe(0);
  });

  it('a rotation forgets the key the rule counts', () => {
    const g = gateway('forwarded-ip');
    expect(blocked(g, () => req('192.0.2.1', '198.51.100.1'))).toBe(9);
    g.limits.forgetClient(req('192.0.2.1', '198.51.100.1'));
    // the key starts from zero: 2 s later, 11 pass again before blocking
    let passed = 0;
    for (let i = 0; i < 12; i++) passed += g.admit(T0 + 2 + i / 10, 1, 0, req('192.0.2.1', '198.51.100.1')).passed;
    expect(passed).toBe(11);
  });

  it('a stride is steady for a flow the rule cannot block, and an edge for one it will', () => {
    // 100 rps for 10 s: 100 × 11 > 10 — the rule will block it, unless it cannot count it
    const flow = (r: AdmitRequest) => [{ n: 1000, band: { lo: 100, hi: 100 }, req: { ...r, clients: 1 } }];
    expect(gateway('ip').strideBands(T0 + 10, 10, flow(req('192.0.2.1', '198.51.100.1')))).toBeUndefined();
    expect(gateway('forwarded-ip').strideBands(T0 + 10, 10, flow(req('192.0.2.1')))).toEqual([{ lo: 100, hi: 100 }]);
  });
});
