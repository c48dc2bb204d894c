import type { FastForward, Limiter } from './types.ts';
import { WafWindow, steadyVerdictUntil } from './waf-window.ts';

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
  /** The delay is a whole or half second: a whole-second take's windows end one slot apart, exactly. */
  private readonly wholeDelay: boolean;
  /** Rings of forgotten keys, for the next keys (allocating one per rotating key was measurable). */
  private readonly spare: Float64Array[] = [];
  /** A spread take's verdicts, piece by piece (reused). */
  private verdicts = new Uint8Array(64);

  constructor(opts: { limit: number; windowSeconds: number; delaySeconds: number }) {
    this.limit = opts.limit;
    this.windowSeconds = Math.max(1, Math.round(opts.windowSeconds));
    this.delaySeconds = Math.max(0, opts.delaySeconds);
    this.size = this.windowSeconds + Math.ceil(this.delaySeconds) + 2;
    this.wholeDelay = Number.isInteger(2 * this.delaySeconds);
  }

  /** Of `n` requests from `key` arriving at `now` (spread over the last `over` seconds), how many pass. */
  take(now: number, n: number, over = 0, key = ''): number {
    if (n <= 0) return 0;
    if (over > 1) {
      const st = this.state(key);
      st.silentLast = false;
      // spread takes longer than a slot go second by second
      let passed = 0;
      const pieces = Math.ceil(over);
      const piece = over / pieces;
      const each = n / pieces;
      const w = st.window;
      let first: boolean | undefined;
      let mixed = false;
      let i = 0;
      if (piece === 1 && now === Math.floor(now) && now - pieces > w.lastSlot && this.wholeDelay) {
        // whole seconds into fresh slots: the verdicts come from one running window sum, as many
        // as it settles; the slots they cover are filled in at once (see WafWindow.verdictRun)
        const slot0 = now - pieces;
        const verdicts = (this.verdicts = this.verdicts.length >= pieces ? this.verdicts : new Uint8Array(pieces));
        const quiet = w.quiet(n, this.limit * (1 - 1e-9));
        const settled = quiet ? pieces : w.verdictRun(slot0, pieces, each, Math.floor(slot0 + 0.5 - this.delaySeconds), this.limit, verdicts);
        if (quiet) {
          // every piece passes (added one by one, as the pieces' own takes would add them)
          first = false;
          for (; i < settled; i++) passed += each;
        } else {
          for (; i < settled; i++) {
            const blocked = verdicts[i] === 1;
            if (first === undefined) first = blocked;
            else if (blocked !== first) mixed = true;
            passed += blocked ? 0 : each;
          }
        }
        if (settled > 0) {
          w.recordRun(slot0, settled, each);
          w.dropSum();
          w.lastBlocked = !quiet && verdicts[settled - 1] === 1;
        }
      }
      for (; i < pieces; i++) {
        const end = now - over + Math.min(over, (i + 1) * piece);
        const blocked = this.takeSlot(st, end - piece / 2, each);
        if (first === undefined) first = blocked;
        else if (blocked !== first) mixed = true;
        passed += blocked ? 0 : each;
      }
      st.aligned = piece === 1 && now === Math.floor(now);
      st.window.mixed = mixed;
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
      st.window.record(first.slot, first.n);
    }
    st ??= this.state(key);
    st.silentLast = false;
    st.aligned = over === 1 && t - Math.floor(t) === 0.5;
    st.window.mixed = false;
    return this.takeSlot(st, t, n) ? 0 : n;
  }

  /**
   * `key`'s whole seconds one by one, from slot `first` on (after every slot counted so far):
   * second i brings values[from + i] requests (0: silent, its window moves on) and its verdict (1
   * blocked) goes to out[at + i]. The verdicts and counts one-second takes give
   * (take(first + i + 1, values[from + i], 1, key), silent() for a silent second), from a running
   * window sum where it settles them (WafWindow.verdictRow), else slot by slot.
   */
  judgeSeconds(key: string, first: number, values: Float64Array, from: number, count: number, out: Uint8Array, at: number): void {
    const st = this.state(key);
    const w = st.window;
    let i = 0;
    while (i < count) {
      const slot = first + i;
      if (this.wholeDelay && slot > w.lastSlot && Number.isInteger(slot)) {
        const settled = w.verdictRow(slot, count - i, values, from + i, Math.floor(slot + 0.5 - this.delaySeconds), this.limit, out, at + i);
        if (settled > 0) {
          w.recordRow(slot, settled, values, from + i);
          w.dropSum();
          i += settled;
          continue;
        }
      }
      const v = values[from + i];
      if (v > 0) out[at + i] = this.takeSlot(st, slot + 0.5, v) ? 1 : 0;
      else {
        w.advance(slot);
        out[at + i] = 0;
      }
      i++;
    }
  }

  /** One slot's take at time t: the verdict (from the window `delaySeconds` back), then the count. */
  private takeSlot(st: KeyState, t: number, n: number): boolean {
    const w = st.window;
    const blocked = w.blocked(Math.floor(t - this.delaySeconds), this.limit);
    w.record(Math.floor(t), n);
    w.lastBlocked = blocked;
    return blocked;
  }

  /**
   * Whether `key`, sending at most `perSecond` for the next `over` seconds, stays under the limit
   * whatever the delay: no window the rule judges in the stride counts more than the limit, so
   * no verdict can change during it. A window holds some of what the key still remembers (at most
   * all of it) and what it sends in at most W + 1 seconds of the stride (its pieces fall into the
   * window's W seconds from at most W + 1 seconds of sending), so everything remembered plus
   * that much more at most the limit is enough, however long the stride.
   */
  quietFor(key: string, perSecond: number, over: number): boolean {
    const st = this.keys.get(key);
    const once = this.once.get(key)?.n ?? 0;
    const more = perSecond * (Math.min(over, this.windowSeconds) + 1);
    if (!st) return once + more <= this.limit;
    if (once === 0) return st.window.quiet(more, this.limit);
    let remembered = once;
    for (const v of st.window.slots) remembered += v;
    return remembered + more <= this.limit;
  }

  /**
   * Whether `key`, sending at least `perSecond` every second of (now − over, now] (whole seconds
   * into seconds it has not counted yet), is blocked in every one of them: each window the rule
   * judges counts more than the limit even at that rate (what a spread take of it would find,
   * piece by piece; more requests only count more). Then a stride's requests from it are all
   * blocked, as its seconds one by one would be.
   */
  blockedFor(key: string, perSecond: number, now: number, over: number): boolean {
    if (!this.wholeDelay || !Number.isInteger(now) || !Number.isInteger(over) || over < 2) return false;
    const w = this.keys.get(key)?.window;
    // a key never seen holds nothing: its first seconds pass
    if (!w) return false;
    const slot0 = now - over;
    if (!(slot0 > w.lastSlot)) return false;
    const out = (this.verdicts = this.verdicts.length >= over ? this.verdicts : new Uint8Array(over));
    if (w.verdictRun(slot0, over, perSecond, Math.floor(slot0 + 0.5 - this.delaySeconds), this.limit, out) < over) return false;
    for (let i = 0; i < over; i++) if (out[i] !== 1) return false;
    return true;
  }

  /**
   * `key` sent nothing over (now − over, now]: its window moves on. Without this a key that paused
   * would look like a steady sender, and fast-forwarding would count requests it never sent.
   */
  silent(now: number, over = 0, key = ''): void {
    const st = this.keys.get(key);
    if (!st) return;
    st.window.advance(Math.floor(now - over / 2));
    st.silentLast = true;
  }

  /** Forgets a key: an attacker that moved to a fresh IP starts from zero. */
  forget(key: string): void {
    const st = this.keys.get(key);
    // its ring serves the next key (rotating clients bring a fresh one every rotation)
    if (st && this.spare.length < MAX_SPARE) this.spare.push(st.window.slots);
    this.keys.delete(key);
    this.once.delete(key);
  }

  /** Drops keys that sent nothing for longer than the rule can remember (bounded memory). */
  sweep(now: number): void {
    const horizon = Math.floor(now) - this.size;
    for (const [k, st] of this.keys) if (st.window.lastSlot < horizon) this.keys.delete(k);
    for (const [k, o] of this.once) if (o.slot < horizon) this.once.delete(k);
  }

  get trackedKeys(): number {
    return this.keys.size + this.once.size;
  }

  private state(key: string): KeyState {
    let st = this.keys.get(key);
    if (!st) {
      st = { window: new WafWindow(this.size, this.windowSeconds, this.delaySeconds >= 1, this.spare.pop()), aligned: false, silentLast: false };
      this.keys.set(key, st);
    }
    return st;
  }

  /**
   * Steady-state fingerprint: per key, the verdict its last whole-second takes got and the count
   * it sends per second (or that it was silent); `steadyUntil` says how long sending the same
   * keeps that verdict. Undefined while a key's verdict changed within its last take.
   */
  fingerprint(): string | undefined {
    const parts: string[] = [];
    for (const [k, st] of this.keys) {
      const w = st.window;
      if (st.silentLast) {
        parts.push(`${k}=s`);
        continue;
      }
      if (!st.aligned || w.mixed) return undefined;
      parts.push(`${k}=${w.lastBlocked ? 'b' : 'q'}${w.value(w.lastSlot)}`);
    }
    return parts.join(';');
  }

  /** Until when (epoch seconds) every key sending as in its last take keeps its verdict. */
  steadyUntil(): number {
    let until = Infinity;
    for (const st of this.keys.values()) {
      if (st.silentLast) continue;
      const w = st.window;
      if (!st.aligned || w.mixed) return -Infinity;
      const v = w.value(w.lastSlot);
      const blocked = w.lastBlocked;
      const f = st.forecast;
      // a forecast made a few seconds ago still holds when the key kept sending what it assumed
      if (f && f.v === v && f.blocked === blocked && f.until > w.lastSlot && keptSending(w, f.from, v)) {
        until = Math.min(until, f.until);
        continue;
      }
      const lag = Math.floor(w.lastSlot + 0.5 - this.delaySeconds);
      const u = steadyVerdictUntil(w, { v, blocked, limit: this.limit, lag });
      st.forecast = { from: w.lastSlot, until: u, v, blocked };
      until = Math.min(until, u);
    }
    return until;
  }

  /** Full state relative to `now` (for the simulator's periodic check). */
  snapshot(now: number): string {
    const end = Math.floor(now);
    const parts: string[] = [];
    for (const k of [...this.keys.keys()].sort()) {
      const w = this.keys.get(k)!.window;
      const vals: number[] = [];
      for (let s = end - this.size + 1; s <= end; s++) vals.push(w.value(s));
      parts.push(`${k}=${vals.join(',')}`);
    }
    return parts.join(';');
  }

  /** Moves every key's window forward by a whole number of seconds: the state repeats dt later. */
  shift(dt: number): void {
    const d = Math.round(dt);
    for (const st of this.keys.values()) {
      st.window.shift(d);
      st.forecast = undefined;
    }
  }

  /** Fast-forward: every key keeps sending its steady per-second count (a silent one nothing) until `t`. */
  skipTo(t: number): void {
    const slot = Math.floor(t) - 1;
    for (const st of this.keys.values()) {
      const w = st.window;
      if (st.silentLast) w.advance(slot);
      else w.fillTo(slot, w.value(w.lastSlot));
    }
  }
}

/** Most rings kept for reuse. */
const MAX_SPARE = 64;

interface KeyState {
  window: WafWindow;
  /** The last take went second by second on whole seconds (what the steady forecast assumes). */
  aligned: boolean;
  /** The key's client sent nothing in the last tick. */
  silentLast: boolean;
  /** steadyUntil's last answer for this key: made at slot `from` for `v` a second and `blocked`. */
  forecast?: { from: number; until: number; v: number; blocked: boolean };
}

/** Whether every slot after `from` up to the window's last holds `v` (a short look: a long gap is no match). */
function keptSending(w: WafWindow, from: number, v: number): boolean {
  if (w.lastSlot < from || w.lastSlot - from > w.windowSeconds) return false;
  for (let s = from + 1; s <= w.lastSlot; s++) if (w.value(s) !== v) return false;
  return true;
}
