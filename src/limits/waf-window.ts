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
  /**
   * The newest slot a count was written to (-Infinity: none). Slots after it hold nothing, and
   * once it leaves what the ring holds the ring is all zeros: advancing clears only the slots
   * that may still hold a count, and a key gone quiet costs nothing to move on.
   */
  private newest = -Infinity;
  /** The window end `sum` is for (NaN: none), and a bound on how far the carried sum may be from the exact loop's. */
  private sumEnd = NaN;
  private sum = 0;
  private err = 0;
  private carried = 0;
  private verdict = false;
  /** The last take's verdict, and whether its pieces disagreed (the simulator's steady check). */
  lastBlocked = false;
  mixed = false;
  /**
   * What the ring holds, kept up to date as slots are counted and cleared, and a bound on how far
   * its rounding may have taken it from the true total (`quiet` answers from the two in O(1)).
   */
  private total = 0;
  private totalErr = 0;

  constructor(
    readonly size: number,
    readonly windowSeconds: number,
    /** Slots up to `end` are final when the rule looks at least a second back (no take writes them again). */
    private readonly settled: boolean,
    /** A ring of `size` slots to use again (a forgotten key's), cleared here. */
    reuse?: Float64Array,
  ) {
    this.slots = reuse?.length === size ? reuse.fill(0) : new Float64Array(size);
  }

  /** The count of slot s (0 outside what the ring holds). */
  value(s: number): number {
    if (s > this.lastSlot || s <= this.lastSlot - this.size) return 0;
    return this.slots[((s % this.size) + this.size) % this.size];
  }

  /** value(s) for the `count` slots from `from` on, into out[at …]: what the ring holds of them, 0 before and after. */
  row(from: number, count: number, out: Float64Array, at: number): void {
    const lo = Math.max(from, this.lastSlot - this.size + 1);
    const hi = Math.min(from + count - 1, this.lastSlot);
    let k = 0;
    for (; k < count && from + k < lo; k++) out[at + k] = 0;
    if (hi >= lo) {
      const size = this.size;
      let i = ((lo % size) + size) % size;
      for (; from + k <= hi; k++) {
        out[at + k] = this.slots[i];
        if (++i === size) i = 0;
      }
    }
    for (; k < count; k++) out[at + k] = 0;
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

  /**
   * Everything the ring holds, summed slot by slot in order: no window from now on counts more of
   * the past than this (every slot is a count, never negative).
   */
  held(): number {
    if (this.empty()) {
      this.total = this.totalErr = 0;
      return 0;
    }
    const slots = this.slots;
    let sum = 0;
    for (let i = 0; i < slots.length; i++) sum += slots[i];
    this.total = sum;
    // the loop's own rounding: size additions of partial sums no larger than the total
    this.totalErr = (slots.length + 2) * 2 ** -52 * sum;
    return sum;
  }

  /** At least what the ring holds, summed in any order (the running total and its rounding, with a part in 10⁹ to spare). */
  heldAtMost(): number {
    return (this.total + this.totalErr) * (1 + 1e-9);
  }

  /**
   * `held() + more <= cap`, the same answer: from the running total when it is far enough from
   * `cap` to settle it (held() is within a part in 10⁹ of it either way), else exactly.
   */
  quiet(more: number, cap: number): boolean {
    if (this.heldAtMost() + more <= cap) return true;
    const lo = (this.total - this.totalErr) * (1 - 1e-9);
    if (lo + more > cap) return false;
    return this.held() + more <= cap;
  }

  /** Every slot holds 0: none was written, or the newest written has left the ring. */
  private empty(): boolean {
    return this.newest <= this.lastSlot - this.size;
  }

  /** Adds `delta` to the running total, and its rounding to the bound. */
  private count(delta: number): void {
    this.total += delta;
    this.totalErr += (Math.abs(this.total) + 2 * Math.abs(delta)) * 2 ** -52;
  }

  /**
   * `gap` slots holding `removed` in all (summed in a loop) now hold `added` (a product): the
   * total moves by the difference; the bound takes the loop's rounding, the product's, the
   * difference's and the total's own.
   */
  private uncount(removed: number, added: number, gap: number): void {
    this.total += added - removed;
    this.totalErr += (gap + 4) * 2 ** -52 * (Math.abs(this.total) + added + removed);
  }

  /** Forgets the carried window sum (a take recorded slots without asking for verdicts). */
  dropSum(): void {
    this.sumEnd = NaN;
  }

  /**
   * `count` consecutive slots from `first` on each get `n` (after the newest: a whole-second take
   * of a key whose pieces all got the same verdict), as `record` slot by slot would leave them.
   */
  recordRun(first: number, count: number, n: number): void {
    if (!(first > this.lastSlot) || !Number.isInteger(first)) {
      for (let k = 0; k < count; k++) this.record(first + k, n);
      return;
    }
    // slots before `first` sent nothing; then each slot holds 0 + n, that is n
    this.advance(first - 1);
    this.fillTo(first + count - 1, n);
  }

  /**
   * The verdicts of a whole-second take filling fresh slots `first`, `first` + 1, … (after the
   * newest) with `v` each, piece i judged on the window ending at `firstEnd` + i before its own
   * slot is counted: what `blocked` would answer piece by piece, with the slots recorded in between.
   * Those windows are one window sliding a slot at a time over the ring's counts, then the v's:
   * the first sum is the exact loop's own, the next ones are carried with a bound on their
   * rounding (as `blocked` carries). Writes 1 (blocked) or 0 into `out` for as many pieces as the
   * carried sum settles and returns that count; the rest are for `blocked`, slot by slot.
   */
  verdictRun(first: number, count: number, v: number, firstEnd: number, limit: number, out: Uint8Array): number {
    return this.judgeRow(first, count, v, undefined, 0, firstEnd, limit, out, 0);
  }

  /**
   * verdictRun for counts that differ from slot to slot: fresh slot `first` + i gets values[from + i];
   * its verdict goes to out[at + i]. The slots are not recorded (recordRow does that).
   */
  verdictRow(first: number, count: number, values: Float64Array, from: number, firstEnd: number, limit: number, out: Uint8Array, at: number): number {
    return this.judgeRow(first, count, 0, values, from, firstEnd, limit, out, at);
  }

  private judgeRow(first: number, count: number, v: number, values: Float64Array | undefined, from: number, firstEnd: number, limit: number, out: Uint8Array, at: number): number {
    const W = this.windowSeconds;
    // piece i counts the slots [lo + i, hi + i]: its window, up to the newest slot recorded by then
    const lo = firstEnd - W + 1;
    const hi = Math.min(firstEnd, first - 1);
    // the counts from lo on, in a row: the ring's up to `first`, then each piece's own slot's
    const n = hi - lo + count;
    if (runScratch.length < n) runScratch = new Float64Array(Math.max(n, 2 * runScratch.length));
    const row = runScratch;
    const old = Math.max(0, Math.min(n, first - lo));
    this.row(lo, old, row, 0);
    if (values) for (let k = old; k < n; k++) row[k] = values[from + k - old];
    else for (let k = old; k < n; k++) row[k] = v;
    let sum = 0;
    for (let k = 0; k <= hi - lo; k++) sum += row[k];
    out[at] = sum > limit ? 1 : 0;
    let err = 0;
    const grow = (W + 2) * 2 ** -52;
    for (let i = 1; i < count; i++) {
      const s1 = sum + row[hi - lo + i];
      const s2 = s1 - row[i - 1];
      err += (Math.abs(s1) + Math.abs(s2)) * 2 ** -52;
      sum = s2;
      const bound = err + grow * (Math.abs(s2) + err) + Number.MIN_VALUE;
      if (s2 - limit > bound) out[at + i] = 1;
      else if (limit - s2 > bound) out[at + i] = 0;
      else return i;
    }
    return count;
  }

  /** Slots `first`, `first` + 1, … get values[from], values[from + 1], … (`count` of them), as `record` slot by slot. */
  recordRow(first: number, count: number, values: Float64Array, from: number): void {
    // fresh slots past a whole ring: only the last `size` of them stay, the ring holds nothing older
    const skip = first > this.lastSlot && Number.isInteger(first) ? Math.max(0, count - this.size) : 0;
    if (skip > 0) this.advance(first + skip - 1);
    for (let k = skip; k < count; k++) this.record(first + k, values[from + k]);
  }

  record(slot: number, n: number): void {
    this.advance(slot);
    const i = ((slot % this.size) + this.size) % this.size;
    const old = this.slots[i];
    const now = (this.slots[i] = old + n);
    if (now !== 0 && slot > this.newest) this.newest = slot;
    this.count(now - old);
    // a sum that covered this slot is stale (only when the rule looks less than a second back)
    if (slot <= this.sumEnd) this.sumEnd = NaN;
  }

  advance(slot: number): void {
    if (slot <= this.lastSlot) return;
    const removed = this.clear(slot);
    if (removed !== 0) this.uncount(removed, 0, Math.min(this.size, slot - this.lastSlot));
    this.lastSlot = slot;
  }

  /**
   * Moving the newest slot from lastSlot to `slot`: zeroes the ring's places of the slots that
   * leave it and may hold a count (those up to `newest`; later ones hold 0 already), and returns
   * what they held, summed oldest first (as a loop over every leaving slot would sum it).
   */
  private clear(slot: number): number {
    const size = this.size;
    // the slots leaving: the oldest held up to the one `slot` − size, that may hold a count
    const from = this.lastSlot - size + 1;
    const to = Math.min(slot - size, this.newest);
    if (this.newest === -Infinity || to < from) return 0;
    const n = Math.min(size, to - from + 1);
    const start = (((to - n + 1) % size) + size) % size;
    const slots = this.slots;
    let removed = 0;
    let i = start;
    for (let k = 0; k < n; k++) {
      removed += slots[i];
      if (++i === size) i = 0;
    }
    if (start + n <= size) slots.fill(0, start, start + n);
    else {
      slots.fill(0, start);
      slots.fill(0, 0, start + n - size);
    }
    return removed;
  }

  /** Every slot up to `slot` after the newest holds `v` (a steady sender fast-forwarded). */
  fillTo(slot: number, v: number): void {
    if (!(slot > this.lastSlot)) return;
    const size = this.size;
    const gap = Math.min(size, slot - this.lastSlot);
    const removed = this.clear(slot);
    if (v !== 0) {
      const start = (((slot - gap + 1) % size) + size) % size;
      if (start + gap <= size) this.slots.fill(v, start, start + gap);
      else {
        this.slots.fill(v, start);
        this.slots.fill(v, 0, start + gap - size);
      }
      this.newest = slot;
    }
    this.uncount(removed, v * gap, gap);
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
    this.newest += d;
    this.sumEnd = NaN;
  }
}

/** verdictRun's row of counts (reused: it is filled in for every whole-second take). */
let runScratch = new Float64Array(1024);

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
  // the quiet test below, on at least what the slots it sums hold: true there, true here (O(1))
  if (!blocked) {
    const most = w.heldAtMost();
    if (most + v * W < limit - 1e-9 * (limit + most + v * W)) return Infinity;
  }
  const last = w.lastSlot;
  // what the ring holds from the first slot any of these windows covers, in order
  const base = end0 + 2 - W;
  const n = Math.max(0, last - base + 1);
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const held = scratch;
  let all = 0;
  let least = v;
  w.row(base, n, held, 0);
  for (let k = 0; k < n; k++) {
    const x = held[k];
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
