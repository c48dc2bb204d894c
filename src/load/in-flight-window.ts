/**
 * The default bound on requests in flight (= connections in use, one request per connection): as
 * many as the traffic needs, and no more than the target can use. Pure: the dispatcher feeds it
 * counts every tick (about 200 ms) and asks it how far it may go.
 *
 * Why: an open-model driver offered more than the target can answer sees every connection busy and
 * opens another, up to its cap — hundreds of sockets, each adding client and server work per
 * request and no answers at all (measured: ~900 connections answered a third of what 50 did). So:
 *  - it starts from Little's law with the latency the caller expects (rate × latency × 2),
 *  - grows on demand: after a span in which the bound held nothing back and the answers kept up
 *    with what came due (the target is only slower, it needs more in flight), up to twice its bound
 *    but no further than Little's law says the demand needs at the best latency seen (with room,
 *    QUEUED×); else by at most a quarter (or MIN_WINDOW) per span (below),
 *    so that growth which brings no answers is seen before it has opened hundreds of connections,
 *  - and when, two spans running, demand went unmet, the answer rate did not grow, and either the
 *    in-flight count grew by a fifth or it stands far above what Little's law says the answers
 *    need (QUEUED × answer rate × best latency) while requests wait for the bound (one such span
 *    can be a stall of this machine), the target is saturated: the bound drops back to what the span
 *    started with, or to Little's law with what was measured — twice the answer rate times the
 *    shortest latency of the run, at least SATURATED_FLOOR — if that is less; it is raised again by a quarter every HOLD_MS,
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
/**
 * After a span that kept up, growth within the next span stops at this multiple of its bound, and
 * at what Little's law says the demand needs (`needed`), not at the cap: after a good span the
 * bound is only reached in a hiccup of the target (everything due meanwhile waiting for a
 * connection), and growing then once took the bound from ~100 to ~1,300 at once, where it stayed;
 * at 20,000 rps on a busy machine, doubling at each hiccup reached ~1,300 connections where 6 in
 * flight answer the demand.
 */
const FREE = 2;
/**
 * A saturated target keeps at least this many in flight: Little's law with the best latency said
 * ~2–10 against node:http (clamped to 16), and on a busy 2-core machine the target then ran dry
 * whenever the driver's process waited for a core. Measured, default sizing against autocannon at
 * 10 connections, two interleaved runs of 5–6 rounds at load avg 5–8: floor 48 answered more than
 * floor 16 in every round that differed (median 1.19 vs 1.07×, 1.22 vs 1.12×), fixed 50 about as
 * much as floor 48.
 */
const SATURATED_FLOOR = 48;
/** In flight above this multiple of answer rate × best latency (plus MIN_WINDOW), with requests held back: queueing. */
const QUEUED = 4;

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
  /**
   * The best answer rate of a span since the last saturation: growth "helped" only when it brought a
   * tenth more than that. Against the span just before, one span's noise on a shared machine (±10 %)
   * kept clearing the evidence while the bound climbed 100 → 480 against node:http.
   */
  private bestRate = 0;
  /** The last span's answers kept up with what came due: growth is not suspect. */
  private keptUp = false;
  /** Spans that looked saturated, with none since that showed otherwise. */
  private suspect = 0;
  /** The bound was reached (a request waited for it) in the current span. */
  private hitBound = false;
  /**
   * In flight the last span's demand needs by Little's law at the best latency seen, with room
   * (QUEUED × due rate × best latency + MIN_WINDOW): after a span that kept up, growth stops there.
   */
  private needed = Infinity;
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
   * Every request is in flight and more are waiting: grow by one if allowed (at most a quarter,
   * or twice after a span that kept up, above the bound the span started with; never past the ceiling). Answers whether there is room now.
   */
  grow(inFlight: number): boolean {
    if (inFlight < this.bound) return true;
    const step = Math.max(Math.ceil(1.25 * this.spanBound), this.spanBound + MIN_WINDOW);
    this.hitBound = true;
    const most = Math.min(this.ceiling, this.keptUp ? Math.max(this.spanBound, Math.min(FREE * this.spanBound, this.needed)) : step);
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
    const heldBack = s.sent - sp.sent < KEPT_UP * (s.due - sp.due);
    // In flight many times what the answer rate needs at the best latency seen (Little's law): it
    // waits in the target's queue rather than being served. A bound that got there at once (a
    // hiccup right after a good span) never "grew" over a span: without this it stayed there.
    const queueing = s.inFlight > (QUEUED * rate * this.bestLatencyMs) / 1000 + MIN_WINDOW;
    // The first span judged has no rate before it to compare with: what it had in flight tells,
    // so that a saturated target is seen a span sooner (~1.2 s instead of ~1.8 s from the start).
    const helped = this.bestRate > 0 ? rate >= HELPED * this.bestRate : !queueing;
    this.needed = Number.isFinite(this.bestLatencyMs) ? Math.ceil((QUEUED * Math.max(rate, dueRate) * this.bestLatencyMs) / 1000) + MIN_WINDOW : Infinity;
    // Evidence of saturation comes only from spans in which the bound held requests back. A span
    // that met demand at the bound with a queue in the target (offered about what it can answer)
    // says nothing either way, so spans that alternate between the two no longer clear it; one
    // that met it with what the answers need in flight (a slow target) does clear it.
    if (!this.hitBound) this.suspect = 0;
    else if (unmet) this.suspect = (grew || (heldBack && queueing)) && !helped ? this.suspect + 1 : 0;
    else if (!queueing) this.suspect = 0;
    if (this.suspect >= 2 && Number.isFinite(this.bestLatencyMs)) {
      this.suspect = 0;
      // Little's law with what the target showed it can do: twice its answer rate × its best latency.
      const little = Math.ceil((2 * rate * this.bestLatencyMs) / 1000);
      this.ceiling = Math.min(this.cap, clamp(little, SATURATED_FLOOR, Math.max(SATURATED_FLOOR, sp.inFlight)));
      this.bound = Math.min(this.bound, this.ceiling);
      this.holdUntilMs = s.nowMs + HOLD_MS;
      this.saturations++;
      this.bestRate = 0; // the probes from here are judged against what the lowered bound brings
    }
    this.bestRate = Math.max(this.bestRate, rate);
    this.keptUp = !unmet && s.sent - sp.sent >= KEPT_UP * (s.due - sp.due);
    this.startSpan(s);
  }

  private startSpan(s: WindowSample): void {
    this.bestLatencyMs = Math.min(this.bestLatencyMs, s.minLatencyMs);
    this.spanBound = this.bound;
    this.hitBound = false;
    this.span = { nowMs: s.nowMs, due: s.due, sent: s.sent, ended: s.ended, inFlight: s.inFlight };
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
