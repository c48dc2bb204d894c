import { performance } from 'node:perf_hooks'; // not the global: that one is a lazy getter, read per call
import type { Stack } from '../stack/types.ts';
import type { Clock } from '../limits/types.ts';
import { lambdaModels, type LambdaModel } from '../limits/lambda.ts';
import type { GatewayAnswer } from '../model/gateway-responses.ts';
import { proxyEventV1, proxyEventV2, type ProxyRequest } from './proxy-event.ts';
import { mapResponseV1, mapResponseV2, type MappedResponse } from './proxy-response.ts';
import { functionHeaderLines } from './response-writer.ts';
import { invokeHandler, type HandlerOutcome, type LambdaHandler } from './user-handler.ts';

/** What the client gets: the function's own response, or one of API Gateway's canned answers. */
export type FunctionReply = { kind: 'function'; response: MappedResponse } | { kind: 'gateway'; answer: GatewayAnswer };

/** How an invocation ended, known once the function has stopped (possibly after the client was answered). */
export interface InvocationRecord {
  outcome: 'lambdaThrottled' | 'succeeded' | 'failed' | 'timedOut';
  coldStart: boolean;
  /** ms the handler ran (INIT excluded), for invocations. */
  durationMs?: number;
  /** ms from calling the integration to its answer reaching the gateway. */
  integrationLatencyMs?: number;
  functionError: boolean;
  gbSeconds: number;
  initGbSeconds: number;
}

/** One request's way through the function: how to build its proxy request, answer it (once; later answers are ignored), and close it. */
export interface InvocationSink {
  request(): ProxyRequest;
  reply(r: FunctionReply): void;
  done(r: InvocationRecord): void;
}

function synthetic(
  o: { outcome: InvocationRecord['outcome']; busySeconds: number; gbSeconds: number; initGbSeconds: number },
  coldStart: boolean,
  functionError: boolean,
  integrationLatencyMs: number,
): InvocationRecord {
  return { outcome: o.outcome, coldStart, durationMs: o.busySeconds * 1000, integrationLatencyMs, functionError, gbSeconds: o.gbSeconds, initGbSeconds: o.initGbSeconds };
}

const THROTTLED_REPLY: FunctionReply = { kind: 'gateway', answer: 'lambdaThrottled' };
const FAILED_REPLY: FunctionReply = { kind: 'gateway', answer: 'failed' };
const TIMED_OUT_REPLY: FunctionReply = { kind: 'gateway', answer: 'timedOut' };
const THROTTLED_RECORD: InvocationRecord = { outcome: 'lambdaThrottled', coldStart: false, functionError: false, gbSeconds: 0, initGbSeconds: 0 };

/**
 * The Lambda side of the emulator: concurrency, scaling and cold starts from `limits/` (the same
 * LambdaModels the simulator uses, one per function of the stack), and a handler — by default a synthetic one that holds the
 * request for a duration drawn from the stack's distribution, else the user's own module.
 */
export class LambdaRuntime {
  /** One per function of the stack (stackFunctions order, `lambda` first). */
  readonly models: LambdaModel[];
  /** The default function's (`lambda`). */
  readonly model: LambdaModel;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly okReply: FunctionReply;

  constructor(
    private readonly stack: Stack,
    private readonly clock: Clock,
    private readonly rng: () => number,
    private readonly handler: LambdaHandler | undefined,
    private readonly onConcurrency: (now: number, inFlight: number) => void,
  ) {
    this.models = lambdaModels(stack);
    this.model = this.models[0];
    const body = syntheticBody(stack.responseBytes);
    const headers: [string, string][] = [['content-type', 'application/json']];
    this.okReply = { kind: 'function', response: { status: 200, headers, body, lines: functionHeaderLines(headers, body.length) } };
  }

  /**
   * Invokes the function for one request that passed the gateway: `sink.reply` is called exactly
   * once, when the client's answer is known; `sink.done` once the function has ended (for a
   * timed-out invocation, after the reply). `sink.request()` is only asked for by a real handler.
   * `fn`: which function (index into `models`) serves the request's route; `now`: the clock at
   * the request's admission, when the caller has read it.
   */
  invoke(sink: InvocationSink, fn = 0, now = this.clock()): void {
    const t0 = performance.now();
    const model = this.models[fn] ?? this.model;
    const start = model.startInvocation(now);
    if (!start.ok) {
      sink.reply(THROTTLED_REPLY);
      sink.done(THROTTLED_RECORD);
      return;
    }
    this.onConcurrency(now, this.inFlight);
    if (this.handler) {
      this.runUser(model, start.cold, start.initSeconds, t0, sink).then(
        (r) => this.end(model, sink, r),
        () => {
          // the emulator itself failed around the handler: answer as a failed invocation
          sink.reply(FAILED_REPLY);
          this.end(model, sink, { outcome: 'failed', coldStart: start.cold, functionError: true, gbSeconds: 0, initGbSeconds: 0 });
        },
      );
    } else {
      this.runSynthetic(model, start.cold, start.initSeconds, t0, sink, now);
    }
  }

  /** Whether request bodies must be kept (a real handler gets them in its event). */
  get needsRequestBodies(): boolean {
    return this.handler !== undefined;
  }

