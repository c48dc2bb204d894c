/**
 * The default bound on requests in flight (= connections in use, one request per connection): as
 * many as the traffic needs, and no more than the target can use. Pure: the dispatcher feeds it
 * counts every tick (about 200 ms) and asks it how far it may go.
 *
 * Why: an open-model driver offered more than the target can answer sees every connection busy and
 * opens another, up to its cap — hundreds of sockets, each adding client and server work per
 * request and no answers at all (measured: ~900 connections answered a third of what 50 did). So:
 *  - it starts from Little's law with the latency the caller expects (rate × latency × 2),
 *  - grows on demand: freely after a span in which the bound held nothing back and the answers kept
 *    up with what came due (the target is only slower, it needs more in flight), else by at most a
 *    quarter (or MIN_WINDOW) per span (below),
 *    so that growth which brings no answers is seen before it has opened hundreds of connections,
 *  - and when, two spans running, the in-flight count grew by a fifth while demand went unmet and
 *    the answer rate did not grow (one such span can be a stall of this machine), the target is
 *    saturated: the bound drops back to what the span
 *    started with, or to Little's law with what was measured — twice the answer rate times the
 *    shortest latency of the run — if that is less; it is raised again by a quarter every HOLD_MS,
 *    to find out whether the target has recovered.
 * A span lasts until every request in flight at its start has ended (at least SPAN_MS), so a wave
 * of slow first answers (cold starts) is waited out before the answer rate is judged.
 */

/** What the dispatcher counted since the run began (totals, not deltas), at one tick. */
export interface WindowSample {
  nowMs: number;
  /** Arrivals that came due (sent or dropped). */
  due: number;
  /** Requests sent. */
  sent: number;
  /** Requests ended (answered or failed). */
  ended: number;
  /** Requests in flight now. */
  inFlight: number;
  /** Shortest send-to-answer latency since the previous sample, ms (Infinity: none answered). */
  minLatencyMs: number;
}

/** Never fewer than this many in flight, whatever was measured. */
export const MIN_WINDOW = 16;
const SPAN_MS = 600;
const HOLD_MS = 2000;
/** Grown by at least this factor over a span, with no more answers: saturated. */
const GREW = 1.2;
/** The answer rate must grow by this factor for growth to count as useful. */
const HELPED = 1.1;
/** Demand counts as unmet when answers fall below this share of what came due. */
const UNMET = 0.9;
/**
 * Growth is free after a span in which at least this share of what came due was sent: the bound
 * never held requests back, so more in flight can only mean a slower target. A span that merely
 * answered 90 % — a saturated target on a good stretch — once let the bound jump from 125 to 970
 * in one span against node:http, at half the answers.
 */
const KEPT_UP = 0.98;

interface SpanStart {
  nowMs: number;
  due: number;
  sent: number;
  ended: number;
  inFlight: number;
}

export class InFlightWindow {
  /** The bound in force now. */
  private bound: number;
  /** The bound when the current span began: growth within a span stops a quarter above it. */
  private spanBound: number;
  /** Below `cap` only after saturation was seen: the most the target was found to use. */
  private ceiling: number;
  private span: SpanStart | undefined;
  private lastRate = 0;
  /** The last span's answers kept up with what came due: growth is not suspect. */
  private keptUp = false;
  /** Spans in a row that looked saturated. */
  private suspect = 0;
  private bestLatencyMs = Infinity;
  private holdUntilMs = 0;
  /** How many times saturation lowered the ceiling (for the run's report). */
  saturations = 0;

  constructor(
    private readonly cap: number,
    initial: number,
  ) {
    this.ceiling = cap;
    this.bound = clamp(initial, Math.min(MIN_WINDOW, cap), cap);
    this.spanBound = this.bound;
  }

  /** How many requests may be in flight at once right now. */
  get limit(): number {
    return this.bound;
  }

  /**
   * Every request is in flight and more are waiting: grow by one if allowed (at most twice the
   * bound of a tick ago, never past the ceiling). Answers whether there is room now.
   */
  grow(inFlight: number): boolean {
    if (inFlight < this.bound) return true;
    const step = Math.max(Math.ceil(1.25 * this.spanBound), this.spanBound + MIN_WINDOW);
    const most = this.keptUp ? this.ceiling : Math.min(this.ceiling, step);
    if (this.bound >= most) return false;
    this.bound++;
    return true;
  }

  /** One tick's counts: ends a span when it is long enough, and moves the ceiling. */
  tick(s: WindowSample): void {
    if (this.span === undefined) {
      this.startSpan(s);
      return;
    }
    const sp = this.span;
    this.bestLatencyMs = Math.min(this.bestLatencyMs, s.minLatencyMs);
    if (this.ceiling < this.cap && s.nowMs >= this.holdUntilMs) {
      // Probe: more room, to see whether the target can use it now.
      this.ceiling = Math.min(this.cap, Math.max(Math.ceil(this.ceiling * 1.25), this.ceiling + MIN_WINDOW));
      this.holdUntilMs = s.nowMs + HOLD_MS;
    }
    if (s.nowMs - sp.nowMs < SPAN_MS || s.ended < sp.sent) return;
    const seconds = (s.nowMs - sp.nowMs) / 1000;
    const rate = (s.ended - sp.ended) / seconds;
    const dueRate = (s.due - sp.due) / seconds;
    const unmet = rate < UNMET * dueRate;
    const grew = s.inFlight >= GREW * sp.inFlight && s.inFlight - sp.inFlight >= MIN_WINDOW / 2;
    const helped = rate >= HELPED * this.lastRate;
    this.suspect = unmet && grew && !helped ? this.suspect + 1 : 0;
    if (this.suspect >= 2 && Number.isFinite(this.bestLatencyMs)) {
      this.suspect = 0;
      // Little's law with what the target showed it can do: twice its answer rate × its best latency.
      const little = Math.ceil((2 * rate * this.bestLatencyMs) / 1000);
      this.ceiling = clamp(little, Math.min(MIN_WINDOW, this.cap), Math.max(MIN_WINDOW, sp.inFlight));
      this.bound = Math.min(this.bound, this.ceiling);
      this.holdUntilMs = s.nowMs + HOLD_MS;
      this.saturations++;
    }
    this.lastRate = rate;
    this.keptUp = !unmet && s.sent - sp.sent >= KEPT_UP * (s.due - sp.due);
    this.startSpan(s);
  }

  private startSpan(s: WindowSample): void {
    this.bestLatencyMs = Math.min(this.bestLatencyMs, s.minLatencyMs);
    this.spanBound = this.bound;
    this.span = { nowMs: s.nowMs, due: s.due, sent: s.sent, ended: s.ended, inFlight: s.inFlight };
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
