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
