import type { Stack } from '../stack/types.ts';
import type { Scenario, Segment } from '../scenario/types.ts';
import { WafRateRule } from '../limits/waf-rate-rule.ts';
import type { AdmitRequest } from '../limits/gateway.ts';
import type { WafVerdicts } from '../limits/types.ts';
import { rotationEpoch } from './identities.ts';
import { repeatingArrivals, repeatingConstantUntil, type Lane } from './lanes.ts';
import { gradualUntil } from '../scenario/profile.ts';

/** One WAF key's second-by-second record. */
interface KeyTrace {
  /** Per second s of [0, H): 1 when the rule blocked the key's requests in it (a silent second keeps the second before's). */
  blocked: Uint8Array;
  /** Prefix sums: the key's requests in [0, s), and those of them blocked. */
  arrived: Float64Array;
  blockedSum: Float64Array;
  /** Per second s: the first second after s whose verdict differs (H: none). */
  runEnd: Int32Array;
}

/**
 * What a WAF rate-based rule did to every key of a run, second by second. A rule keyed on the
 * client sees every request its clients send, before any other limit (AWS's order), and a
 * simulated client sends what its cohort's profile says, whatever happens behind the WAF (no
 * retries): so its verdicts depend on the scenario and the rule alone, not on any throttle or
 * reservation. `dowsim tune` simulates hundreds of candidates that differ there; each rule's
 * trace is worked out once per scenario, on one-second takes (the simulator's finest tick), and
 * every candidate's run reads its verdicts from it (GatewayLimits.useWafTrace) instead of judging
 * every key second by second again. A step of any length reads the exact share of its requests
 * blocked, and a stride sees exactly whether a key stays unblocked or blocked throughout.
 */
export class WafTrace implements WafVerdicts {
  constructor(
    private readonly epoch0: number,
    /** Seconds traced: [0, seconds). */
    readonly seconds: number,
    private readonly keys: ReadonlyMap<string, KeyTrace>,
  ) {}

  /** Bytes held (for a cache's bound). */
  get bytes(): number {
    return this.keys.size * this.seconds * 21;
  }

  /** The share of `key`'s requests over (now − over, now] (epoch seconds) that the rule blocks. */
  share(key: string, now: number, over: number): number {
    const k = this.keys.get(key);
    if (!k) return 0;
    const t1 = now - this.epoch0;
    const t0 = t1 - over;
    const last = this.seconds - 1;
    const s0 = Math.min(last, Math.max(0, Math.floor(t0 + 1e-9)));
    const s1 = Math.min(last, Math.max(s0, Math.ceil(t1 - 1e-9) - 1));
    // one verdict throughout: exactly none or all
    if (k.runEnd[s0] > s1) return k.blocked[s0];
    const arrived = at(k.arrived, t1) - at(k.arrived, t0);
    if (!(arrived > 0)) return 0;
    return Math.min(1, Math.max(0, (at(k.blockedSum, t1) - at(k.blockedSum, t0)) / arrived));
  }

  /** Until when (epoch seconds) every key keeps the verdict it has in the second from `now`. */
  steadyUntil(now: number): number {
    const s = Math.floor(now - this.epoch0 + 1e-9);
    if (s < 0) return this.epoch0;
    if (s >= this.seconds) return Infinity;
    let until = Infinity;
    for (const k of this.keys.values()) until = Math.min(until, k.runEnd[s] >= this.seconds ? Infinity : this.epoch0 + k.runEnd[s]);
    return until;
  }
}

/** The prefix sum p at time x (seconds from 0), a second's requests spread evenly across it. */
function at(p: Float64Array, x: number): number {
  const n = p.length - 1;
  if (!(x > 0)) return p[0];
  if (x >= n) return p[n];
  const i = Math.floor(x);
  const f = x - i;
  return f === 0 ? p[i] : p[i] + f * (p[i + 1] - p[i]);
}

/** What a trace is made from: the run's scenario and lanes, the rule, its key and the run's clock. */
export interface WafTraceInput {
  scenario: Scenario;
  lanes: readonly Lane[];
  rule: NonNullable<NonNullable<Stack['waf']>['rateLimit']>;
  keyOf: (req: AdmitRequest) => string | undefined;
  epoch0: number;
  /** Seconds to trace (the run's horizon). */
  seconds: number;
  /** The scenario's length: profiles repeat every S seconds. */
  S: number;
}

