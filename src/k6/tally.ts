/**
 * What an import has counted so far, per cohort and per second: responses by status, the hints
 * the script recorded beside them, bytes received, iterations k6 dropped, and latencies (an HDR
 * histogram, so memory stays flat however many requests a run made).
 */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { Role } from '../model/timeline.ts';
import { hintKey, type ResponseHint } from './response-hints.ts';

export interface SecondTally {
  statuses: Map<number, number>;
  hints: Map<string, number>;
  /** Hints from the first few milliseconds of the second: their request may have ended in the second before. */
  earlyHints: Map<string, number>;
  bytesIn: number;
  dropped: number;
}

export interface CohortTally {
  name: string;
  role?: Role;
  seconds: Map<number, SecondTally>;
  latency: RecordableHistogram;
}

export class K6Tally {
  readonly cohorts = new Map<string, CohortTally>();
  /** Whether the run recorded response hints at all (a dowsim-generated script). */
  hintsRecorded = false;
  requests = 0;
  firstSecond = Infinity;
  lastSecond = -Infinity;
  /**
   * Epoch ms when the first and the last timed request went out (a point's time minus its
   * http_req_duration: k6 stamps request points when the response has come back).
   */
  firstMs = Infinity;
  lastMs = -Infinity;

  /** Counts `n` requests (one http_reqs point, or a summary's count) that ended with `status` (0: no answer). */
  request(cohort: string, role: Role | undefined, second: number, status: number, n = 1): void {
    if (n <= 0) return;
    const s = this.second(this.cohort(cohort, role), second);
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + n);
    this.requests += n;
  }

  /** One request's duration; `endMs` is when it ended (the point's time). */
  latency(cohort: string, role: Role | undefined, durationMs: number, endMs?: number): void {
    if (!(durationMs >= 0)) return;
    this.cohort(cohort, role).latency.record(Math.max(1, Math.round(durationMs * 1000)));
    if (endMs !== undefined) {
      const sent = endMs - durationMs;
      if (sent < this.firstMs) this.firstMs = sent;
      if (sent > this.lastMs) this.lastMs = sent;
      this.timed++;
    }
  }

  /** Requests whose start time is known (see firstMs). */
  timed = 0;

  hint(cohort: string, role: Role | undefined, second: number, hint: ResponseHint, n = 1, early = false): void {
    this.hintsRecorded = true;
    if (n <= 0) return;
    const s = this.second(this.cohort(cohort, role), second);
    const k = hintKey(hint);
    const map = early ? s.earlyHints : s.hints;
    map.set(k, (map.get(k) ?? 0) + n);
  }

  bytes(cohort: string, role: Role | undefined, second: number, n: number): void {
    this.second(this.cohort(cohort, role), second).bytesIn += n;
  }

  dropped(cohort: string, role: Role | undefined, second: number, n: number): void {
    this.second(this.cohort(cohort, role), second).dropped += n;
  }

  private cohort(name: string, role: Role | undefined): CohortTally {
    let c = this.cohorts.get(name);
    if (!c) {
      c = { name, role, seconds: new Map(), latency: createHistogram() };
      this.cohorts.set(name, c);
    } else if (!c.role && role) {
      c.role = role;
    }
    return c;
  }

  private second(c: CohortTally, second: number): SecondTally {
    let s = c.seconds.get(second);
    if (!s) {
      s = { statuses: new Map(), hints: new Map(), earlyHints: new Map(), bytesIn: 0, dropped: 0 };
      c.seconds.set(second, s);
      if (second < this.firstSecond) this.firstSecond = second;
      if (second > this.lastSecond) this.lastSecond = second;
    }
    return s;
  }
}

export { latencySummary } from '../load/latency.ts';
