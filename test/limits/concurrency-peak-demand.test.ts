import { describe, expect, it } from 'vitest';
import { ConcurrencyPool, limitAnswersAsBefore } from '../../src/limits/concurrency-pool.ts';
import { rngFor } from '../scenario/fuzz-inputs.ts';

// A fluid pool records the most environments any of its answers compared with its limit
// (peakDemand). tune reads it: a run that throttled nothing would have gone the same way under any
// tighter reservation still clear of that peak, so the tighter candidate need not be simulated.

const pool = (limit: number, scaling = 1000, idleTimeout = 600) => new ConcurrencyPool({ limit, scaling: { environments: scaling, perSeconds: 10 }, idleTimeout });

describe('concurrency pool: peak demand', () => {
  it('counts what a take needs, what it holds, and what a stride could need (hand count)', () => {
    const p = pool(100);
    // tick ending at 1: nothing alive; 100 invocations × 0.1 s need 10 new environments (INIT 0)
    expect(p.takeFluid(1, 100, 1, 0.1, 0)).toEqual({ passed: 100, coldStarts: 10 });
    expect(p.peakDemand).toBeCloseTo(10, 12);
    // tick ending at 2: the 10 serve 100 warm; 150 need 5 more (0 + 10 + 50 × 0.1 = 15 asked)
    expect(p.takeFluid(2, 150, 1, 0.1, 0)).toEqual({ passed: 150, coldStarts: 5 });
    expect(p.peakDemand).toBeCloseTo(15, 12);
    // a 10-s stride of at most 200/s: 15 alive + 200 × 0.1 if all new = 35 (coversStride's need);
    // the warm case needs 15 + (200 − 150) × 0.1 = 20: the stride holds under any limit ≥ 20
    expect(p.strideFits(12, 10, { lo: 190, hi: 200 }, 0.1, 0)).toBe(true);
    expect(p.peakDemand).toBeCloseTo(20, 12);
    // at most 100/s: the 15 kept environments serve 150/s warm, so the stride holds under any
    // limit (the all-new case's 15 + 10 = 25 is not needed)
    expect(p.strideFits(12, 10, { lo: 90, hi: 100 }, 0.1, 0)).toBe(true);
    expect(p.peakDemand).toBeCloseTo(20, 12);
    // a stride no limit can take (scaling: 1,000 + 100/s × 10 s < 3,000 × 0.1 new) notes nothing
    expect(p.strideFits(12, 10, { lo: 29_000, hi: 30_000 }, 0.1, 0)).toBe(false);
    expect(p.peakDemand).toBeCloseTo(20, 12);
  });

  it('a stride as its all-new worst case needs it, when the warm case cannot answer (hand count)', () => {
    // INIT 0.5 s + 0.8 s busy > 1 s: a stride holds only if the environments alive serve it warm,
    // and the limit must leave room for every invocation to be new. Idle timeout 10 s.
    const p = (limit: number) => new ConcurrencyPool({ limit, scaling: { environments: 1000, perSeconds: 10 }, idleTimeout: 10 });
    const run = (q: ConcurrencyPool) => {
      // tick ending at 1: 100 invocations, all new: 100 × min(1 s, 1.3 s) = 100 environments
      expect(q.takeFluid(1, 100, 1, 0.8, 0.5)).toEqual({ passed: 100, coldStarts: 100 });
      // tick ending at 2: 10 served warm (10 × 0.8 s = 8 held)
      expect(q.takeFluid(2, 10, 1, 0.8, 0.5)).toEqual({ passed: 10, coldStarts: 0 });
      // a stride over (5, 15] of at most 20/s: 100 alive before it serve 20 × 0.8 = 16 warm; if all
      // were new, 20 × 1.3 = 26 more: 126. None is kept through it (idle 10 s), so no warm case.
      return q.strideFits(15, 10, { lo: 19, hi: 20 }, 0.8, 0.5);
    };
    const q = p(1000);
    expect(run(q)).toBe(true);
    expect(q.peakDemand).toBeCloseTo(126, 9);
    expect(run(p(127))).toBe(true);
    expect(run(p(125))).toBe(false);
  });

  it('a limit clear of the peak answers every take and stride as the run did, scaling short or not; a limit under it mostly does not (seeded runs)', () => {
    let tighterDiffered = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rng = rngFor(seed);
      // invocations held from a fraction of a second to more than one with INIT (strides then only
      // in environments already warm)
      const busy = 0.05 + rng() * (seed % 3 === 0 ? 1.2 : 0.6);
      // a slow scaling rate in some runs: new environments then come short of what takes need
      const scaling = rng() < 0.3 ? 20 + Math.floor(rng() * 100) : 1000;
      // short idle timeouts in some: a busier past leaves the pool within a stride
      const idle = rng() < 0.5 ? 600 : 10 + Math.floor(rng() * 60);
      const init = rng() < 0.5 ? 0 : rng() * 0.8;
      const steps: { now: number; over: number; n: number; stride?: { lo: number; hi: number } }[] = [];
      let now = 0;
      for (let k = 0; k < 80; k++) {
        const over = rng() < 0.7 ? 1 : 2 + Math.floor(rng() * 60);
        now += over;
        const rate = rng() < 0.1 ? 0 : rng() * 400;
        steps.push({ now, over, n: rate * over, ...(rng() < 0.3 ? { stride: { lo: rate * 0.97, hi: rate * 1.03 } } : {}) });
      }
      const trace = (limit: number) => {
        const p = pool(limit, scaling, idle);
        const out: (number | boolean)[] = [];
        for (const s of steps) {
          if (s.stride) out.push(p.strideFits(s.now, s.over, s.stride, busy, init));
          const r = p.takeFluid(s.now, s.n, s.over, busy, init);
          out.push(r.passed, r.coldStarts, p.fluidUsed);
        }
        return { out, peak: p.peakDemand };
      };
      const loose = trace(10_000);
      const peak = loose.peak;
      expect(peak).toBeGreaterThan(0);
      // every limit clear of the peak, down to just above it: the same answers, to the last bit
      for (const limit of [Math.ceil(peak * 1.5), Math.ceil(peak) + 1, peak * (1 + 1e-6)]) {
        expect(limitAnswersAsBefore(limit, peak)).toBe(true);
        expect(trace(limit).out, `seed ${seed}, limit ${limit}, peak ${peak}`).toEqual(loose.out);
      }
      expect(limitAnswersAsBefore(peak, peak)).toBe(false);
      if (JSON.stringify(trace(peak * (1 - 1e-6)).out) !== JSON.stringify(loose.out)) tighterDiffered++;
    }
    // the peak is what some answer needed, not a loose bound: a limit just under it changes a
    // take or a stride in most runs (not all: environments still in INIT are counted conservatively)
    expect(tighterDiffered).toBeGreaterThan(45);
  });
});
