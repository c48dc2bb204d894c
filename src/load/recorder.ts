/**
 * Counts what came back: per second, per cohort, per outcome (the Totals of a Timeline), plus
 * latency histograms. Every request is booked in the second it was DUE, so a second's line is
 * final once all its requests have answered; finished seconds are appended to the run file as
 * NDJSON while the run goes on (a crash loses at most the seconds still in flight).
 *
 * Memory stays flat: latency lives in HDR histograms (node:perf_hooks), seconds still open are
 * bounded by the request timeout, and the in-memory timeline is kept at a bucket size chosen for
 * the planned run length (chooseBucketSeconds), whatever that is.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { Outcome } from '../model/outcomes.ts';
import { GATEWAY_BILLED_OUTCOMES, OUTCOMES } from '../model/outcomes.ts';
import { addTotals, emptyTotals, sumTotals, withInvoked, type Totals } from '../model/totals.ts';
import { latencySummary } from './latency.ts';
import { chooseBucketSeconds, type LatencySummary, type Role, type Source, type Timeline } from '../model/timeline.ts';

export interface RecorderCohort {
  name: string;
  role: Role;
}

export interface RecorderOptions {
  cohorts: readonly RecorderCohort[];
  source: Extract<Source, 'emulator' | 'staging'>;
  /** Wall-clock start of the run (second 0). */
  startTime: Date;
  /** The run's planned length; sets the in-memory bucket size. */
  plannedSeconds: number;
  /** Where finished seconds are appended (NDJSON); none: keep them in memory only. */
  runFile?: string;
  /** Extra facts for the run file's first line (never secrets). */
  header?: Record<string, unknown>;
  /**
   * API Gateway billing units of one request of each cohort that reaches the integration (REST 1,
   * HTTP API per 512 KB, function URL 0); default 1. Feeds `billedApiRequests`.
   */
  billedUnits?: readonly number[];
}

/** One second of one run, as appended to the run file. */
export interface RunFileSecond {
  type: 'second';
  t: number;
  cohorts: Record<string, Partial<Totals>>;
  /** Counts booked into this second after its first line was written: add them to it. */
  late?: true;
}

const BILLED = Object.fromEntries(OUTCOMES.map((o) => [o, GATEWAY_BILLED_OUTCOMES.includes(o)])) as Record<Outcome, boolean>;

interface OpenSecond {
  cohorts: Totals[];
  inFlight: number;
}

export class Recorder {
  readonly cohorts: readonly RecorderCohort[];
  readonly source: Extract<Source, 'emulator' | 'staging'>;
  readonly startTime: Date;
  readonly bucketSeconds: number;
  private readonly open = new Map<number, OpenSecond>();
  private nextToFlush = 0;
  private lastSecond = -1; // highest second anything was booked in
  private readonly buckets: Totals[][]; // [cohort][bucket]
  private readonly running: Totals[]; // per cohort, everything so far (for progress lines)
  private readonly latency: RecordableHistogram[];
  private fd: number | undefined;
  private ended = false;
  private readonly units: readonly number[];
  private lastSlotSecond = -1;
  private lastSlot: OpenSecond | undefined;

  constructor(opts: RecorderOptions) {
    this.cohorts = opts.cohorts;
    this.source = opts.source;
    this.startTime = opts.startTime;
    this.bucketSeconds = chooseBucketSeconds(Math.max(1, opts.plannedSeconds));
    this.buckets = opts.cohorts.map(() => []);
    this.running = opts.cohorts.map(() => emptyTotals());
    this.latency = opts.cohorts.map(() => createHistogram());
    this.units = opts.billedUnits ?? opts.cohorts.map(() => 1);
    if (opts.runFile) {
      this.fd = openSync(opts.runFile, 'a');
      this.append({
        type: 'start',
        schema: 'dowsim.run/1',
        startTime: opts.startTime.toISOString(),
        source: opts.source,
        cohorts: opts.cohorts,
        ...opts.header,
      });
    }
  }

  /** The request was due but could not be sent in time (late or in-flight at its bound). */
  dropped(cohort: number, second: number): void {
    this.slot(second).cohorts[cohort].dropped++;
    this.running[cohort].dropped++;
  }

  /** The request went out on a connection. */
  sent(cohort: number, second: number): void {
    const s = this.slot(second);
    s.cohorts[cohort].offered++;
    s.inFlight++;
    this.running[cohort].offered++;
  }

  /** An HTTP answer came back and was classified. */
  answered(cohort: number, second: number, outcome: Outcome, latencyMs: number, bytes: number): void {
    const s = this.slot(second);
    const t = s.cohorts[cohort];
    t[outcome]++;
    t.bytesOut += bytes;
    s.inFlight--;
    const r = this.running[cohort];
    r[outcome]++;
    r.bytesOut += bytes;
    if (BILLED[outcome]) {
      t.billedApiRequests += this.units[cohort];
      r.billedApiRequests += this.units[cohort];
    }
    this.latency[cohort].record(Math.max(1, Math.round(latencyMs * 1000)));
  }

  /** The request never got an HTTP answer (refused, reset, timed out on our side, abandoned). */
  connectionError(cohort: number, second: number): void {
    const s = this.slot(second);
    s.cohorts[cohort].connectionErrors++;
    s.inFlight--;
    this.running[cohort].connectionErrors++;
  }