  /** Stops pending timers (the emulator is closing). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Invocations in flight in all functions together. */
  get inFlight(): number {
    if (this.models.length === 1) return this.model.inFlight;
    let n = 0;
    for (const m of this.models) n += m.inFlight;
    return n;
  }

  private end(model: LambdaModel, sink: InvocationSink, r: InvocationRecord, now = this.clock()): void {
    model.endInvocation(now);
    this.onConcurrency(now, this.inFlight);
    sink.done(r);
  }

  /**
   * Calls `fn` after `seconds` on a timer the runtime can cancel on close. Timers cannot wait less
   * than 1 ms, so a sub-millisecond wait ends at once (billing still uses the modelled duration;
   * such a function holds its environment for no measurable time, as near enough to true).
   */
  private after(seconds: number, fn: () => void): void {
    if (seconds < 0.001) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, seconds * 1000);
    this.timers.add(t);
  }

  private sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => this.after(seconds, resolve));
  }

  // Timers and callbacks, not promises: this path carries every request of a flood.
  private runSynthetic(model: LambdaModel, cold: boolean, init: number, t0: number, sink: InvocationSink, now: number): void {
    const limits = model.limits;
    const duration = model.durations.sample(this.rng);
    const errored = limits.errorRate > 0 && this.rng() < limits.errorRate;
    const o = model.outcomeFor(duration, { errored, cold });
    const functionError = o.outcome === 'failed' || duration > limits.functionTimeout;
    if (o.outcome !== 'timedOut' && init + o.busySeconds < 0.001) {
      // a sub-millisecond run ends at once (see after): no closure, no second clock read
      sink.reply(o.outcome === 'succeeded' ? this.okReply : FAILED_REPLY);
      this.end(model, sink, synthetic(o, cold, functionError, performance.now() - t0), now);
      return;
    }
    if (o.outcome === 'timedOut') {
      // API Gateway gives up at its integration timeout; the function runs (and bills) on
      this.after(init + limits.integrationTimeout, () => {
        sink.reply(TIMED_OUT_REPLY);
        const latency = performance.now() - t0;
        this.after(o.busySeconds - limits.integrationTimeout, () => this.end(model, sink, synthetic(o, cold, functionError, latency)));
      });
      return;
    }
    this.after(init + o.busySeconds, () => {
      sink.reply(o.outcome === 'succeeded' ? this.okReply : FAILED_REPLY);
      this.end(model, sink, synthetic(o, cold, functionError, performance.now() - t0));
    });
  }

  private async runUser(model: LambdaModel, cold: boolean, init: number, t0: number, sink: InvocationSink): Promise<InvocationRecord> {
    const limits = model.limits;
    await this.sleep(init); // the modelled INIT of a new environment
    const req = sink.request();
    const event = this.stack.api.kind === 'rest' ? proxyEventV1(this.stack, req) : proxyEventV2(this.stack, req);
    const started = performance.now();
    const run = invokeHandler(this.handler!, event, this.stack, req.requestId, limits.functionTimeout, model.fn);
    let answered = false;
    let integrationLatencyMs: number | undefined;
    const answer = (r: FunctionReply) => {
      if (answered) return;
      answered = true;
      integrationLatencyMs = performance.now() - t0;
      sink.reply(r);
    };
    // API Gateway's own timeout, counted from the call to the integration (INIT included)
    const gatewayWait = limits.integrationTimeout - init;
    let gatewayTimer: NodeJS.Timeout | undefined;
    if (gatewayWait < limits.functionTimeout) {
      gatewayTimer = setTimeout(() => answer({ kind: 'gateway', answer: 'timedOut' }), Math.max(0, gatewayWait * 1000));
      this.timers.add(gatewayTimer);
    }
    const outcome: HandlerOutcome = await run;
    if (gatewayTimer) {
      clearTimeout(gatewayTimer);
      this.timers.delete(gatewayTimer);
    }
    const ranSeconds = Math.min((performance.now() - started) / 1000, limits.functionTimeout);
    const timedOutAtGateway = answered;
    const billed = model.outcomeFor(ranSeconds, { cold, errored: outcome.kind !== 'returned' });
    const functionError = outcome.kind !== 'returned';
    let result: InvocationRecord['outcome'];
    if (timedOutAtGateway) {
      result = 'timedOut';
    } else if (outcome.kind === 'returned') {
      const mapped = this.stack.api.kind === 'rest' ? mapResponseV1(outcome.value) : mapResponseV2(outcome.value);
      answer(mapped ? { kind: 'function', response: mapped } : { kind: 'gateway', answer: 'malformedResponse' });
      result = mapped ? 'succeeded' : 'failed';
    } else {
      answer({ kind: 'gateway', answer: 'failed' });
      result = 'failed';
    }
    return {
      outcome: result,
      coldStart: cold,
      durationMs: ranSeconds * 1000,
      integrationLatencyMs,
      functionError,
      gbSeconds: billed.gbSeconds,
      initGbSeconds: billed.initGbSeconds,
    };
  }
}

/** A JSON body of exactly `bytes` bytes (the stack's `responseBytes`). */
export function syntheticBody(bytes: number): Buffer {
  const n = Math.max(0, Math.floor(bytes));
  const head = '{"ok":true,"pad":"';
  const tail = '"}';
  if (n < head.length + tail.length) return Buffer.alloc(n, 0x20);
  return Buffer.from(head + 'x'.repeat(n - head.length - tail.length) + tail, 'utf8');
}
