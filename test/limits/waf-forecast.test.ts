import { describe, expect, it } from 'vitest';
import { WafRateRule } from '../../src/limits/waf-rate-rule.ts';
import { rngFor } from '../scenario/fuzz-inputs.ts';

// The steady forecast lets the simulator fast-forward a WAF key that keeps sending the same count
// each second: `steadyUntil` says until which second its verdict cannot change. It may stop early
// (a sum within a part in 10⁹ of the limit counts as "may change"), never late: these tests send
// the same count second by second after asking, and the verdict must hold until then.

describe('WAF rule: the steady forecast never promises too much', () => {
  it('after seeded histories (bursts, pauses, ramps), a key keeping its last count keeps its verdict until the forecast', () => {
    let finite = 0;
    let forGood = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rng = rngFor(seed);
      const pick = <T,>(xs: T[]): T => xs[Math.floor(rng() * xs.length)];
      const opts = { limit: pick([10, 100, 250]), windowSeconds: pick([5, 30, 60]), delaySeconds: pick([0, 1, 7, 30]) };
      const r = new WafRateRule(opts);
      const perSecond = opts.limit / opts.windowSeconds; // the rate that fills a window to the limit
      let s = 0;
      const history = Math.floor(rng() * 3 * (opts.windowSeconds + opts.delaySeconds));
      for (; s < history; s++) {
        const x = rng();
        const n = x < 0.2 ? 0 : x < 0.3 ? perSecond * 8 : perSecond * rng() * 2;
        if (n > 0) r.take(s + 1, n, 1, 'k');
        else r.silent(s + 1, 1, 'k');
      }
      // then steady: a count around the filling rate (a window of W or W − 1 such seconds lands just
      // either side of the limit), twice so that the key's last second holds it
      const W = opts.windowSeconds;
      const v = pick([perSecond * 0.3, perSecond * 0.9, perSecond, perSecond * 1.2, perSecond * 3, (opts.limit / (W - 1)) * 0.999, (opts.limit / (W - 1)) * 1.001, (opts.limit / W) * 1.001]);
      let blocked = r.take(s + 1, v, 1, 'k') === 0;
      s++;
      blocked = r.take(s + 1, v, 1, 'k') === 0;
      s++;
      const until = r.steadyUntil();
      if (until === -Infinity) continue; // no promise made
      if (until === Infinity) forGood++;
      else finite++;
      // second s is judged by the take ending at s + 1; every second before `until` keeps the verdict
      const end = Math.min(until, s + 4 * (opts.windowSeconds + opts.delaySeconds + 2));
      for (; s < end; s++) {
        const passed = r.take(s + 1, v, 1, 'k');
        expect(passed === 0, `seed ${seed}, ${JSON.stringify(opts)}, v ${v}: second ${s} before the forecast ${until}`).toBe(blocked);
      }
    }
    // the histories reach both kinds of promise
    expect(finite).toBeGreaterThan(5);
    expect(forGood).toBeGreaterThan(5);
  });
});
