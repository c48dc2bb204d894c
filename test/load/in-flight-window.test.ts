import { describe, expect, it } from 'vitest';
import { InFlightWindow, type WindowSample } from '../../src/load/in-flight-window.ts';

const at = (nowMs: number, more: Partial<WindowSample>): WindowSample => ({ nowMs, due: 0, sent: 0, ended: 0, inFlight: 0, minLatencyMs: Infinity, ...more });

/** Grows the window as far as one span allows; answers how many grows succeeded. */
function growAll(w: InFlightWindow): number {
  let n = 0;
  while (w.grow(w.limit)) n++;
  return n;
}

describe('InFlightWindow', () => {
  it('starts where the caller’s Little’s-law estimate says, within [16, cap]', () => {
    expect(new InFlightWindow(2000, 300).limit).toBe(300);
    expect(new InFlightWindow(2000, 3).limit).toBe(16);
    expect(new InFlightWindow(10, 3).limit).toBe(10);
    expect(new InFlightWindow(100, 500).limit).toBe(100);
  });

  it('has room below its bound, and grows on demand by at most a quarter (or 16) per span', () => {
    const w = new InFlightWindow(2000, 64);
    expect(w.grow(10)).toBe(true);
    expect(w.limit).toBe(64);
    // 64 × 1.25 = 80: sixteen more
    expect(growAll(w)).toBe(16);
    expect(w.limit).toBe(80);
    // a new span (600 ms, every request in flight at its start ended) in which demand went unmet
    // (1,200 due, 600 answered) allows 80 × 1.25 = 100
    w.tick(at(0, { inFlight: 80 }));
    w.tick(at(600, { due: 1_200, sent: 680, ended: 600, inFlight: 80, minLatencyMs: 1 }));
    expect(growAll(w)).toBe(20);
    expect(w.limit).toBe(100);
  });

  it('stops growth that brings no more answers while demand goes unmet, two spans running: back to Little’s law with what was measured', () => {
    const w = new InFlightWindow(2000, 64);
    // Span 1 (0–600 ms): 20,000/s due, 10,000/s answered, in flight 64 → 100, best latency 3 ms.
    w.tick(at(0, { inFlight: 64 }));
    w.tick(at(600, { due: 12_000, sent: 6_100, ended: 6_000, inFlight: 100, minLatencyMs: 3 }));
    expect(w.saturations).toBe(0); // nothing to compare with yet
    // Span 2 (600–1200 ms): still 10,000/s answered while in flight went 100 → 150 (×1.5, not ×1.1
    // more answers), requests waiting at the bound (grow is asked).
    w.grow(w.limit);
    w.tick(at(1200, { due: 24_000, sent: 12_150, ended: 12_000, inFlight: 150, minLatencyMs: 4 }));
    expect(w.saturations).toBe(0); // one such span may be a stall of the driver's own machine
    // Span 3 (1200–1800 ms): the same again, in flight 150 → 200.
    w.grow(w.limit);
    w.tick(at(1800, { due: 36_000, sent: 18_200, ended: 18_000, inFlight: 200, minLatencyMs: 4 }));
    expect(w.saturations).toBe(1);
    // 2 × 10,000/s × 3 ms = 60 in flight (above the floor of 48)
    expect(w.limit).toBe(60);
    expect(w.grow(60)).toBe(false);
    // held for 2 s, then probed: 60 + 16 = 76 (more than 60 × 1.25 = 75)
    w.tick(at(2600, { due: 52_000, sent: 26_000, ended: 25_980, inFlight: 20, minLatencyMs: 3 }));
    expect(w.grow(60)).toBe(false);
    w.tick(at(3900, { due: 78_000, sent: 39_000, ended: 38_980, inFlight: 20, minLatencyMs: 3 }));
    expect(growAll(w)).toBe(16); // the span allows 60 + 16 = 76, the probed ceiling too
    expect(w.limit).toBe(76);
  });

  it('lets latency grow freely while the answers keep up with demand (slower target, not a saturated one)', () => {
    const w = new InFlightWindow(2000, 64);
    w.tick(at(0, { inFlight: 64 }));
    w.tick(at(600, { due: 6_000, sent: 6_000, ended: 5_950, inFlight: 100, minLatencyMs: 5 }));
    // 10,000/s due and 10,000/s answered, in flight 100 → 200: the target is keeping up
    w.tick(at(1200, { due: 12_000, sent: 12_000, ended: 11_950, inFlight: 200, minLatencyMs: 5 }));
    expect(w.saturations).toBe(0);
    expect(w.limit).toBe(64);
  });

  it('waits out slow first answers (cold starts): no judgement until what was in flight at a span’s start has ended', () => {
    const w = new InFlightWindow(2000, 400);
    w.tick(at(0, { due: 0, sent: 0, inFlight: 0 }));
    w.tick(at(600, { due: 600, sent: 400, ended: 0, inFlight: 400 })); // span 1 ends: nothing was in flight at 0
    // 1,000/s due, nothing answered for 1.4 s, in flight at the bound: a span cannot end before its 400 have
    for (const t of [800, 1000, 1400, 2000]) w.tick(at(t, { due: t, sent: 400, ended: 0, inFlight: 400 }));
    expect(w.saturations).toBe(0);
    expect(w.limit).toBe(400);
  });
});

