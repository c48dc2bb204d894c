/**
 * Sends each scheduled request at its due time over keep-alive connections, and hands every
 * answer to the recorder. The only piece of load/ that touches sockets.
 *
 * Open model: the schedule decides when requests are due, the target's speed does not. A request
 * that cannot go out within `lateToleranceMs` of its due time — the event loop stalled, or the
 * in-flight bound is reached — is booked as dropped: never sent late, never bunched into a burst.
 *
 * Connections (connection-pool.ts): one request at a time on each (no pipelining); a new one only
 * when every open one is busy, so their number follows rate × observed latency; `connections` caps it.
 * With `sizing`, an InFlightWindow bounds them further: started from the expected latency, grown
 * on demand, and lowered when more in flight stopped bringing more answers (in-flight-window.ts).
 * An answer hands the next due request straight to the connection it freed (see `answered`).
 * Each client's whole request (head and body) is built once per rotation epoch (request-bytes.ts).
 */
import type { Http1Connection, Origin } from './http1-connection.ts';
import { answerOutcome } from './answer-outcome.ts';
import { ArrivalQueue } from './arrival-queue.ts';
import { ConnectionPool, CONNECT_AHEAD } from './connection-pool.ts';
import { ErrorTally } from './error-tally.ts';
import type { DispatchOptions, DispatchReport, StopReason } from './dispatch-types.ts';
import { InFlightWindow } from './in-flight-window.ts';
import { RequestBytes } from './request-bytes.ts';
import { ResponseHandler, type ResponseSink } from './response-handler.ts';
import type { Arrival, ArrivalSchedule } from './schedule.ts';

export type { DispatchCohort, DispatchOptions, DispatchReport, StopReason } from './dispatch-types.ts';

/** Longest single sleep through a silent stretch (timers overflow past 24.8 days). */
const MAX_SLEEP_MS = 60_000;

class DriverRun implements ResponseSink {
  private readonly pool: ConnectionPool;
  private readonly startMs = performance.now();
  private readonly tolerance: number;
  private readonly bound: number;
  private readonly requestTimeout: number;
  /** Due, not yet sent (oldest first); its tail record holds `upcoming` while that is not due. */
  private readonly pending = new ArrivalQueue();
  private readonly window: InFlightWindow | undefined;
  // Totals the window is fed every tick.
  private dueCount = 0;
  private sentCount = 0;
  private endedCount = 0;
  private minLatencyMs = Infinity;
  /** The next arrival, taken from the schedule but not yet due. */
  private upcoming: Arrival | undefined;
  private inFlight = 0;
  private peakInFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private scheduleDone = false;
  private stopped: StopReason | undefined;
  private stopAtMs: number | undefined;
  private lastAnswerMs: number;
  private errorsSinceAnswer = 0;
  private readonly errors = new ErrorTally();
  private abandoned = 0;
  private lastTickSecond = 0;
  private readonly requests: RequestBytes;
  private resolve!: (r: DispatchReport) => void;
  readonly done: Promise<DispatchReport>;

