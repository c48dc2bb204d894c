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
    // Span 1 (0–600 ms): 20,000/s due, 10,000/s answered, in flight 64 → 100, best latency 1 ms.
    w.tick(at(0, { inFlight: 64 }));
    w.tick(at(600, { due: 12_000, sent: 6_100, ended: 6_000, inFlight: 100, minLatencyMs: 1 }));
    expect(w.saturations).toBe(0); // nothing to compare with yet
    // Span 2 (600–1200 ms): still 10,000/s answered while in flight went 100 → 150 (×1.5, not ×1.1 more answers).
    w.tick(at(1200, { due: 24_000, sent: 12_150, ended: 12_000, inFlight: 150, minLatencyMs: 2 }));
    expect(w.saturations).toBe(0); // one such span may be a stall of the driver's own machine
    // Span 3 (1200–1800 ms): the same again, in flight 150 → 200.
    w.tick(at(1800, { due: 36_000, sent: 18_200, ended: 18_000, inFlight: 200, minLatencyMs: 2 }));
    expect(w.saturations).toBe(1);
    // 2 × 10,000/s × 1 ms = 20 in flight
    expect(w.limit).toBe(20);
    expect(w.grow(20)).toBe(false);
    // held for 2 s, then probed: 20 + 16 = 36 (more than 20 × 1.25)
    w.tick(at(2600, { due: 52_000, sent: 26_000, ended: 25_980, inFlight: 20, minLatencyMs: 1 }));
    expect(w.grow(20)).toBe(false);
    w.tick(at(3900, { due: 78_000, sent: 39_000, ended: 38_980, inFlight: 20, minLatencyMs: 1 }));
    expect(growAll(w)).toBe(16); // the span allows 20 + 16 = 36, the probed ceiling too
    expect(w.limit).toBe(36);
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
  it('is free (up to the cap) once a span showed every due request answered: a slower target just needs more in flight', () => {
    const w = new InFlightWindow(300, 64);
    w.tick(at(0, { inFlight: 64 }));
    // 1,000/s due, 1,000/s answered
    w.tick(at(600, { due: 600, sent: 600, ended: 600, inFlight: 64, minLatencyMs: 50 }));
    expect(growAll(w)).toBe(300 - 64);
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