describe('InFlightWindow growth while the target keeps up', () => {
  it('doubles once a span showed every due request answered, up to what Little’s law says the demand needs: a slower target just needs more in flight', () => {
    const w = new InFlightWindow(300, 64);
    w.tick(at(0, { inFlight: 64 }));
    // 1,000/s due, 1,000/s answered, best latency 50 ms: needed = 4 × 1,000/s × 50 ms + 16 = 216
    w.tick(at(600, { due: 600, sent: 600, ended: 600, inFlight: 64, minLatencyMs: 50 }));
    // twice the span's 64 = 128 (more than a quarter up, 80), not the cap of 300
    expect(growAll(w)).toBe(64);
    expect(w.limit).toBe(128);
    // another span that kept up: min(twice 128, 216) = 216
    w.tick(at(1200, { due: 1200, sent: 1200, ended: 1190, inFlight: 128, minLatencyMs: 50 }));
    expect(growAll(w)).toBe(88);
    expect(w.limit).toBe(216);
    // and no further while the demand is met: 216 is what it needs
    w.tick(at(1800, { due: 1800, sent: 1800, ended: 1790, inFlight: 200, minLatencyMs: 50 }));
    expect(growAll(w)).toBe(0);
  });

  it('does not grow after a span that kept up when Little’s law says the bound is ample (a hiccup of a fast target)', () => {
    const w = new InFlightWindow(2000, 64);
    w.tick(at(0, { inFlight: 5 }));
    // 20,000/s due and answered, best latency 0.1 ms: needed = 4 × 20,000/s × 0.1 ms + 16 = 24 < 64
    w.tick(at(600, { due: 12_000, sent: 12_000, ended: 11_995, inFlight: 5, minLatencyMs: 0.1 }));
    expect(growAll(w)).toBe(0);
    expect(w.limit).toBe(64);
  });

  it('is not free after a span that answered 91 % but held requests back: a saturated target on a good stretch', () => {
    const w = new InFlightWindow(2000, 100);
    w.tick(at(0, { inFlight: 100 }));
    // 50,000/s due (30,000 in 600 ms), 27,400 sent (91 %, under the 98 % that counts as kept up),
    // 27,300 answered (45,500/s: 91 %, demand not "unmet" at 90 %)
    w.tick(at(600, { due: 30_000, sent: 27_400, ended: 27_300, inFlight: 100, minLatencyMs: 0.2 }));
    // growth as when unmet: max(100 × 1.25, 100 + 16) = 125, not the cap of 2,000
    expect(growAll(w)).toBe(25);
    expect(w.limit).toBe(125);
  });
});