  constructor(private readonly o: DispatchOptions) {
    this.tolerance = o.lateToleranceMs ?? 50;
    this.bound = Math.max(1, o.maxInFlight ?? o.connections);
    if (o.sizing) this.window = new InFlightWindow(this.bound, o.sizing.initial);
    this.requestTimeout = o.requestTimeoutMs ?? 35_000;
    this.lastAnswerMs = this.startMs;
    const url = new URL(o.origin);
    const target: Origin = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), tls: url.protocol === 'https:' };
    this.pool = new ConnectionPool(target, Math.max(1, o.connections));
    this.requests = new RequestBytes(url.host, o.cohorts, o.identities);
    this.done = new Promise((r) => (this.resolve = r));
    if (o.signal?.aborted) this.stop('interrupted');
    o.signal?.addEventListener('abort', () => this.stop('interrupted'), { once: true });
    this.housekeeping = setInterval(() => this.tick(), 200);
    this.pump();
  }

  private nowMs(): number {
    return performance.now();
  }

  private elapsed(now: number): number {
    return (now - this.startMs) / 1000;
  }

  /** Takes every arrival that is due, sends what it can, books what it cannot, sleeps until the next. */
  private pump = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.nowMs();
    const s = this.o.schedule;
    // One arrival is held back from the schedule until it is due: taking each one once, rather than
    // peeking at it first, halves the schedule's work per request.
    // Arrivals are written straight into the queue's next free record; one not yet due stays there
    // (upcoming), unqueued, until it is.
    const q = this.pending;
    let a = this.upcoming ?? this.take(s, q);
    while (a !== undefined && this.startMs + a.at * 1000 <= now + 0.5) {
      this.dueCount++;
      // Already too late (the loop stalled): booked at once, so a long stall costs no memory.
      if (now - (this.startMs + a.at * 1000) > this.tolerance) this.o.recorder.dropped(a.cohort, Math.floor(a.at));
      else q.push();
      a = this.take(s, q);
    }
    this.upcoming = a;
    this.sendPending(now);
    if (a === undefined) {
      this.scheduleDone = true;
      this.maybeFinish();
      return;
    }
    const delay = Math.min(MAX_SLEEP_MS, this.startMs + a.at * 1000 - now);
    this.timer = setTimeout(this.pump, delay > 1 ? delay - 0.5 : 0);
  };

  /** The schedule's next arrival, written into the queue's free record (not queued yet). */
  private take(s: ArrivalSchedule, q: ArrivalQueue): Arrival | undefined {
    const slot = q.tail();
    return s.nextInto(slot) ? slot : undefined;
  }

  /**
   * Sends what is due, oldest first, on free connections, and books what is too late as dropped.
   * `freed` is a connection just released by an answer: it takes the first request.
   */
  private sendPending(now: number, freed?: Http1Connection): void {
    const p = this.pending;
    while (p.length > 0) {
      const a = p.at(0);
      const due = this.startMs + a.at * 1000;
      if (now - due > this.tolerance) {
        this.o.recorder.dropped(a.cohort, Math.floor(a.at));
        p.shift();
        continue;
      }
      // Past the bound, or more connections still opening than CONNECT_AHEAD: wait (up to the
      // tolerance) for a free one. Without the second rule a fast start opens a connection per
      // request until the first handshakes finish — hundreds at once, slowing every one of them.
      if (this.inFlight >= this.bound || this.inFlight >= this.pool.connected + CONNECT_AHEAD) break;
      if (this.window !== undefined && !this.window.grow(this.inFlight)) break;
      let client = freed;
      if (client !== undefined) freed = undefined;
      else client = this.pool.take();
      if (client === undefined) break;
      // off the queue first (a send never re-enters here, but if it did it must not send `a` twice);
      // its record is not refilled before the next push, after this send has read it
      p.shift();
      this.send(a, due, now, client);
    }
    if (freed !== undefined) this.pool.release(freed);
  }

  private send(a: Arrival, dueMs: number, nowMs: number, client: Http1Connection): void {
    const second = Math.floor(a.at);
    this.inFlight++;
    this.sentCount++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    this.o.recorder.sent(a.cohort, second);
    const h = this.handlerOf(client).start(a.cohort, second, dueMs, nowMs);
    const request = this.requests.of(a);
    if (request === undefined) {
      // a header value that cannot go on the wire (a line break in a key): this request fails
      setImmediate(() => h.onError(Object.assign(new Error('invalid header value'), { code: 'INVALID_HEADER' })));
      return;
    }
    client.send(request, h, this.requests.head, nowMs);
  }

  private handlerOf(client: Http1Connection): ResponseHandler {
    let h = client.exchange as ResponseHandler | undefined;
    if (h === undefined) client.exchange = h = new ResponseHandler(this, client);
    return h;
  }

  answered(r: ResponseHandler): void {
    this.inFlight--;
    this.endedCount++;
    const now = this.nowMs();
    if (now - r.sentMs < this.minLatencyMs) this.minLatencyMs = now - r.sentMs;
    this.lastAnswerMs = now;
    this.errorsSinceAnswer = 0;
    const outcome = answerOutcome(r, this.o.apiKind, this.o.cohorts);
    // Latency from the DUE time, not the send time: a late send is the driver's delay, and showing
    // it keeps the figures honest (no coordinated omission).
    this.o.recorder.answered(r.cohort, r.second, outcome, now - r.dueMs, r.bytes);
    if (this.stopped) this.pool.release(r.client);
    // The next due request goes straight onto the connection just freed, written at once: no trip
    // through the idle list, no extra turn of the loop.
    else this.sendPending(now, r.client);
    this.maybeFinish();
  }

  failed(r: ResponseHandler, err: Error): void {
    this.inFlight--;
    this.endedCount++;
    if (!this.pool.closed) {
      this.errorsSinceAnswer++;
      this.errors.add(err);
    }
    this.o.recorder.connectionError(r.cohort, r.second);
    this.pool.release(r.client);
    // Never send from inside an error callback: a connection that cannot connect fails every
    // request queued on it from within that callback, so a send here would fail at once, and the
    // next, until nothing due was left. Waiting requests go out on the next turn of the loop.
    if (!this.stopped && this.pending.length > 0) {
      if (!this.refillScheduled) {
        this.refillScheduled = true;
        setImmediate(this.refill);
      }
      return;
    }
    this.maybeFinish();
  }

  private refillScheduled = false;
  private refill = (): void => {
    this.refillScheduled = false;
    if (!this.stopped) this.sendPending(this.nowMs());
    this.maybeFinish();
  };

  private tick(): void {
    const now = this.nowMs();
    const el = this.elapsed(now);
    this.o.recorder.flush(Math.floor(el));
    this.pool.sweepTimeouts(now, this.requestTimeout);
    if (this.window !== undefined) {
      this.window.tick({ nowMs: now, due: this.dueCount, sent: this.sentCount, ended: this.endedCount, inFlight: this.inFlight, minLatencyMs: this.minLatencyMs });
      this.minLatencyMs = Infinity;
    }
    if (!this.stopped) {
      this.sendPending(now);
      const silentFor = (now - this.lastAnswerMs) / 1000;
      if (this.errorsSinceAnswer > 0 && silentFor >= (this.o.deadTargetSeconds ?? 5)) this.stop('target-unreachable');
    }
    if (Math.floor(el) > this.lastTickSecond) {
      this.lastTickSecond = Math.floor(el);
      this.o.onTick?.(el);
    }
  }

  stop(reason: StopReason): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.stopAtMs = this.nowMs();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Requests already due but still waiting for a slot did not go out: they are dropped.
    for (let i = 0; i < this.pending.length; i++) {
      const a = this.pending.at(i);
      if (a.at * 1000 + this.startMs <= this.stopAtMs) this.o.recorder.dropped(a.cohort, Math.floor(a.at));
    }
    this.pending.clear();
    this.upcoming = undefined;
    this.scheduleDone = true;
    const wait = reason === 'interrupted' ? (this.o.interruptDrainMs ?? 2000) : (this.o.drainTimeoutMs ?? this.requestTimeout);
    this.armDrain(wait);
    this.maybeFinish();
  }

  private armDrain(waitMs: number): void {
    if (this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      // Whatever has not answered by now never will, as far as this run is concerned.
      this.abandoned = this.inFlight;
      this.pool.close();
      // A destroyed connection fails every request it held; should one slip, do not hang the run.
      setTimeout(() => this.finish(), 1000).unref();
    }, waitMs);
  }

  private maybeFinish(): void {
    if (!this.scheduleDone) return;
    if (this.pending.length > 0) return;
    if (!this.stopped && !this.drainTimer) this.armDrain(this.o.drainTimeoutMs ?? this.requestTimeout);
    if (this.inFlight > 0) return;
    this.finish();
  }

  private finished = false;
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.housekeeping) clearInterval(this.housekeeping);
    if (this.drainTimer) clearTimeout(this.drainTimer);
    const planned = this.o.schedule.coveredSeconds();
    const durationSeconds =
      this.stopped === undefined ? planned : Math.min(planned, this.elapsed(this.stopAtMs ?? this.nowMs()));
    this.pool.close();
    this.resolve({
      reason: this.stopped ?? 'completed',
      durationSeconds,
      abandoned: this.abandoned,
      firstConnectionError: this.errors.mostFrequent(),
      peakConnections: this.pool.peakConnections,
      peakInFlight: this.peakInFlight,
      ...(this.window ? { saturations: this.window.saturations, finalWindow: this.window.limit } : {}),
    });
  }
}

/** Drives the schedule at the target until it ends, is interrupted, or the target is gone. */
export function dispatch(opts: DispatchOptions): Promise<DispatchReport> {
  return new DriverRun(opts).done;
}
