/**
 * One key's trailing counts for a WAF rate-based rule: a ring of per-second slots, the newest
 * `lastSlot`. The rule asks for the sum of a window of them every tick; summing W slots each
 * time is most of a simulated tick, so the sum is carried from one second to the next and only
 * recomputed (the exact loop, always in the same order) when carrying it cannot tell which side
 * of the limit it is on, or when the slots it covers may still change.
 */
export class WafWindow {
  readonly slots: Float64Array;
  lastSlot = -Infinity;
  /** The window end `sum` is for (NaN: none), and a bound on how far the carried sum may be from the exact loop's. */
  private sumEnd = NaN;
  private sum = 0;
  private err = 0;
  private carried = 0;
  private verdict = false;
  /** The last take's verdict, and whether its pieces disagreed (the simulator's steady check). */
  lastBlocked = false;
  mixed = false;

  constructor(
    readonly size: number,
    readonly windowSeconds: number,
    /** Slots up to `end` are final when the rule looks at least a second back (no take writes them again). */
    private readonly settled: boolean,
  ) {
    this.slots = new Float64Array(size);
  }

  /** The count of slot s (0 outside what the ring holds). */
  value(s: number): number {
    if (s > this.lastSlot || s <= this.lastSlot - this.size) return 0;
    return this.slots[((s % this.size) + this.size) % this.size];
  }

  /** Whether the window ending at slot `end` counts more than `limit`. */
  blocked(end: number, limit: number): boolean {
    if (end === this.sumEnd) return this.verdict;
    if (this.settled && end === this.sumEnd + 1 && this.carried < 4 * this.size) {
      const add = this.value(end);
      const sub = this.value(end - this.windowSeconds);
      const s1 = this.sum + add;
      const s2 = s1 - sub;
      // each operation is off by at most half an ulp of its result
      this.err += (Math.abs(s1) + Math.abs(s2)) * 2 ** -52;
      this.sum = s2;
      this.carried++;
      this.sumEnd = end;
      // the exact loop's own rounding: W additions of partial sums no larger than the window's sum
      const bound = this.err + (this.windowSeconds + 2) * 2 ** -52 * (Math.abs(s2) + this.err) + Number.MIN_VALUE;
      if (s2 - limit > bound) return (this.verdict = true);
      if (limit - s2 > bound) return (this.verdict = false);
    }
    this.sum = this.exactSum(end);
    this.err = 0;
    this.carried = 0;
    this.sumEnd = end;
    // AWS blocks requests over the limit: a key at exactly `limit` is still allowed
    return (this.verdict = this.sum > limit);
  }

  /** The window's sum, slot by slot in order (the reference the carried sum must agree with). */
  private exactSum(end: number): number {
    const size = this.size;
    const from = Math.max(end - this.windowSeconds + 1, this.lastSlot - size + 1);
    const to = Math.min(end, this.lastSlot);
    let sum = 0;
    if (to < from) return sum;
    let i = ((from % size) + size) % size;
    for (let s = from; s <= to; s++) {
      sum += this.slots[i];
      if (++i === size) i = 0;
    }
    return sum;
  }

  record(slot: number, n: number): void {
    this.advance(slot);
    this.slots[((slot % this.size) + this.size) % this.size] += n;
    // a sum that covered this slot is stale (only when the rule looks less than a second back)
    if (slot <= this.sumEnd) this.sumEnd = NaN;
  }

  advance(slot: number): void {
    if (slot <= this.lastSlot) return;
    const size = this.size;
    const gap = this.lastSlot === -Infinity ? size : Math.min(size, slot - this.lastSlot);
    let i = ((slot - gap + 1) % size + size) % size;
    for (let k = 0; k < gap; k++) {
      this.slots[i] = 0;
      if (++i === size) i = 0;
    }
    this.lastSlot = slot;
  }

  /** Every slot up to `slot` after the newest holds `v` (a steady sender fast-forwarded). */
  fillTo(slot: number, v: number): void {
    if (!(slot > this.lastSlot)) return;
    const size = this.size;
    const gap = Math.min(size, slot - this.lastSlot);
    let i = ((slot - gap + 1) % size + size) % size;
    for (let k = 0; k < gap; k++) {
      this.slots[i] = v;
      if (++i === size) i = 0;
    }
    this.lastSlot = slot;
    this.sumEnd = NaN;
  }

  /** Moves every slot forward by d seconds: the state repeats d later. */
  shift(d: number): void {
    if (this.lastSlot === -Infinity) return;
    const size = this.size;
    const old = this.slots.slice();
    this.slots.fill(0);
    for (let s = this.lastSlot - size + 1; s <= this.lastSlot; s++) {
      this.slots[(((s + d) % size) + size) % size] = old[((s % size) + size) % size];
    }
    this.lastSlot += d;
    this.sumEnd = NaN;
  }
}

/**
 * For a key that keeps sending `v` per second (one take per whole second), from the slot after
 * `lastSlot` on: the first slot whose verdict may differ from `blocked` (Infinity: never). The
 * rule at slot lastSlot + k sees the window ending `lag` + k, in which slots after lastSlot hold
 * v up to its own (not yet counted). Sums within a part in 10⁹ of the limit count as "may differ".
 */
/** steadyVerdictUntil's copy of the ring (reused: it is asked for every key at every steady check). */
let scratch = new Float64Array(1024);

export function steadyVerdictUntil(w: WafWindow, opts: { v: number; blocked: boolean; limit: number; lag: number }): number {
  const { v, blocked, limit, lag: end0 } = opts;
  const W = w.windowSeconds;
  const last = w.lastSlot;
  // what the ring holds from the first slot any of these windows covers, in order
  const base = end0 + 2 - W;
  const n = Math.max(0, last - base + 1);
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const held = scratch;
  let all = 0;
  let least = v;
  for (let s = base; s <= last; s++) {
    const x = (held[s - base] = w.value(s));
    all += x;
    if (x < least) least = x;
  }
  // a quiet key that stays quiet even counting everything it holds and a full window more
  if (!blocked && all + v * W < limit - 1e-9 * (limit + all + v * W)) return Infinity;
  // a blocked key stays over the limit for good when every window it will be judged on does: each
  // counts at least W − 1 slots (held ones, or new ones at v; a window ending at the judged slot
  // itself leaves that slot out) of at least `least` each (the test is monotone in the total)
  const floor = least * (W - 1);
  if (blocked && floor > limit + 1e-9 * (limit + floor)) return Infinity;
  let e = end0 + 1;
  let sum = 0;
  for (let s = e - W + 1; s <= Math.min(e, last); s++) sum += held[s - base];
  const K = last - end0 + W + 2;
  for (let k = 1; k <= K; k++) {
    if (k > 1) {
      e++;
      if (e <= last) sum += held[e - base];
      const out = e - W;
      if (out >= base && out <= last) sum -= held[out - base];
      if (sum < 0) sum = 0;
    }
    // new slots counted: (e − W, e] ∩ [last + 1, last + k − 1]
    const newCount = Math.max(0, Math.min(e, last + k - 1) - Math.max(e - W + 1, last + 1) + 1);
    const total = sum + v * newCount;
    const margin = 1e-9 * (limit + total);
    const safe = blocked ? total > limit + margin : total < limit - margin;
    if (!safe) return last + k;
  }
  return Infinity;
}
