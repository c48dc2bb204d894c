import { concurrencyPlan, stackFunctions } from '../stack/functions.ts';
import type { FunctionConfig, Stack } from '../stack/types.ts';
import { ConcurrencyPool, ConcurrencyShare } from './concurrency-pool.ts';
import { DurationModel, billedPerMs, type DurationLimits, type FluidInvocations, type InvocationOutcome } from './duration-model.ts';
import { TokenBucket } from './token-bucket.ts';
import { bucketBand, type Band } from './band.ts';

/** What one invocation became and what it is billed. */
export interface InvocationCharge {
  outcome: InvocationOutcome;
  billedSeconds: number;
  busySeconds: number;
  gbSeconds: number;
  initGbSeconds: number;
}

export interface FluidLambdaResult {
  lambdaThrottled: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  coldStarts: number;
  gbSeconds: number; // INIT included
  initGbSeconds: number;
}

/**
 * Every function of the stack (stackFunctions order, `lambda` first), each with its own pool:
 * reserved concurrency is its own, the functions without it share the account's unreserved rest.
 */
export function lambdaModels(stack: Stack): LambdaModel[] {
  const plan = concurrencyPlan(stack);
  const share = plan.shared.length > 1 ? new ConcurrencyShare(plan.unreserved) : undefined;
  return stackFunctions(stack).map((fn, i) => new LambdaModel(stack, fn, plan.shared.includes(i) ? share : undefined));
}

/**
 * One Lambda function behind the API (by default the stack's `lambda`): its concurrency pool
 * (reserved concurrency, or the account's unreserved rest; scaling rate, idle reclaim, cold
 * starts), its duration distribution and timeouts, and for function URLs the 10 × concurrency
 * requests-per-second ceiling. Shared by emulator and simulator.
 */
export class LambdaModel {
  /** The function this models (its name, deployed name, memory, …). */
  readonly fn: FunctionConfig;
  readonly name: string;
  readonly architecture: FunctionConfig['architecture'];
  readonly durations: DurationModel;
  readonly limits: DurationLimits;
  readonly memoryGb: number;
  readonly initSeconds: number;
  readonly concurrencyLimit: number;
  private readonly pool: ConcurrencyPool;
  private readonly urlRps?: TokenBucket;
  private fluidShares?: FluidInvocations;

  constructor(stack: Stack, fn: FunctionConfig = stackFunctions(stack)[0], share?: ConcurrencyShare) {
    const l = fn;
    this.fn = fn;
    this.name = fn.name;
    this.architecture = fn.architecture;
    this.durations = new DurationModel(l.duration);
    this.limits = { functionTimeout: l.timeout, integrationTimeout: stack.api.integrationTimeout, errorRate: l.errorRate };
    this.memoryGb = l.memoryMb / 1024;
    this.initSeconds = l.initDuration;
    const plan = concurrencyPlan(stack);
    this.concurrencyLimit = l.reservedConcurrency ?? plan.unreserved;
    this.pool = new ConcurrencyPool({
      limit: this.concurrencyLimit,
      scaling: { environments: l.scaling.environments, perSeconds: l.scaling.perSeconds },
      idleTimeout: l.idleTimeout,
      ...(share ? { share } : {}),
    });
    if (stack.api.kind === 'function-url') {
      // AWS: a function URL serves at most 10 × the function's concurrency requests per second
      const rps = 10 * this.concurrencyLimit;
      this.urlRps = new TokenBucket({ rate: rps, burst: rps });
    }
  }

  /** One request reaches the function at `now`: throttled, or started warm or cold. */
  startInvocation(now: number): { ok: false } | { ok: true; cold: boolean; initSeconds: number } {
    if (this.urlRps && this.urlRps.take(now, 1) < 1) return { ok: false };
    const got = this.pool.acquire(now);
    if (!got.ok) return got;
    return { ok: true, cold: got.cold, initSeconds: got.cold ? this.initSeconds : 0 };
  }

  /** The invocation started by `startInvocation` finished (or was stopped) at `now`. */
  endInvocation(now: number): void {
    this.pool.release(now);
  }