/** Most traces kept per scenario (a search tries a few WAF rules). */
const MAX_TRACES = 16;

/**
 * Most bytes the traces of one scenario hold (21 per key per second, a day's key 1.8 MB; a week
 * of many cohorts can be far more): past it the oldest go, and a run that needs more alone judges
 * its keys itself (the live rule).
 */
const MAX_TRACE_BYTES = 256 * 2 ** 20;

/** Traces and per-second request counts, kept with their scenario (tune simulates one scenario against hundreds of stacks). */
const kept = new WeakMap<Scenario, { traces: Map<string, WafTrace>; counts: Map<string, Float64Array> }>();

/**
 * The trace of `input.rule` over the run `input` describes: worked out on first use, then kept
 * with the scenario for runs alike (the same rule, lanes, horizon and clock).
 */
export function wafTraceFor(input: WafTraceInput): WafTrace | undefined {
  const keys = new Set(input.lanes.map((l) => input.keyOf(l.req)).filter((k) => k !== undefined)).size;
  const bytes = keys * Math.ceil(input.seconds) * 21;
  if (bytes > MAX_TRACE_BYTES) return undefined;
  let mine = kept.get(input.scenario);
  if (!mine) kept.set(input.scenario, (mine = { traces: new Map(), counts: new Map() }));
  const { rule } = input;
  const sig = `${lanesSig(input)}|${rule.limit}/${rule.windowSeconds}/${rule.delaySeconds}/${rule.key}`;
  let trace = mine.traces.get(sig);
  if (!trace) {
    let held = bytes;
    for (const t of mine.traces.values()) held += t.bytes;
    for (const [k, t] of mine.traces) {
      if (mine.traces.size < MAX_TRACES && held <= MAX_TRACE_BYTES) break;
      mine.traces.delete(k);
      held -= t.bytes;
    }
    trace = buildWafTrace(input, mine.counts);
    mine.traces.set(sig, trace);
  }
  return trace;
}

/** What a run's requests per second depend on: its lanes (cohort, share, identity), horizon, period and clock. */
function lanesSig(input: WafTraceInput): string {
  const lanes = input.lanes.map((l) => `${input.scenario.cohorts.indexOf(l.cohort)}:${l.share}:${input.keyOf(l.req) ?? '-'}:${l.req.clients ?? 1}`);
  return `${lanes.join(',')}|${input.seconds}|${input.S}|${input.epoch0}`;
}

/**
 * Judges every key of the lanes second by second over [0, seconds), as one-second ticks of the
 * simulator would (the same rule, the same counts; a key forgotten when its cohort takes fresh
 * identities). `counts` keeps each key's requests per second for other rules.
 */
export function buildWafTrace(input: WafTraceInput, counts = new Map<string, Float64Array>()): WafTrace {
  const H = Math.max(1, Math.ceil(input.seconds - 1e-9));
  const groups = new Map<string, Lane[]>();
  for (const lane of input.lanes) {
    const key = input.keyOf(lane.req);
    if (key === undefined) continue;
    const g = groups.get(key);
    if (g) g.push(lane);
    else groups.set(key, [lane]);
  }
  const keys = new Map<string, KeyTrace>();
  const base = lanesSig(input);
  const { limit, windowSeconds } = input.rule;
  for (const [key, lanes] of groups) {
    // a client that never sends more than limit / window a second never fills a window past the
    // limit: it is never blocked, and needs no trace (share() is 0 for a key it does not hold)
    if (clientPeak(lanes) * Math.max(1, Math.round(windowSeconds)) * (1 + 1e-9) <= limit) continue;
    const sig = `${base}|${key}`;
    let perClient = counts.get(sig);
    if (!perClient) counts.set(sig, (perClient = perSecond(lanes, H, input.S)));
    keys.set(key, traceKey(key, lanes, perClient, input, H));
  }
  return new WafTrace(input.epoch0, H, keys);
}