describe('InFlightWindow after a jump (a hiccup of the target right after a span that kept up)', () => {
  /**
   * Span 1 (0–600 ms) keeps up (10,000/s due and answered, 10 in flight); in span 2 all of the
   * bound of 200 fills at once and stays full while the target answers 10,000/s of 20,000/s due.
   */
  function jumped(minLatencyMs: number): InFlightWindow {
    const w = new InFlightWindow(2000, 200);
    w.tick(at(0, { inFlight: 10 }));
    w.tick(at(600, { due: 6_000, sent: 6_000, ended: 5_990, inFlight: 10, minLatencyMs }));
    // span 2: 12,000 due, 6,000 answered, all 200 in flight at once (grew 10 → 200: suspect once)
    w.grow(200);
    w.tick(at(1200, { due: 18_000, sent: 12_190, ended: 11_990, inFlight: 200, minLatencyMs }));
    expect(w.saturations).toBe(0);
    // span 3: the same answers, still 200 in flight, requests waiting at the bound (one more
    // allowed: 201, a quarter above 200 being the span's most): no growth over the span any more
    expect(w.grow(200)).toBe(true);
    w.tick(at(1800, { due: 30_000, sent: 18_190, ended: 17_990, inFlight: 200, minLatencyMs }));
    return w;
  }

  it('is found saturated when what is in flight is queueing: back to Little’s law', () => {
    // best latency 0.1 ms: the answers need 10,000/s × 0.1 ms = 1 in flight; 200 > 4 × 1 + 16 = 20
    const w = jumped(0.1);
    expect(w.saturations).toBe(1);
    // 2 × 10,000/s × 0.1 ms = 2, raised to the saturated floor of 48 (the 201 of span 3 lowered)
    expect(w.limit).toBe(48);
  });

  it('keeps the bound when the latency seen explains what is in flight (a slow target, not a queue)', () => {
    // best latency 20 ms: 4 × 10,000/s × 20 ms + 16 = 816 ≥ 200
    const w = jumped(20);
    expect(w.saturations).toBe(0);
    expect(w.limit).toBe(201);
  });
});

describe('InFlightWindow evidence of saturation', () => {
  it('is kept across a span that met demand at the bound, and cleared by one in which the bound held nothing back', () => {
    // best latency 0.1 ms; 20,000/s due; the target answers 10,000/s when behind, 19,000/s on a good stretch
    const w = new InFlightWindow(2000, 100);
    w.tick(at(0, { inFlight: 100 }));
    // span 1: unmet (6,000 of 12,000), but no request waited for the bound: no evidence
    w.tick(at(600, { due: 12_000, sent: 6_100, ended: 6_000, inFlight: 100, minLatencyMs: 0.1 }));
    w.grow(w.limit);
    // span 2: unmet and not helped (6,000 again): suspect once
    w.tick(at(1200, { due: 24_000, sent: 12_100, ended: 12_000, inFlight: 100, minLatencyMs: 0.1 }));
    w.grow(w.limit);
    // span 3: 11,400 answered of 12,000 due (95 %: met), at the bound: says nothing
    w.tick(at(1800, { due: 36_000, sent: 23_500, ended: 23_400, inFlight: 100, minLatencyMs: 0.1 }));
    expect(w.saturations).toBe(0);
    w.grow(w.limit);
    // span 4: unmet and not helped (6,000 < 1.1 × 11,400): suspect twice → saturated
    w.tick(at(2400, { due: 48_000, sent: 29_500, ended: 29_400, inFlight: 100, minLatencyMs: 0.1 }));
    expect(w.saturations).toBe(1);
    // 2 × 10,000/s × 0.1 ms = 2 → the saturated floor of 48
    expect(w.limit).toBe(48);
  });

  it('is cleared by a span in which the bound was never reached', () => {
    const w = new InFlightWindow(2000, 100);
    w.tick(at(0, { inFlight: 100 }));
    w.tick(at(600, { due: 12_000, sent: 6_100, ended: 6_000, inFlight: 100, minLatencyMs: 0.1 }));
    w.grow(w.limit);
    w.tick(at(1200, { due: 24_000, sent: 12_100, ended: 12_000, inFlight: 100, minLatencyMs: 0.1 }));
    // span 3: the same counts, but no request ever waited for the bound (no grow asked)
    w.tick(at(1800, { due: 36_000, sent: 18_100, ended: 18_000, inFlight: 100, minLatencyMs: 0.1 }));
    w.grow(w.limit);
    // span 4: suspect once again, not twice
    w.tick(at(2400, { due: 48_000, sent: 24_100, ended: 24_000, inFlight: 100, minLatencyMs: 0.1 }));
    expect(w.saturations).toBe(0);
  });
});