  /** What a handler run of `durationSeconds` becomes, and its billed GB-seconds (INIT included when cold). */
  outcomeFor(durationSeconds: number, opts: { errored?: boolean; cold?: boolean } = {}): InvocationCharge {
    // a fixed-duration function has only four answers; the emulator asks once per request
    if (durationSeconds === this.durations.p50 && this.durations.p50 === this.durations.p99) {
      const i = (opts.errored ? 2 : 0) + (opts.cold ? 1 : 0);
      return (this.fixedCharges[i] ??= this.charge(durationSeconds, opts));
    }
    return this.charge(durationSeconds, opts);
  }

  private readonly fixedCharges: InvocationCharge[] = [];

  private charge(durationSeconds: number, opts: { errored?: boolean; cold?: boolean }): InvocationCharge {
    const o = DurationModel.outcome(durationSeconds, this.limits, opts.errored);
    const initGbSeconds = opts.cold ? billedPerMs(this.initSeconds) * this.memoryGb : 0;
    return { ...o, gbSeconds: o.billedSeconds * this.memoryGb + initGbSeconds, initGbSeconds };
  }

  /** Fluid: the most environments the pool's answers compared with its limit (ConcurrencyPool.peakDemand). */
  get peakDemand(): number {
    return this.pool.peakDemand;
  }

  /** Invocations currently holding an environment (discrete mode). */
  get inFlight(): number {
    return this.pool.inFlight;
  }

  /** Fluid: `n` requests reach the function evenly over [now − over, now]. `into`: fill this record (the simulator's ticks reuse one). */
  invokeFluid(now: number, n: number, over: number, into?: FluidLambdaResult): FluidLambdaResult {
    this.fluidShares ??= this.durations.fluid(this.limits);
    const s = this.fluidShares;
    let admitted = n;
    if (this.urlRps) admitted = this.urlRps.take(now, n, over);
    const { passed, coldStarts } = this.pool.takeFluid(now, admitted, over, s.busySeconds, this.initSeconds);
    const initGbSeconds = coldStarts * billedPerMs(this.initSeconds) * this.memoryGb;
    const out = into ?? ({} as FluidLambdaResult);
    out.lambdaThrottled = n - passed;
    out.succeeded = passed * s.succeeded;
    out.failed = passed * s.failed;
    out.timedOut = passed * s.timedOut;
    out.coldStarts = coldStarts;
    out.gbSeconds = passed * s.billedSeconds * this.memoryGb + initGbSeconds;
    out.initGbSeconds = initGbSeconds;
    return out;
  }

  /** Whether invocations within `band` (per second) over (now − over, now] meet no limit, or keep to warm environments, or find the pool full throughout (see ConcurrencyPool.coversStride, steadyStride). */
  coversStride(now: number, over: number, band: Band): boolean {
    // the URL's own requests-per-second limit first: never reached, or drained throughout
    const reaching = this.urlRps ? bucketBand(this.urlRps, now, over, band) : band;
    if (!reaching) return false;
    this.fluidShares ??= this.durations.fluid(this.limits);
    const busy = this.fluidShares.busySeconds;
    return this.pool.strideFits(now, over, reaching, busy, this.initSeconds);
  }

  fingerprint(): string | undefined {
    const p = this.pool.fingerprint();
    if (p === undefined) return undefined;
    return this.urlRps ? `${p}|${this.urlRps.fingerprint()}` : p;
  }

  /** Until when the steady state may repeat (an older concurrency peak leaving the idle window). */
  steadyUntil(): number {
    return this.pool.steadyUntil();
  }

  snapshot(now: number): string {
    return `${this.pool.snapshot(now)}|${this.urlRps?.fingerprint() ?? ''}`;
  }

  shift(dt: number): void {
    this.pool.shift(dt);
    this.urlRps?.shift(dt);
  }

  skipTo(t: number): void {
    this.pool.skipTo(t);
    this.urlRps?.skipTo(t);
  }
}
