import type { Arrival } from './schedule.ts';

/**
 * The dispatcher's arrivals that are due but not sent yet, oldest first: a ring of Arrival records
 * that are filled in place (ArrivalSchedule.nextInto) and reused, so a flood of millions of
 * requests makes no object per request. It grows (doubling) to the most ever waiting at once —
 * bounded by the lateness tolerance times the rate — and never shrinks.
 */
export class ArrivalQueue {
  private slots: Arrival[] = [];
  private mask = -1;
  private head = 0;
  /** Arrivals queued. */
  length = 0;

  constructor(capacity = 256) {
    this.grow(Math.max(2, capacity));
  }

  /**
   * The record after the last one queued, to be filled and then queued with `push` — or left
   * unqueued: the same record is answered until `push` (taking from the front does not move it).
   */
  tail(): Arrival {
    if (this.length === this.slots.length) this.grow(2 * this.slots.length);
    return this.slots[(this.head + this.length) & this.mask];
  }

  /** Queues the record `tail` answered. */
  push(): void {
    this.length++;
  }

  /** The i-th oldest queued arrival (0: the front). */
  at(i: number): Arrival {
    return this.slots[(this.head + i) & this.mask];
  }

  /** Drops the front arrival (its record will be filled again later). */
  shift(): void {
    this.head = (this.head + 1) & this.mask;
    this.length--;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  /** Room for `capacity` (a power of two) records: the queued ones move to the front, in order. */
  private grow(capacity: number): void {
    let size = 1;
    while (size < capacity) size *= 2;
    const next: Arrival[] = [];
    for (let i = 0; i < this.length; i++) next.push(this.at(i));
    // `at` starts as a fraction: the field holds doubles from the first record on
    while (next.length < size) next.push({ at: 0.5, cohort: 0, client: 0, epoch: 0 });
    this.slots = next;
    this.mask = size - 1;
    this.head = 0;
  }
}
