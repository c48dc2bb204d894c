import type { FastForward, Limiter } from './types.ts';

/**
 * An AWS WAF rate-based rule: a key (source IP or forwarded IP) is blocked while it sent more
 * than `limit` requests in the trailing `windowSeconds`. AWS is not precise about when blocking
 * starts ("typically within 30 s"), so detection lags by an explicit `delaySeconds`: at time t the
 * rule acts on the count of the window that ended at t − delay. Every arriving request is counted,
 * blocked or not, so a flood that keeps coming stays blocked.
 */
export class WafRateRule implements Limiter, FastForward {
  readonly limit: number;
  readonly windowSeconds: number;
  readonly delaySeconds: number;
  private readonly size: number;
  private readonly keys = new Map<string, KeyState>();
  /**
   * Keys seen by one instant take only (the emulator's requests), kept as their slot and count
   * until they come back: a flood of forged forwarded IPs brings a new key per request, and a
   * whole window of slots for each would take gigabytes. Spread takes (the simulator's, the only
   * user of the fast-forward members) never leave a key here.
   */
  private readonly once = new Map<string, { slot: number; n: number }>();

  constructor(opts: { limit: number; windowSeconds: number; delaySeconds: number }) {
    this.limit = opts.limit;
    this.windowSeconds = Math.max(1, Math.round(opts.windowSeconds));
    this.delaySeconds = Math.max(0, opts.delaySeconds);
    this.size = this.windowSeconds + Math.ceil(this.delaySeconds) + 2;
  }

  /** Of `n` requests from `key` arriving at `now` (spread over the last `over` seconds), how many pass. */
  take(now: number, n: number, over = 0, key = ''): number {
    if (n <= 0) return 0;
    if (over > 1) {
      // spread takes longer than a slot go second by second
      let passed = 0;
      const pieces = Math.ceil(over);
      for (let i = 0; i < pieces; i++) {
        const end = now - over + Math.min(over, (i + 1) * (over / pieces));
        passed += this.take(end, n / pieces, over / pieces, key);
      }
      return passed;
    }
    const t = now - over / 2;
    let st = this.keys.get(key);
    if (!st && over <= 0) {
      // a key never seen is not blocked (it has no count); one seen once gets its window now
      const first = this.once.get(key);
      if (!first) {
        this.once.set(key, { slot: Math.floor(t), n });
        return n;
      }
      this.once.delete(key);
      st = this.state(key);
      this.record(st, first.slot, first.n);
    }
    st ??= this.state(key);
    const blocked = this.isBlocked(st, t);
    this.record(st, Math.floor(t), n);
    return blocked ? 0 : n;
  }

  /**
   * Whether `key`, sending at most `perSecond` for the next `over` seconds, stays under the limit
   * whatever the delay: everything it still remembers plus everything it will see is at most the
   * limit, so no verdict can change during the stride.
   */
  quietFor(key: string, perSecond: number, over: number): boolean {
    const st = this.keys.get(key);
    let remembered = this.once.get(key)?.n ?? 0;
    if (st) for (const v of st.slots) remembered += v;
    return remembered + perSecond * (over + 1) <= this.limit;
  }

  /**
   * `key` sent nothing over (now − over, now]: its window moves on. Without this a key that paused
   * would look like a steady sender, and fast-forwarding would count requests it never sent.
   */
  silent(now: number, over = 0, key = ''): void {
    const st = this.keys.get(key);
    if (st) this.advance(st, Math.floor(now - over / 2));
  }

  /** Forgets a key: an attacker that moved to a fresh IP starts from zero. */
  forget(key: string): void {
    this.keys.delete(key);
    this.once.delete(key);
  }

  /** Drops keys that sent nothing for longer than the rule can remember (bounded memory). */
  sweep(now: number): void {
    const horizon = Math.floor(now) - this.size;
    for (const [k, st] of this.keys) if (st.lastSlot < horizon) this.keys.delete(k);
    for (const [k, o] of this.once) if (o.slot < horizon) this.once.delete(k);
  }

