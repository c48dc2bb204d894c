import type { Gateway, AdmitRequest } from '../limits/gateway.ts';
import type { FluidLambdaResult, LambdaModel } from '../limits/lambda.ts';
import { rotationEpoch } from './identities.ts';
import { withDoubleN } from '../limits/doubles.ts';
import { IDX, NF } from './fields.ts';
import { repeatingArrivals, type Lane } from './lanes.ts';

// the output fields' places, read once (a property read per field per lane per tick was measurable)
const OFFERED = IDX.offered;
const WAF_BLOCKED = IDX.wafBlocked;
const AUTH_REJECTED = IDX.authRejected;
const GATEWAY_THROTTLED = IDX.gatewayThrottled;
const QUOTA_EXCEEDED = IDX.quotaExceeded;
const LAMBDA_THROTTLED = IDX.lambdaThrottled;
const SUCCEEDED = IDX.succeeded;
const FAILED = IDX.failed;
const TIMED_OUT = IDX.timedOut;
const COLD_STARTS = IDX.coldStarts;
const GB_SECONDS = IDX.gbSeconds;
const INIT_GB_SECONDS = IDX.initGbSeconds;

/**
 * One step of the simulation: every lane's arrivals over [t, t + step) through the gateway, then
 * each function's share through its Lambda model, as NF fluid counts per lane. The flows and the
 * output arrays are made once and reused (two output sets in turn, so that the engine can compare
 * a step with the one before); a step's output is only valid until the step after next.
 */
export class Ticker {
  private readonly flows: { n: number; req: AdmitRequest }[];
  private readonly outs: [Float64Array[], Float64Array[]];
  private turn = 0;
  private readonly arrivals: Float64Array;
  private readonly passedByFn: Float64Array;
  private readonly lams: FluidLambdaResult[];

  constructor(
    private readonly lanes: readonly Lane[],
    private readonly gateway: Gateway,
    private readonly lambdas: readonly LambdaModel[],
    private readonly run: { epoch0: number; S: number; cohorts: number },
  ) {
    // n kept as a double from the outset (doubles.ts)
    this.flows = lanes.map((r) => withDoubleN((n) => ({ n, req: r.req })));
    const set = () => lanes.map(() => new Float64Array(NF));
    this.outs = [set(), set()];
    this.arrivals = new Float64Array(run.cohorts);
    this.passedByFn = new Float64Array(lambdas.length);
    this.lams = lambdas.map(() => ({ lambdaThrottled: 0, succeeded: 0, failed: 0, timedOut: 0, coldStarts: 0, gbSeconds: 0, initGbSeconds: 0 }));
  }

  /** Lanes whose cohort takes fresh identities at t: the limiters forget their old ones (before a step from t is planned or taken). */
  rotate(t: number): void {
    const { lanes, gateway } = this;
    for (let c = 0; c < lanes.length; c++) {
      const r = lanes[c];
      const e = rotationEpoch(r.cohort, t);
      if (e !== r.lastEpoch) {
        gateway.limits.forgetClient(r.req);
        r.lastEpoch = e;
      }
    }
  }

  tick(t: number, step: number): Float64Array[] {
    const { lanes, flows, gateway, lambdas, arrivals, passedByFn } = this;
    const now = this.run.epoch0 + t + step;
    // a cohort's arrivals are split among its mix exactly by weight
    // plain loops: these arrays hold a few values, and fill() costs more than that to call
    for (let i = 0; i < arrivals.length; i++) arrivals[i] = NaN;
    this.rotate(t);
    for (let c = 0; c < lanes.length; c++) {
      const r = lanes[c];
      if (Number.isNaN(arrivals[r.cohortIndex])) arrivals[r.cohortIndex] = repeatingArrivals(r, t, t + step, this.run.S);
      flows[c].n = arrivals[r.cohortIndex] * r.share;
    }
    const adm = gateway.admitBatch(now, step, flows, true);
    for (let f = 0; f < passedByFn.length; f++) passedByFn[f] = 0;
    for (let c = 0; c < lanes.length; c++) passedByFn[lanes[c].fn] += adm[c].passed;
    const lams = this.lams;
    for (let f = 0; f < lambdas.length; f++) lambdas[f].invokeFluid(now, passedByFn[f], step, lams[f]);
    const out = this.outs[this.turn];
    this.turn ^= 1;
    for (let c = 0; c < lanes.length; c++) {
      const r = lanes[c];
      const a = adm[c];
      const passed = passedByFn[r.fn];
      const lam = lams[r.fn];
      const share = passed > 0 ? a.passed / passed : 0;
      const o = out[c];
      o[OFFERED] = flows[c].n;
      o[WAF_BLOCKED] = a.wafBlocked;
      o[AUTH_REJECTED] = a.authRejected;
      o[GATEWAY_THROTTLED] = a.gatewayThrottled;
      o[QUOTA_EXCEEDED] = a.quotaExceeded;
      o[LAMBDA_THROTTLED] = lam.lambdaThrottled * share;
      o[SUCCEEDED] = lam.succeeded * share;
      o[FAILED] = lam.failed * share;
      o[TIMED_OUT] = lam.timedOut * share;
      o[COLD_STARTS] = lam.coldStarts * share;
      o[GB_SECONDS] = lam.gbSeconds * share;
      o[INIT_GB_SECONDS] = lam.initGbSeconds * share;
    }
    return out;
  }
}
