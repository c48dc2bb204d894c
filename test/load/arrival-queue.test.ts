import { describe, expect, it } from 'vitest';
import { ArrivalQueue } from '../../src/load/arrival-queue.ts';
import { ArrivalSchedule } from '../../src/load/schedule.ts';

/** Queues arrivals due at each of `ats` (cohort = its index), the way the dispatcher does: fill the tail, then push. */
function queue(q: ArrivalQueue, ats: number[], from = 0): void {
  ats.forEach((at, i) => {
    const slot = q.tail();
    Object.assign(slot, { at, cohort: from + i, client: 0, epoch: 0 });
    q.push();
  });
}

const cohorts = (q: ArrivalQueue) => Array.from({ length: q.length }, (_v, i) => q.at(i).cohort);

describe('ArrivalQueue', () => {
  it('keeps arrivals oldest first across wrap-around and growth, reusing its records', () => {
    const q = new ArrivalQueue(4);
    queue(q, [0.1, 0.2, 0.3], 0); // cohorts 0 1 2
    q.shift();
    q.shift(); // 2 left
    queue(q, [0.4, 0.5, 0.6], 3); // wraps: 2 3 4 5 in a ring of 4
    expect(cohorts(q)).toEqual([2, 3, 4, 5]);
    queue(q, [0.7], 6); // full: grows to 8, order kept
    expect(cohorts(q)).toEqual([2, 3, 4, 5, 6]);
    expect(q.at(0).at).toBe(0.3);
    const first = q.at(0);
    q.shift();
    expect(cohorts(q)).toEqual([3, 4, 5, 6]);
    // the freed record comes back as a tail once the ring goes round (8 records: 4 queued + 3 more, then it)
    queue(q, [1, 2, 3], 7);
    expect(q.tail()).toBe(first);
  });

  it('answers the same tail record until it is pushed, whatever is taken from the front meanwhile', () => {
    const q = new ArrivalQueue(2);
    queue(q, [0.1], 0);
    const t = q.tail();
    q.shift();
    expect(q.tail()).toBe(t);
    q.clear();
    expect(q.length).toBe(0);
  });
});

describe('ArrivalSchedule.nextInto', () => {
  it('writes the same arrivals as next(), in place', () => {
    // 2 cohorts: 4 rps over 2 clients and 2 rps rotating every second; uniform arrivals at Λ = k − ½:
    // cohort 0 at 0.125, 0.375, 0.625, 0.875 (clients 0 1 0 1), cohort 1 at 0.25, 0.75
    const plan = [
      { segments: [{ kind: 'constant' as const, rate: 4, duration: 1 }], clients: 2 },
      { segments: [{ kind: 'constant' as const, rate: 2, duration: 1 }], clients: 1, rotate: 0.5 },
    ];
    const a = new ArrivalSchedule(plan, { durationSeconds: 1 });
    const out = { at: 0, cohort: 0, client: 0, epoch: 0 };
    const seen: string[] = [];
    while (a.nextInto(out)) seen.push(`${out.at}/${out.cohort}/${out.client}/${out.epoch}`);
    expect(seen).toEqual(['0.125/0/0/0', '0.25/1/0/0', '0.375/0/1/0', '0.625/0/0/0', '0.75/1/0/1', '0.875/0/1/0']);
    expect(a.taken).toBe(6);
    expect(a.coveredSeconds()).toBe(1);
  });
});