  get trackedKeys(): number {
    return this.keys.size + this.once.size;
  }

  private state(key: string): KeyState {
    let st = this.keys.get(key);
    if (!st) {
      st = { slots: new Float64Array(this.size), lastSlot: -Infinity, cachedAt: NaN, cachedBlocked: false };
      this.keys.set(key, st);
    }
    return st;
  }

  /**
   * Steady-state fingerprint: defined only while every key's window holds one repeated per-second
   * count (then time passing changes nothing); `undefined` while any window is still filling.
   */
  fingerprint(): string | undefined {
    const parts: string[] = [];
    for (const [k, st] of this.keys) {
      const v = st.slots[0];
      for (let i = 1; i < st.slots.length; i++) if (st.slots[i] !== v) return undefined;
      parts.push(`${k}=${v}`);
    }
    return parts.join(';');
  }

  /** Full state relative to `now` (for the simulator's periodic check). */
  snapshot(now: number): string {
    const end = Math.floor(now);
    const parts: string[] = [];
    for (const k of [...this.keys.keys()].sort()) {
      const st = this.keys.get(k)!;
      const vals: number[] = [];
      for (let s = end - this.size + 1; s <= end; s++) {
        vals.push(s > st.lastSlot || s <= st.lastSlot - this.size ? 0 : st.slots[((s % this.size) + this.size) % this.size]);
      }
      parts.push(`${k}=${vals.join(',')}`);
    }
    return parts.join(';');
  }

  /** Moves every key's window forward by a whole number of seconds: the state repeats dt later. */
  shift(dt: number): void {
    const d = Math.round(dt);
    for (const st of this.keys.values()) {
      if (st.lastSlot === -Infinity) continue;
      const old = st.slots.slice();
      st.slots.fill(0);
      for (let s = st.lastSlot - this.size + 1; s <= st.lastSlot; s++) {
        const v = old[((s % this.size) + this.size) % this.size];
        const ns = s + d;
        st.slots[((ns % this.size) + this.size) % this.size] = v;
      }
      st.lastSlot += d;
      st.cachedAt = NaN;
    }
  }

  /** Fast-forward: every key keeps sending its steady per-second count until `t`. */
  skipTo(t: number): void {
    const slot = Math.floor(t) - 1;
    for (const st of this.keys.values()) {
      if (slot > st.lastSlot) st.lastSlot = slot;
      st.cachedAt = NaN;
    }
  }

  private record(st: KeyState, slot: number, n: number): void {
    this.advance(st, slot);
    st.slots[((slot % this.size) + this.size) % this.size] += n;
    // the cached verdict only covers slots up to cachedAt; later slots do not change it
    if (slot <= st.cachedAt) st.cachedAt = NaN;
  }

  private advance(st: KeyState, slot: number): void {
    if (slot <= st.lastSlot) return;
    const gap = st.lastSlot === -Infinity ? this.size : Math.min(this.size, slot - st.lastSlot);
    for (let i = 1; i <= gap; i++) {
      const s = st.lastSlot === -Infinity ? slot - this.size + i : st.lastSlot + i;
      st.slots[((s % this.size) + this.size) % this.size] = 0;
    }
    st.lastSlot = slot;
  }

  private isBlocked(st: KeyState, t: number): boolean {
    const end = Math.floor(t - this.delaySeconds); // last whole slot the rule has seen
    if (st.cachedAt === end) return st.cachedBlocked;
    let sum = 0;
    for (let s = end - this.windowSeconds + 1; s <= end; s++) {
      if (s > st.lastSlot || s <= st.lastSlot - this.size) continue;
      sum += st.slots[((s % this.size) + this.size) % this.size];
    }
    // AWS blocks requests over the limit: a key at exactly `limit` is still allowed
    st.cachedAt = end;
    st.cachedBlocked = sum > this.limit;
    return st.cachedBlocked;
  }
}

interface KeyState {
  slots: Float64Array;
  lastSlot: number;
  cachedAt: number;
  cachedBlocked: boolean;
}
