import { describe, expect, it } from 'vitest';
import {
  arrivalsBetween,
  constantUntil,
  profileDuration,
  rateAt,
  scenarioDuration,
} from '../../src/scenario/profile.ts';
import { randomUnit } from '../../src/scenario/shapes/random.ts';
import type { Scenario, Segment } from '../../src/scenario/types.ts';

/** Midpoint rule with many points: the reference the closed forms are checked against. */
function numericIntegral(segments: Segment[], t0: number, t1: number, n = 200_000): number {
  const h = (t1 - t0) / n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rateAt(segments, t0 + (i + 0.5) * h);
  return sum * h;
}

const SHAPES: Record<string, Segment[]> = {
  constant: [{ kind: 'constant', duration: 600, rate: 123.5 }],
  ramp: [{ kind: 'ramp', duration: 600, from: 10, to: 5000 }],
  'falling ramp': [{ kind: 'ramp', duration: 300, from: 800, to: 0 }],
  exponential: [{ kind: 'exponential', duration: 3600, start: 10, factor: 2, every: 360 }],
  'decaying exponential': [{ kind: 'exponential', duration: 1800, start: 4000, factor: 0.5, every: 300 }],
  'exponential with a factor near 1': [{ kind: 'exponential', duration: 3600, start: 100, factor: 1.000001, every: 1 }],
  pulse: [{ kind: 'pulse', duration: 3600, high: 5000, low: 20, on: 60, off: 240 }],
  'pulse with a partial last cycle': [{ kind: 'pulse', duration: 1000, high: 2000, low: 0, on: 30, off: 900 }],
  random: [{ kind: 'random', duration: 3600, min: 0, max: 4000, every: 30, seed: 42 }],
  'random with a partial last step': [{ kind: 'random', duration: 100, min: 5, max: 10, every: 7, seed: 3 }],
  diurnal: [{ kind: 'diurnal', duration: 86400, mean: 20, amplitude: 10, period: 86400 }],
  'short diurnal': [{ kind: 'diurnal', duration: 3600, mean: 20, amplitude: 20, period: 600 }],
  'mixed profile': [
    { kind: 'constant', duration: 300, rate: 0 },
    { kind: 'ramp', duration: 60, from: 0, to: 5000 },
    { kind: 'pulse', duration: 600, high: 5000, low: 100, on: 45, off: 75 },
    { kind: 'random', duration: 600, min: 100, max: 300, every: 10, seed: 9 },
    { kind: 'exponential', duration: 300, start: 50, factor: 3, every: 100 },
    { kind: 'diurnal', duration: 900, mean: 30, amplitude: 30, period: 400 },
  ],
};

describe('arrivalsBetween is the exact integral of rateAt', () => {
  for (const [name, segments] of Object.entries(SHAPES)) {
    it(`${name}: the whole profile matches numeric integration`, () => {
      const total = profileDuration(segments);
      const exact = arrivalsBetween(segments, 0, total);
      expect(exact).toBeGreaterThan(0);
      expect(Math.abs(exact - numericIntegral(segments, 0, total)) / exact).toBeLessThan(2e-3);
    });

    it(`${name}: odd sub-intervals match numeric integration and add up`, () => {
      const total = profileDuration(segments);
      const cuts = [0, total * 0.137, total * 0.5003, total * 0.77, total];
      let sum = 0;
      for (let i = 0; i + 1 < cuts.length; i++) {
        const part = arrivalsBetween(segments, cuts[i], cuts[i + 1]);
        const reference = numericIntegral(segments, cuts[i], cuts[i + 1], 50_000);
        expect(Math.abs(part - reference)).toBeLessThanOrEqual(Math.max(1e-6, Math.abs(reference) * 5e-3));
        sum += part;
      }
      expect(sum).toBeCloseTo(arrivalsBetween(segments, 0, total), 6);
    });
  }

  it('a constant 5,000 rps for 54 minutes is 16,200,000 requests', () => {
    expect(arrivalsBetween([{ kind: 'constant', duration: 3240, rate: 5000 }], 0, 3240)).toBe(16_200_000);
  });

  it('a ramp 0→5,000 over 1 minute is 150,000 requests', () => {
    expect(arrivalsBetween([{ kind: 'ramp', duration: 60, from: 0, to: 5000 }], 0, 60)).toBeCloseTo(150_000, 9);
  });

  it('a doubling exponential integrates to start·every/ln 2·(2^n − 1)', () => {
    const seg: Segment = { kind: 'exponential', duration: 3600, start: 10, factor: 2, every: 360 };
    const expected = ((10 * 360) / Math.LN2) * (2 ** 10 - 1);
    expect(arrivalsBetween([seg], 0, 3600)).toBeCloseTo(expected, 6);
  });

  it('a pulse counts whole cycles exactly: 12 × (5,000 × 60 + 20 × 240)', () => {
    expect(arrivalsBetween(SHAPES.pulse, 0, 3600)).toBeCloseTo(12 * (5000 * 60 + 20 * 240), 6);
  });

  it('a diurnal segment over whole periods averages to its mean', () => {
    expect(arrivalsBetween(SHAPES['short diurnal'], 0, 3600)).toBeCloseTo(20 * 3600, 6);
  });

  it('a random segment is the sum of its steps', () => {
    const seg = SHAPES.random[0] as Extract<Segment, { kind: 'random' }>;
    let sum = 0;
    for (let k = 0; k < 120; k++) sum += rateAt(SHAPES.random, k * 30 + 15) * 30;
    expect(arrivalsBetween([seg], 0, 3600)).toBeCloseTo(sum, 6);
  });

  it('long random stretches (summed through block tables) equal step-by-step sums', () => {
    const seg: Segment = { kind: 'random', duration: 1_000_000, min: 0, max: 1, every: 1, seed: 7 };
    let direct = 0;
    for (let k = 1234; k < 987_654; k++) direct += rateAt([seg], k + 0.5);
    expect(arrivalsBetween([seg], 1234, 987_654)).toBeCloseTo(direct, 4);
    expect(arrivalsBetween([seg], 1234.25, 987_654.75)).toBeCloseTo(
      direct - 0.25 * rateAt([seg], 1234.5) + 0.75 * rateAt([seg], 987_654.5),
      4,
    );
  });

  it('nothing arrives before 0 or after the last segment, and reversed bounds give the negative', () => {
    const s = SHAPES.constant;
    expect(arrivalsBetween(s, -100, 0)).toBe(0);
    expect(arrivalsBetween(s, 600, 10_000)).toBe(0);
    expect(arrivalsBetween(s, -100, 10_000)).toBeCloseTo(123.5 * 600, 9);
    expect(arrivalsBetween(s, 200, 100)).toBeCloseTo(-123.5 * 100, 9);
  });
});

