/**
 * Every limiter answers one question: of `n` requests arriving at time `now` (seconds, any
 * epoch, from an injected clock), how many pass? `over` > 0 says the n arrivals were spread
 * evenly over [now − over, now] (the simulator's ticks, a fluid model); `over` = 0 (default)
 * says they arrived at the instant `now` (the emulator, one request at a time).
 */
export interface Limiter {
  take(now: number, n: number, over?: number): number;
}

/** A clock in seconds. The emulator passes the real one; tests and the simulator pass their own. */
export type Clock = () => number;

export const realClock: Clock = () => performance.timeOrigin / 1000 + performance.now() / 1000;

/**
 * What the simulator's fast-forward asks of a limiter (the emulator never does). Each limiter has
 * one name per view of its state: `fingerprint` is the steady-state view, `snapshot` the full one.
 */
export interface FastForward {
  /** Equal across two ticks with equal flows ⇒ the next tick answers the same; undefined while state still moves. */
  fingerprint(): string | undefined;
  /**
   * Full state relative to `now` (the periodic check: equal at two period starts ⇒ the period repeats).
   * Absent where the steady-state view is the full state (then `fingerprint` answers).
   */
  snapshot?(now: number): string;
  /** Every clock moves forward by dt (a whole period replayed); `extra`: uses counted meanwhile (quotas). */
  shift(dt: number, extra?: number): void;
  /** The steady state held from the last take until `t`. */
  skipTo(t: number): void;
  /** Until when repeating the last tick's flow cannot change the answer (quota resets and exhaustion); absent: forever. */
  steadyUntil?(now: number): number;
}

/**
 * A WAF rule's verdicts known ahead for a whole simulated run (the simulator's trace,
 * simulate/waf-trace.ts): the gateway reads them instead of judging its keys itself.
 */
export interface WafVerdicts {
  /** The share of `key`'s requests over (now − over, now] (epoch seconds) that the rule blocks. */
  share(key: string, now: number, over: number): number;
  /** Until when (epoch seconds) every key keeps the verdict it has in the second from `now`. */
  steadyUntil(now: number): number;
}