describe('InFlightWindow, the first span judged', () => {
  it('counts as evidence when what it had in flight was queueing (no earlier rate to compare with): saturated a span sooner', () => {
    const w = new InFlightWindow(2000, 64);
    w.tick(at(0, { inFlight: 0 }));
    w.grow(w.limit); // 65: requests wait at the bound
    // span 1: 20,000/s due, 10,000/s answered, 65 in flight > 4 × 10,000/s × 0.1 ms + 16 = 20: queueing
    w.tick(at(600, { due: 12_000, sent: 6_065, ended: 6_000, inFlight: 65, minLatencyMs: 0.1 }));
    expect(w.saturations).toBe(0);
    w.grow(w.limit);
    // span 2: the same (not a tenth above span 1's 10,000/s): twice → saturated at 1.2 s
    w.tick(at(1200, { due: 24_000, sent: 12_066, ended: 12_000, inFlight: 66, minLatencyMs: 0.1 }));
    expect(w.saturations).toBe(1);
    // 2 × 10,000/s × 0.1 ms = 2 → the saturated floor of 48
    expect(w.limit).toBe(48);
  });

  it('is not evidence when what it had in flight is what the answers need (a slow target)', () => {
    const w = new InFlightWindow(2000, 64);
    w.tick(at(0, { inFlight: 0 }));
    w.grow(w.limit);
    // best latency 20 ms: 4 × 1,000/s × 20 ms + 16 = 96 ≥ 65 in flight
    w.tick(at(600, { due: 1_200, sent: 665, ended: 600, inFlight: 65, minLatencyMs: 20 }));
    w.grow(w.limit);
    // span 2 answers no more, but the first span was no evidence: once only
    w.tick(at(1200, { due: 2_400, sent: 1_266, ended: 1_200, inFlight: 66, minLatencyMs: 20 }));
    expect(w.saturations).toBe(0);
  });
});

describe('InFlightWindow evidence and a slow target', () => {
  it('is cleared by a span that met demand at the bound with what the answers need in flight', () => {
    // best latency 20 ms, 1,000/s due: in flight ≤ 4 × rate × 20 ms + 16 is not a queue
    const w = new InFlightWindow(2000, 64);
    w.tick(at(0, { inFlight: 10 }));
    w.grow(w.limit);
    // span 1: unmet (300 of 600), in flight 10 → 65 (grew), 65 > 4 × 500/s × 20 ms + 16 = 56 (a
    // queue, so the first span is not "helped") → suspect once
    w.tick(at(600, { due: 600, sent: 365, ended: 300, inFlight: 65, minLatencyMs: 20 }));
    w.grow(w.limit);
    // span 2: met (588 of 600 = 98 %), 66 in flight ≤ 4 × 980/s × 20 ms + 16 = 94.4: not a queue → cleared
    w.tick(at(1200, { due: 1_200, sent: 954, ended: 888, inFlight: 66, minLatencyMs: 20 }));
    w.grow(w.limit);
    // span 3: unmet again, in flight 66 → 90 (grew: ≥ 1.2 × 66 = 79.2 and +24), 500/s < 1.1 × 980/s:
    // suspect once, not twice
    w.tick(at(1800, { due: 1_800, sent: 1_278, ended: 1_188, inFlight: 90, minLatencyMs: 20 }));
    expect(w.saturations).toBe(0);
  });
});
