import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { timelineTotals } from '../../src/model/timeline.ts';
import { call, closeAll, emulate, manualClock, stackFrom } from './support.ts';

afterEach(closeAll);

// AWS WAF: a rate rule keyed on IP counts the address the request came from; one keyed on
// FORWARDED_IP counts "the first IP address" of the configured header (X-Forwarded-For), and
// "if the specified header isn't present in the request, AWS WAF doesn't apply the rule"
// (WAF API reference: ForwardedIPConfig, RateLimitForwardedIP). Locally every TCP peer is
// 127.0.0.1, so the load driver sends the client's own address as the LAST hop (where API
// Gateway appends the address it saw) and the emulator reads the source from there.
const wafStack = (key: 'ip' | 'forwarded-ip') =>
  stackFrom(`name: waf-${key}
api: { kind: rest }
waf: { rateLimit: { limit: 10, window: 1m, key: ${key}, delay: 0s } }
lambda: { memoryMb: 128, duration: 1ms, initDuration: 0ms }
`);

const CLIENT = '203.0.113.7';
/** A forged first hop per request (any distinct strings will do: the rule only compares them). */
const forged = (i: number) => `2001:db8:ffff::${(i + 1).toString(16)}`;

/** `count` requests 0.5 s apart on a manual clock (all inside one 60 s window); their statuses. */
async function send(key: 'ip' | 'forwarded-ip', count: number, header: (i: number) => string | undefined): Promise<{ statuses: number[]; wafBlocked: number }> {
  const clock = manualClock(1_800_000_000);
  const e = await emulate({ stack: wafStack(key), clock: clock.now });
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const xff = header(i);
    statuses.push((await call(e.apiUrl, '/items', xff === undefined ? {} : { headers: { 'x-forwarded-for': xff } })).status);
    clock.advance(0.5);
  }
  return { statuses, wafBlocked: e.totals().wafBlocked };
}

const count200 = (s: number[]) => s.filter((x) => x === 200).length;

describe('emulator: waf.rateLimit.key', () => {
  // limit 10 per 60 s, no delay: request i (0-based) sees the i requests before it in the window;
  // it passes while i ≤ 10 (AWS blocks only OVER the limit) → 11 pass, 30 − 11 = 19 are blocked.
  it('ip: a forged first hop changes nothing — the source (last hop) is counted: 11 pass, 19 blocked', async () => {
    const r = await send('ip', 30, (i) => `${forged(i)}, ${CLIENT}`);
    expect(count200(r.statuses)).toBe(11);
    expect(r.statuses.slice(11).every((s) => s === 403)).toBe(true);
    expect(r.wafBlocked).toBe(19);
  });

  it('forwarded-ip: a fresh forged first hop per request is a new key every time: all 30 pass', async () => {
    const r = await send('forwarded-ip', 30, (i) => `${forged(i)}, ${CLIENT}`);
    expect(count200(r.statuses)).toBe(30);
    expect(r.wafBlocked).toBe(0);
  });

  it('forwarded-ip: the same first hop behind different proxies is one key: 11 pass, 19 blocked', async () => {
    const r = await send('forwarded-ip', 30, (i) => `${CLIENT}, 192.0.2.${(i % 5) + 1}`);
    expect(count200(r.statuses)).toBe(11);
    expect(r.wafBlocked).toBe(19);
  });

  it('forwarded-ip: without the header the rule does not apply (all 30 pass); ip: the socket address is counted', async () => {
    const fwd = await send('forwarded-ip', 30, () => undefined);
    expect(fwd.wafBlocked).toBe(0);
    const ip = await send('ip', 30, () => undefined);
    expect(count200(ip.statuses)).toBe(11);
    expect(ip.wafBlocked).toBe(19);
  });
});

describe('emulator and simulator agree on a forged X-Forwarded-For', () => {
  // One attacker at 2 rps for 60 s (120 requests) into the rule above.
  // Simulator (1 s ticks): tick k's verdict sees the 2(k − 1) requests of the ticks before it,
  // blocked once 2(k − 1) > 10, i.e. from tick 7: 6 × 2 = 12 pass, 108 blocked.
  // Emulator (requests 0.5 s apart): request i sees i → 11 pass, 109 blocked. One request apart:
  // the simulator spreads a tick's two requests evenly, the emulator sees them one by one.
  const scenario = (forge: boolean) =>
    parseScenario(`name: forged
description: one attacker
cohorts:
  - { name: bot, role: attack, clients: 1${forge ? ', forgeForwardedFor: true' : ''}, rate: [ { duration: 1m, rate: 2 } ] }
`);

  it.each([
    ['ip', true, 12, 11],
    ['ip', false, 12, 11],
    ['forwarded-ip', true, 120, 120],
    ['forwarded-ip', false, 12, 11],
  ] as const)('key %s, forging %s: simulated %i pass, emulated %i', async (key, forge, simulatedPass, emulatedPass) => {
    const sim = timelineTotals(simulate(scenario(forge), wafStack(key), { horizonSeconds: 60 }));
    expect(sim.offered).toBe(120);
    expect(sim.succeeded).toBeCloseTo(simulatedPass, 6);
    expect(sim.wafBlocked).toBeCloseTo(120 - simulatedPass, 6);
    // what the driver sends: "<forged>, <client>" when forging, "<client>" otherwise
    const emu = await send(key, 120, (i) => (forge ? `${forged(i)}, ${CLIENT}` : CLIENT));
    expect(count200(emu.statuses)).toBe(emulatedPass);
    expect(Math.abs(emulatedPass - simulatedPass)).toBeLessThanOrEqual(1);
  });
});
