/** What the dispatcher is given (cohorts, target, bounds, timeouts) and what it reports back. */
import type { Role } from '../model/timeline.ts';
import type { ApiKindForClassify } from './classify.ts';
import type { IdentityPlan } from './identity.ts';
import type { Recorder } from './recorder.ts';
import type { RequestMix } from './request-mix.ts';
import type { ArrivalSchedule } from './schedule.ts';

export interface DispatchCohort {
  name: string;
  role: Role;
  method: string;
  /** Path as sent, the target's base path included ("/prod/items"). */
  path: string;
  bodyBytes: number;
  /** The x-api-key this client holds, if the cohort holds keys. */
  apiKey?: (client: number) => string | undefined;
  /** What an unmarked 403 "Forbidden" means for this cohort's requests (see classify.ts). */
  plainForbidden?: 'wafBlocked' | 'authRejected';
  /** A weighted mix of requests: each send takes the mix's next one instead of method/path/body. */
  mix?: RequestMix;
  /** Each request's X-Forwarded-For starts with a fresh forged address (the client's own follows). */
  forgeForwardedFor?: boolean;
}

export interface DispatchOptions {
  /** Scheme, host and port of the target ("http://127.0.0.1:8787"). Checked by the caller. */
  origin: string;
  cohorts: readonly DispatchCohort[];
  identities: IdentityPlan;
  apiKind: ApiKindForClassify;
  schedule: ArrivalSchedule;
  recorder: Recorder;
  /** Cap on open connections; with no pipelining also the in-flight bound. */
  connections: number;
  /**
   * Size the in-flight bound from what is measured (in-flight-window.ts), starting at `initial`,
   * never above `connections`. Without it every connection up to the cap is used on demand.
   */
  sizing?: { initial: number };
  /** Bound on requests in flight (default, and at most: `connections`). */
  maxInFlight?: number;
  lateToleranceMs?: number;
  /** Our own give-up time for one request (default 35 s: above API Gateway's 29/30 s). */
  requestTimeoutMs?: number;
  /** After the last request is sent (or a stop), how long answers are waited for (default: requestTimeoutMs). */
  drainTimeoutMs?: number;
  /** After a stop by signal, how long answers are waited for (default 2 s). */
  interruptDrainMs?: number;
  /** No HTTP answer for this long, and connection errors meanwhile: the target is gone (default 5 s). */
  deadTargetSeconds?: number;
  /** Aborting it ends the run cleanly (Ctrl-C). */
  signal?: AbortSignal;
  /** Called about every second with the elapsed run time (progress lines). */
  onTick?: (elapsedSeconds: number) => void;
}

export type StopReason = 'completed' | 'interrupted' | 'target-unreachable';

export interface DispatchReport {
  reason: StopReason;
  /** Seconds of schedule the run covered (the planned length when completed). */
  durationSeconds: number;
  /** Requests still in flight when waiting for them ended (booked as connection errors). */
  abandoned: number;
  /** The most frequent connection error text, for a plain warning ("ECONNREFUSED"). */
  firstConnectionError?: string;
  /** Most connections open at once. */
  peakConnections: number;
  peakInFlight: number;
  /** With `sizing`: how often the target was found saturated (the bound lowered), and the bound at the end. */
  saturations?: number;
  finalWindow?: number;
}
