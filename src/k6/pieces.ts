/**
 * A cohort's rate profile as straight pieces k6 can follow: holds for constant stretches, one line
 * per ramp, and chords of the curves (exponential, diurnal) refined until each chord's area
 * matches the exact integral; over a run longer than the scenario, every repetition's pieces.
 */
import type { Segment } from '../scenario/types.ts';
import { arrivalsBetween, constantUntil, profileDuration, rateAt } from '../scenario/profile.ts';

/** A stretch of the profile drawn as a straight line: rate `from` at t0 to `to` at t1 (rps). */
export interface Piece {
  t0: number;
  t1: number;
  from: number;
  to: number;
}

/** Relative error allowed on the area of one chord. */
const CURVE_TOLERANCE = 0.0005;
/**
 * Chords per characteristic time of a curve: 48 per diurnal period (half-hour chords of a day),
 * 12 per exponential step (a chord strays < 0.1 % from a doubling curve); refine() then adds
 * chords wherever the area is still off.
 */
const CHORDS_PER_PERIOD = 48;
const CHORDS_PER_STEP = 12;
/** The planner cuts at whole milliseconds: k6 durations are written to the millisecond. */
const MS = 0.001;

/**
 * How long the k6 run lasts, when not one pass of the profile: `durationSeconds` of the scenario
 * repeated every `periodSeconds` (its length), repetition k k·period ahead (diurnal curves go on).
 */
export interface RepeatOptions {
  durationSeconds: number;
  periodSeconds: number;
}

/**
 * The pieces of every repetition in [0, duration): the profile k·period ahead, moved to k·period,
 * silent from its end to the next repetition, and cut (by interpolation) at the run's end.
 */
export function repeatedPieces(segments: readonly Segment[], r: RepeatOptions): Piece[] {
  const own = profileDuration(segments as Segment[]);
  const out: Piece[] = [];
  if (!(r.periodSeconds > 0)) return out;
  for (let k = 0; k * r.periodSeconds < r.durationSeconds - MS / 2; k++) {
    const start = k * r.periodSeconds;
    const at = (t: number) => snap(start + t);
    for (const p of piecesOf(segments, start)) {
      if (at(p.t0) >= r.durationSeconds) break;
      const t1 = Math.min(at(p.t1), r.durationSeconds);
      const to = t1 < at(p.t1) ? p.from + ((p.to - p.from) * (t1 - at(p.t0))) / (at(p.t1) - at(p.t0)) : p.to;
      out.push({ t0: at(p.t0), t1, from: p.from, to });
    }
    const end = Math.min(start + r.periodSeconds, r.durationSeconds);
    if (start + own < end - MS / 2) out.push({ t0: snap(start + own), t1: snap(end), from: 0, to: 0 });
  }
  return out;
}

/** The profile as straight pieces, segment by segment (played `ahead` seconds on: a later repetition). */
export function piecesOf(segments: readonly Segment[], ahead = 0): Piece[] {
  const segs = segments as Segment[];
  const out: Piece[] = [];
  let a = 0;
  for (const seg of segments) {
    const b = a + seg.duration;
    let t = a;
    while (t < b - MS / 2) {
      const c = Math.min(snap(constantUntil(segs, t, ahead)), b);
      if (c > t + MS / 2) {
        const r = rateAt(segs, t, ahead);
        out.push({ t0: t, t1: c, from: r, to: r });
        t = c;
        continue;
      }
      if (seg.kind === 'ramp') {
        // a ramp is already linear: one stage, ending exactly on the ramp's `to`
        out.push({ t0: t, t1: b, from: rateAt(segs, t), to: seg.to });
      } else {
        // one by one: a long curve's chords spread into push() overflow the call stack
        for (const c of chords(segs, t, b, chordLength(seg), ahead)) out.push(c);
      }
      t = b;
    }
    a = b;
  }
  return out;
}

/** Chords of a curved stretch [t0, t1): short enough to follow its shape, refined until its area is right. */
function chords(segs: Segment[], t0: number, t1: number, chordSeconds: number, ahead: number): Piece[] {
  const n = Math.max(1, Math.ceil((t1 - t0) / chordSeconds));
  const cuts: number[] = [];
  for (let i = 0; i <= n; i++) cuts.push(i === n ? t1 : snap(t0 + ((t1 - t0) * i) / n));
  const out: Piece[] = [];
  for (let i = 0; i < n; i++) refine(segs, cuts[i], cuts[i + 1], t1, out, 0, ahead);
  return out;
}

function refine(segs: Segment[], x: number, y: number, end: number, out: Piece[], depth: number, ahead: number): void {
  if (y - x < MS / 2) return;
  const from = rateAt(segs, x, ahead);
  const to = y >= end ? leftLimit(segs, y, ahead) : rateAt(segs, y, ahead);
  const exact = arrivalsBetween(segs, x, y, ahead);
  const chord = ((from + to) / 2) * (y - x);
  const mid = snap((x + y) / 2);
  if (Math.abs(chord - exact) > CURVE_TOLERANCE * Math.max(exact, 1e-9) && depth < 12 && mid - x >= MS && y - mid >= MS) {
    refine(segs, x, mid, end, out, depth + 1, ahead);
    refine(segs, mid, y, end, out, depth + 1, ahead);
    return;
  }
  out.push({ t0: x, t1: y, from, to });
}

/** The rate just before `t` (the end of a curved segment, where rateAt already answers for the next one). */
function leftLimit(segs: Segment[], t: number, ahead: number): number {
  return rateAt(segs, Math.max(0, t - 1e-7), ahead);
}

/** How long a chord may be: short enough to follow the curve's shape, not just its area. */
function chordLength(seg: Segment): number {
  switch (seg.kind) {
    case 'diurnal':
      return seg.period / CHORDS_PER_PERIOD;
    case 'exponential':
      return seg.every / CHORDS_PER_STEP;
    default:
      return seg.duration / CHORDS_PER_STEP;
  }
}

function snap(t: number): number {
  return Number.isFinite(t) ? Math.round(t / MS) * MS : t;
}

/** Joins neighbouring pieces that continue one another (same constant rate across a segment boundary). */
export function mergePieces(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.from === last.to && p.from === p.to && last.to === p.from && Math.abs(last.t1 - p.t0) < MS / 2) {
      last.t1 = p.t1;
    } else {
      out.push({ ...p });
    }
  }
  return out;
}

/** Drops silent stretches at both ends: the leading one becomes the scenario's startTime. */
export function trimZeros(pieces: Piece[]): Piece[] {
  let i = 0;
  let j = pieces.length;
  while (i < j && pieces[i].from === 0 && pieces[i].to === 0) i++;
  while (j > i && pieces[j - 1].from === 0 && pieces[j - 1].to === 0) j--;
  return pieces.slice(i, j);
}