describe('rateAt', () => {
  it('segments run one after another and cover [start, end)', () => {
    const s: Segment[] = [
      { kind: 'constant', duration: 300, rate: 0 },
      { kind: 'ramp', duration: 60, from: 0, to: 5000 },
      { kind: 'constant', duration: 3240, rate: 5000 },
    ];
    expect(rateAt(s, 299.999)).toBe(0);
    expect(rateAt(s, 300)).toBe(0);
    expect(rateAt(s, 330)).toBe(2500);
    expect(rateAt(s, 360)).toBe(5000);
    expect(rateAt(s, 3599.9)).toBe(5000);
    expect(rateAt(s, 3600)).toBe(0);
    expect(rateAt(s, -1)).toBe(0);
  });

  it('a pulse starts with its high phase', () => {
    const s = SHAPES.pulse;
    expect(rateAt(s, 0)).toBe(5000);
    expect(rateAt(s, 59.9)).toBe(5000);
    expect(rateAt(s, 60)).toBe(20);
    expect(rateAt(s, 299.9)).toBe(20);
    expect(rateAt(s, 300)).toBe(5000);
  });

  it('a diurnal segment starts at its mean and peaks a quarter period in', () => {
    const s = SHAPES.diurnal;
    expect(rateAt(s, 0)).toBeCloseTo(20, 9);
    expect(rateAt(s, 21600)).toBeCloseTo(30, 9);
    expect(rateAt(s, 64800)).toBeCloseTo(10, 9);
  });

  it('random steps are a pure function of (seed, step) and stay within [min, max]', () => {
    const s = SHAPES.random;
    const first = Array.from({ length: 120 }, (_, k) => rateAt(s, k * 30 + 1));
    const again = Array.from({ length: 120 }, (_, k) => rateAt(s, k * 30 + 29));
    expect(again).toEqual(first);
    for (const r of first) {
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(4000);
    }
    expect(new Set(first).size).toBeGreaterThan(100);
    // step 77 needs no knowledge of steps 0..76
    expect(rateAt(s, 77 * 30 + 3)).toBe(4000 * randomUnit(42, 77));
    const otherSeed: Segment[] = [{ ...(s[0] as Extract<Segment, { kind: 'random' }>), seed: 43 }];
    expect(rateAt(otherSeed, 1)).not.toBe(rateAt(s, 1));
  });

  it('randomUnit reproduces the mulberry32 sequence', () => {
    // mulberry32 as usually written: state advances by 0x6D2B79F5 per draw
    let a = 42;
    const next = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (let k = 0; k < 50; k++) expect(randomUnit(42, k)).toBe(next());
  });
});

describe('profileDuration and scenarioDuration', () => {
  it('a profile lasts the sum of its segments; a scenario its longest cohort', () => {
    expect(profileDuration(SHAPES['mixed profile'])).toBe(300 + 60 + 600 + 600 + 300 + 900);
    const request = { method: 'GET', path: '/', bodyBytes: 0 };
    const scenario: Scenario = {
      name: 's',
      description: '',
      request,
      cohorts: [
        { name: 'a', role: 'legit', clients: 1, apiKey: 'none', requests: [{ ...request, weight: 1 }], rate: SHAPES.constant },
        { name: 'b', role: 'attack', clients: 1, apiKey: 'none', requests: [{ ...request, weight: 1 }], rate: SHAPES.pulse },
      ],
    };
    expect(scenarioDuration(scenario)).toBe(3600);
  });
});