  /**
   * Appends every finished second: one whose requests have all answered, and which ended more than
   * a second ago (a request due at its very end may still be waiting for its send slot).
   */
  flush(currentSecond: number): void {
    while (this.nextToFlush < currentSecond - 1) {
      const s = this.open.get(this.nextToFlush);
      if (s && s.inFlight > 0) return; // keep the run file in order: wait for its stragglers
      this.close(this.nextToFlush, s);
    }
  }

  /** Running totals per cohort (cheap; for the progress line). */
  runningTotals(): Totals {
    return withInvoked(sumTotals(this.running));
  }

  /** Ends the run at `durationSeconds`: flushes every second and closes the run file. */
  finish(durationSeconds: number, footer?: Record<string, unknown>): Timeline {
    if (!this.ended) {
      const last = Math.max(this.lastSecond, Math.ceil(durationSeconds) - 1);
      while (this.nextToFlush <= last) this.close(this.nextToFlush, this.open.get(this.nextToFlush));
      // A second booked into after it was written (a stall of over a second): written again, late.
      for (const sec of [...this.open.keys()].sort((a, b) => a - b)) this.close(sec, this.open.get(sec), true);
      this.append({ type: 'end', durationSeconds, latency: this.latencySummaries(), ...footer });
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
      this.ended = true;
    }
    return this.timeline(durationSeconds);
  }

  /** The client-observed timeline so far (source 'emulator' or 'staging'). */
  timeline(durationSeconds: number): Timeline {
    const nBuckets = Math.max(1, Math.ceil(durationSeconds / this.bucketSeconds));
    const latency = this.latencySummaries();
    return {
      source: this.source,
      startTime: this.startTime.toISOString(),
      durationSeconds,
      bucketSeconds: this.bucketSeconds,
      cohorts: this.cohorts.map((c, i) => {
        const buckets: Totals[] = [];
        for (let j = 0; j < nBuckets; j++) buckets.push(withInvoked(addTotals(emptyTotals(), this.buckets[i][j] ?? {})));
        // Seconds still open (not yet flushed) belong in the picture too.
        for (const [sec, s] of this.open) {
          const j = Math.min(nBuckets - 1, Math.floor(sec / this.bucketSeconds));
          withInvoked(addTotals(buckets[j], s.cohorts[i]));
        }
        const out: Timeline['cohorts'][number] = { name: c.name, role: c.role, buckets };
        if (latency[c.name]) out.latency = latency[c.name];
        return out;
      }),
    };
  }

  latencySummaries(): Record<string, LatencySummary> {
    const out: Record<string, LatencySummary> = {};
    this.cohorts.forEach((c, i) => {
      const summary = latencySummary(this.latency[i]);
      if (summary) out[c.name] = summary;
    });
    return out;
  }

  private slot(second: number): OpenSecond {
    // Nearly every booking lands in the second before: keep it at hand (the Map is for the rest).
    if (second === this.lastSlotSecond && this.lastSlot !== undefined) return this.lastSlot;
    let s = this.open.get(second);
    if (!s) {
      s = { cohorts: this.cohorts.map(() => emptyTotals()), inFlight: 0 };
      this.open.set(second, s);
      if (second > this.lastSecond) this.lastSecond = second;
    }
    this.lastSlotSecond = second;
    this.lastSlot = s;
    return s;
  }

  private close(second: number, s: OpenSecond | undefined, late = false): void {
    const line: RunFileSecond = { type: 'second', t: second, cohorts: {} };
    if (late) line.late = true;
    this.cohorts.forEach((c, i) => {
      const t = s?.cohorts[i];
      line.cohorts[c.name] = t ? compact(withInvoked(t)) : {};
      if (t) {
        const j = Math.floor(second / this.bucketSeconds);
        const col = this.buckets[i];
        while (col.length <= j) col.push(emptyTotals());
        addTotals(col[j], t);
      }
    });
    this.append(line);
    this.open.delete(second);
    if (this.lastSlotSecond === second) this.lastSlot = undefined;
    if (second >= this.nextToFlush) this.nextToFlush = second + 1;
  }

  private append(obj: unknown): void {
    if (this.fd === undefined) return;
    // One write per line: a crash leaves whole lines behind, never half a second.
    writeSync(this.fd, JSON.stringify(obj) + '\n');
  }
}

function compact(t: Totals): Partial<Totals> {
  const out: Partial<Totals> = {};
  for (const k of Object.keys(t) as (keyof Totals)[]) if (t[k] !== 0) out[k] = t[k];
  return out;
}

/** Outcomes booked so far, in DESIGN order, for a one-line summary ("succeeded 1,100 · …"). */
export function outcomeLine(t: Totals): string {
  const parts: string[] = [];
  for (const o of OUTCOMES) if (t[o] > 0) parts.push(`${o} ${t[o].toLocaleString('en-US')}`);
  if (t.connectionErrors > 0) parts.push(`connectionErrors ${t.connectionErrors.toLocaleString('en-US')}`);
  if (t.dropped > 0) parts.push(`dropped ${t.dropped.toLocaleString('en-US')}`);
  return parts.join(' · ') || 'no answers yet';
}
