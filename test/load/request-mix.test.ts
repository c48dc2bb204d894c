import { describe, expect, it } from 'vitest';
import { RequestMix } from '../../src/load/request-mix.ts';

const mix = (weights: number[]) =>
  new RequestMix(weights.map((weight, i) => ({ method: 'GET', path: `/r${i}`, bodyBytes: i === 1 ? 3 : 0, weight })));

describe("a cohort's weighted request mix on the wire", () => {
  it('8:2 sends exactly 8 of every 10 to the first request, interleaved, never in a block of 10', () => {
    const m = mix([8, 2]);
    const picks = Array.from({ length: 100 }, () => m.next().path);
    for (let i = 0; i < 100; i += 10) expect(picks.slice(i, i + 10).filter((p) => p === '/r0')).toHaveLength(8);
    // smooth: the two /r1 of a cycle of 10 are apart
    const cycle = picks.slice(0, 10).join(' ');
    expect(cycle).not.toMatch(/\/r1 \/r1/);
  });

  it('stays within one request of weight / Σ × picks at every point, for weights that are not whole', () => {
    const w = [0.5, 1.25, 3];
    const m = mix(w);
    const counts = [0, 0, 0];
    for (let n = 1; n <= 1000; n++) {
      counts[Number(m.next().path.slice(2))]++;
      w.forEach((x, i) => expect(Math.abs(counts[i] - (x / 4.75) * n)).toBeLessThan(1 + 1e-9));
    }
  });

  it('keeps one body per request, sized as asked', () => {
    const m = mix([1, 1]);
    expect(m.hasBodies).toBe(true);
    expect(m.requests[0].body).toBeNull();
    expect(m.requests[1].body?.length).toBe(3);
  });
});