describe('constantUntil', () => {
  it('a constant segment is constant to its end', () => {
    expect(constantUntil(SHAPES.constant, 17)).toBe(600);
  });

  it('neighbouring segments at the same rate merge into one stretch', () => {
    const s: Segment[] = [
      { kind: 'constant', duration: 10, rate: 5 },
      { kind: 'ramp', duration: 20, from: 5, to: 5 },
      { kind: 'constant', duration: 5, rate: 5 },
      { kind: 'constant', duration: 5, rate: 6 },
    ];
    expect(constantUntil(s, 3)).toBe(35);
    expect(constantUntil(s, 35)).toBe(40);
  });

  it('a changing rate answers t itself', () => {
    expect(constantUntil(SHAPES.ramp, 100)).toBe(100);
    expect(constantUntil(SHAPES.exponential, 100)).toBe(100);
    expect(constantUntil(SHAPES.diurnal, 100)).toBe(100);
  });

  it('flat versions of changing shapes are constant', () => {
    expect(constantUntil([{ kind: 'exponential', duration: 50, start: 3, factor: 1, every: 5 }], 1)).toBe(50);
    expect(constantUntil([{ kind: 'diurnal', duration: 50, mean: 3, amplitude: 0, period: 10 }], 1)).toBe(50);
    expect(constantUntil([{ kind: 'random', duration: 50, min: 4, max: 4, every: 5, seed: 1 }], 1)).toBe(50);
    expect(constantUntil([{ kind: 'pulse', duration: 50, high: 4, low: 4, on: 5, off: 5 }], 1)).toBe(50);
  });

  it('a pulse is constant to the end of its current phase', () => {
    const s = SHAPES.pulse; // on 60, off 240
    expect(constantUntil(s, 0)).toBe(60);
    expect(constantUntil(s, 59)).toBe(60);
    expect(constantUntil(s, 60)).toBe(300);
    expect(constantUntil(s, 300)).toBe(360);
    expect(constantUntil(s, 3500)).toBe(3600);
  });

  it('a random segment is constant to the end of its current step', () => {
    expect(constantUntil(SHAPES.random, 0)).toBe(30);
    expect(constantUntil(SHAPES.random, 31)).toBe(60);
    expect(constantUntil(SHAPES['random with a partial last step'], 99)).toBe(100);
  });

  it('after the last segment the rate is 0 forever; a trailing 0 merges into it', () => {
    expect(constantUntil(SHAPES.constant, 600)).toBe(Infinity);
    expect(constantUntil(SHAPES.constant, 1e9)).toBe(Infinity);
    const trailing: Segment[] = [
      { kind: 'constant', duration: 10, rate: 5 },
      { kind: 'constant', duration: 10, rate: 0 },
    ];
    expect(constantUntil(trailing, 12)).toBe(Infinity);
  });

  it('before 0 the rate is 0 until the profile starts (or longer if it starts at 0)', () => {
    expect(constantUntil(SHAPES.constant, -5)).toBe(0);
    expect(constantUntil(SHAPES['mixed profile'], -5)).toBe(300);
  });

  it('over every stretch it reports, the rate really is constant', () => {
    for (const [, segments] of Object.entries(SHAPES)) {
      const total = profileDuration(segments);
      for (let i = 0; i < 200; i++) {
        const t = (total * (i + 0.37)) / 200;
        const end = constantUntil(segments, t);
        expect(end).toBeGreaterThanOrEqual(t);
        if (end === t) continue;
        const stop = Math.min(end, total + 10);
        const r = rateAt(segments, t);
        for (let j = 1; j < 10; j++) expect(rateAt(segments, t + ((stop - t) * j) / 10)).toBe(r);
        expect(arrivalsBetween(segments, t, stop)).toBeCloseTo(r * (stop - t), 6);
      }
    }
  });

  it('a simulator jumping from stretch to stretch never stalls on a boundary and counts exactly', () => {
    const awkward: Segment[][] = [
      [{ kind: 'pulse', duration: 100, high: 5, low: 1, on: 0.1, off: 0.2 }],
      [{ kind: 'random', duration: 100, min: 0, max: 9, every: 0.1, seed: 3 }],
      [
        { kind: 'constant', duration: 0.1, rate: 1 },
        { kind: 'constant', duration: 0.2, rate: 2 },
        { kind: 'pulse', duration: 10.7, high: 3, low: 0, on: 0.3, off: 0.7 },
        { kind: 'random', duration: 33.3, min: 1, max: 2, every: 1.1, seed: 5 },
      ],
    ];
    for (const segments of awkward) {
      let t = 0;
      let sum = 0;
      let stalls = 0;
      while (t < 200) {
        const end = Math.min(constantUntil(segments, t), 200);
        if (end === t) {
          stalls++;
          break;
        }
        sum += rateAt(segments, t) * (end - t);
        t = end;
      }
      expect(stalls).toBe(0);
      expect(sum).toBeCloseTo(arrivalsBetween(segments, 0, 200), 9);
    }
  });
});
