/**
 * A scenario lasting S seconds repeats to fill a longer horizon or run (DESIGN: "a longer
 * --horizon repeats it"); repetition k plays its profiles with their clock k·S ahead, so diurnal
 * segments follow their period across repetitions (profile.ts). This file answers when the
 * traffic itself repeats: what a simulator may fold, or a sampler needs to look at.
 */
import { arrivalsBetween, profileDuration } from './profile.ts';
import type { Segment } from './types.ts';

/**
 * A profile's arrivals over [t0, t1) of a run that repeats the scenario every `period` seconds:
 * each repetition k contributes its part, played k·period ahead; silent from the profile's end
 * to the period's.
 */
export function repeatedArrivals(segments: readonly Segment[], t0: number, t1: number, period: number): number {
  const own = profileDuration(segments);
  let total = 0;
  for (let s = t0; s < t1 - 1e-12; ) {
    const start = Math.floor(s / period + 1e-9) * period;
    const e = Math.min(t1, start + period);
    if (s - start < own) total += arrivalsBetween(segments, s - start, Math.min(e - start, own), start);
    s = e > s ? e : t1; // float guard: always make progress
  }
  return total;
}

/** The periods of the diurnal segments whose curve moves (amplitude > 0): the only shapes that read `ahead`. */
export function diurnalPeriods(profiles: readonly (readonly Segment[])[]): number[] {
  const out = new Set<number>();
  for (const segments of profiles) for (const s of segments) if (s.kind === 'diurnal' && s.amplitude > 0) out.add(s.period);
  return [...out];
}

/**
 * After how many seconds the traffic of a scenario lasting S seconds, repeated, comes round again:
 * S itself without moving diurnal segments, else lcm(S, every diurnal period) counted in whole
 * milliseconds (a 1 h scenario with a 24 h curve: 24 h). undefined when a length is not a whole
 * number of milliseconds or the answer exceeds `limit` seconds: then nothing repeats in view.
 */
export function trafficPeriod(profiles: readonly (readonly Segment[])[], S: number, limit = Infinity): number | undefined {
  const periods = diurnalPeriods(profiles);
  if (periods.length === 0) return S;
  let l = wholeMs(S);
  for (const p of periods) {
    const m = wholeMs(p);
    if (l === undefined || m === undefined) return undefined;
    l = (l / gcd(l, m)) * m;
    if (!(l <= limit * 1000) || !Number.isSafeInteger(l)) return undefined;
  }
  return l === undefined ? undefined : l / 1000;
}

function wholeMs(seconds: number): number | undefined {
  const ms = Math.round(seconds * 1000);
  return ms > 0 && Math.abs(ms - seconds * 1000) < 1e-6 ? ms : undefined; // within a nanosecond: float noise only
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