/** The most one client of the lanes' cohort sends in any second: at most its profile's highest rate (lanes split it). */
function clientPeak(lanes: readonly Lane[]): number {
  let peak = 0;
  for (const seg of lanes[0].cohort.rate) peak = Math.max(peak, segmentPeak(seg));
  let share = 0;
  for (const l of lanes) share += l.share;
  return (peak * share) / Math.max(1, lanes[0].req.clients ?? 1);
}

/** A segment's highest rate (requests per second). */
export function segmentPeak(seg: Segment): number {
  switch (seg.kind) {
    case 'constant':
      return seg.rate;
    case 'ramp':
      return Math.max(seg.from, seg.to);
    case 'exponential':
      return Math.max(seg.start, seg.start * Math.pow(seg.factor, seg.duration / seg.every));
    case 'pulse':
      return Math.max(seg.high, seg.low);
    case 'random':
      return seg.max;
    case 'diurnal':
      return seg.mean + seg.amplitude;
    default:
      return Infinity;
  }
}

/**
 * What one client of the lanes' cohort sends in each second of [0, H), as a one-second tick counts
 * it (the cohort's arrivals in the second, times each lane's share, summed).
 */
function perSecond(lanes: readonly Lane[], H: number, S: number): Float64Array {
  const out = new Float64Array(H);
  const clients = Math.max(1, lanes[0].req.clients ?? 1);
  const lane = lanes[0]; // a key's lanes are one cohort's mix: one profile
  const count = (s: number) => {
    const a = repeatingArrivals(lane, s, s + 1, S);
    let n = 0;
    for (const l of lanes) n += a * l.share;
    return n > 0 ? n / clients : 0;
  };
  let s = 0;
  while (s < H) {
    const constant = Math.min(H, Math.floor(repeatingConstantUntil(lane, s, S) + 1e-9));
    if (constant > s + 1) {
      // every second alike
      out.fill(count(s), s, constant);
      s = constant;
      continue;
    }
    // a changing rate: second by second to the end of its gradual stretch (or the repetition's)
    const k = Math.floor(s / S + 1e-9);
    const local = s - k * S;
    const gradual = local >= lane.duration ? S : Math.min(lane.duration, gradualUntil(lane.cohort.rate, local));
    const end = Math.min(H, Math.max(s + 1, Math.floor(k * S + Math.min(S, gradual) + 1e-9)));
    for (; s < end; s++) out[s] = count(s);
  }
  return out;
}

function traceKey(key: string, lanes: readonly Lane[], perClient: Float64Array, input: WafTraceInput, H: number): KeyTrace {
  const { epoch0 } = input;
  const rule = new WafRateRule({ limit: input.rule.limit, windowSeconds: input.rule.windowSeconds, delaySeconds: input.rule.delaySeconds });
  const verdicts = new Uint8Array(H);
  const cohort = lanes[0].cohort;
  const clients = Math.max(1, lanes[0].req.clients ?? 1);
  // judged between rotations: a cohort that takes fresh identities starts from nothing
  let s = 0;
  while (s < H) {
    const e = rotationEpoch(cohort, s);
    let end = H;
    if (cohort.rotate) end = Math.min(H, Math.max(s + 1, Math.ceil((e + 1) * cohort.rotate - 1e-9)));
    if (s > 0 && e !== rotationEpoch(cohort, s - 1)) rule.forget(key);
    rule.judgeSeconds(key, epoch0 + s, perClient, s, end - s, verdicts, s);
    s = end;
  }
  const blocked = new Uint8Array(H);
  const arrived = new Float64Array(H + 1);
  const blockedSum = new Float64Array(H + 1);
  let verdict = 0;
  for (let i = 0; i < H; i++) {
    const n = perClient[i] * clients;
    // a silent second keeps the verdict before it (it carries no request either way)
    if (n > 0) verdict = verdicts[i];
    blocked[i] = verdict;
    arrived[i + 1] = arrived[i] + n;
    blockedSum[i + 1] = blockedSum[i] + (verdict ? n : 0);
  }
  const runEnd = new Int32Array(H);
  runEnd[H - 1] = H;
  for (let i = H - 2; i >= 0; i--) runEnd[i] = blocked[i] === blocked[i + 1] ? runEnd[i + 1] : i + 1;
  return { blocked, arrived, blockedSum, runEnd };
}
