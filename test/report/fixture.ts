// Hand-built result documents that satisfy ResultDocument, for the renderer tests. They are made by a
// small fluid model here (not the simulator) so that the report tests stand alone: cohorts' buckets
// sum to the cohort totals, bills' lines sum to their totals, savings/damage/collateral follow DESIGN.
import { RESULT_SCHEMA, type Bill, type BillLine, type ResultDocument, type StackResult, type VariantResult } from '../../src/model/result.ts';
import type { CohortTimeline, Role, Timeline } from '../../src/model/timeline.ts';
import { cohortTotals } from '../../src/model/timeline.ts';
import { addTotals, emptyTotals, type Totals } from '../../src/model/totals.ts';
import { PRICING_MONTH_SECONDS } from '../../src/model/units.ts';

interface CohortSpec {
  name: string;
  role: Role;
  rate: (t: number) => number; // requests per second at t
}

interface StackSpec {
  name: string;
  apiKind: StackResult['apiKind'];
  /** Gateway throttle (req/s across all cohorts); removed in the unthrottled variant. */
  gatewayRate?: number;
  /** Lambda capacity (req/s) — reserved concurrency, stays in both variants. */
  lambdaRate?: number;
  /** Share of attack traffic WAF blocks (after the first 5 minutes); stays in both variants. */
  wafBlockShare?: number;
  file?: string;
}

const PRICE = {
  rest: 3.5e-6,
  http: 1.0e-6,
  lambdaRequest: 2e-7,
  gbSecond: 0.0000166667,
  logsGb: 0.5,
  transferGb: 0.09,
  wafAcl: 5,
  wafRule: 1,
  wafRequest: 6e-7,
};

const MEMORY_GB = 0.5;
const DURATION_S = 0.12;

function simulateVariant(cohorts: CohortSpec[], stack: StackSpec, throttled: boolean, duration: number, bucket: number): Timeline {
  const n = Math.ceil(duration / bucket);
  const out: CohortTimeline[] = cohorts.map((c) => ({ name: c.name, role: c.role, buckets: [] }));
  for (let i = 0; i < n; i++) {
    const t = i * bucket;
    const offered = cohorts.map((c) => Math.round(c.rate(t + bucket / 2) * bucket));
    const blocked = cohorts.map((c, j) => (stack.wafBlockShare && c.role === 'attack' && t >= 300 ? Math.round(offered[j] * stack.wafBlockShare) : 0));
    let remaining = offered.map((o, j) => o - blocked[j]);
    const gwCap = throttled && stack.gatewayRate !== undefined ? stack.gatewayRate * bucket : Infinity;
    const gwPass = share(remaining, gwCap);
    const gwThrottled = remaining.map((r, j) => r - gwPass[j]);
    remaining = gwPass;
    const lambdaCap = stack.lambdaRate !== undefined ? stack.lambdaRate * bucket : Infinity;
    const invoked = share(remaining, lambdaCap);
    cohorts.forEach((_c, j) => {
      const b = emptyTotals();
      b.offered = offered[j];
      b.wafBlocked = blocked[j];
      b.gatewayThrottled = gwThrottled[j];
      b.lambdaThrottled = remaining[j] - invoked[j];
      b.succeeded = invoked[j];
      b.invoked = invoked[j];
      b.coldStarts = invoked[j] > 0 && i % 10 === 0 ? 1 : 0;
      b.initGbSeconds = b.coldStarts * 0.4 * MEMORY_GB;
      b.gbSeconds = invoked[j] * DURATION_S * MEMORY_GB + b.initGbSeconds;
      b.billedApiRequests = stack.apiKind === 'function-url' ? 0 : b.succeeded + b.lambdaThrottled;
      b.bytesOut = b.succeeded * 2048 + (offered[j] - b.succeeded) * 40;
      out[j].buckets.push(b);
    });
  }
  return { source: 'simulated', durationSeconds: duration, bucketSeconds: bucket, cohorts: out };
}

// Splits `cap` across cohorts in proportion to what each offers (integers, never more than offered).
function share(amounts: number[], cap: number): number[] {
  const total = amounts.reduce((a, x) => a + x, 0);
  if (total <= cap) return [...amounts];
  const raw = amounts.map((a) => (a * cap) / total);
  return raw.map(Math.floor);
}

function billFor(t: Totals, stack: StackSpec, horizon: number): Bill {
  const lines: BillLine[] = [];
  const line = (service: string, item: string, quantity: number, unit: string, unitPrice: number) =>
    lines.push({ service, item, quantity, unit, unitPrice, cost: quantity * unitPrice });
  if (stack.wafBlockShare !== undefined) {
    const months = horizon / PRICING_MONTH_SECONDS;
    line('WAF', 'Web ACL', months, 'web ACL-months', PRICE.wafAcl);
    line('WAF', 'Rules (1)', months, 'rule-months', PRICE.wafRule);
    line('WAF', 'Requests inspected', t.offered, 'requests', PRICE.wafRequest);
  }
  if (stack.apiKind === 'rest') line('API Gateway', 'REST API requests (first 333M/month)', t.billedApiRequests, 'requests', PRICE.rest);
  if (stack.apiKind === 'http') line('API Gateway', 'HTTP API requests (first 300M/month)', t.billedApiRequests, 'requests', PRICE.http);
  line('Lambda', 'Requests', t.invoked, 'requests', PRICE.lambdaRequest);
  line('Lambda', 'Compute (x86_64)', t.gbSeconds, 'GB-s', PRICE.gbSecond);
  line('CloudWatch Logs', 'Log ingestion', (t.invoked * 300) / 1e9, 'GB', PRICE.logsGb);
  line('Data transfer', 'Out to the internet (first 10 TB/month)', t.bytesOut / 1e9, 'GB', PRICE.transferGb);
  const total = lines.reduce((a, l) => a + l.cost, 0);
  return { currency: 'USD', total, perHour: total / (horizon / 3600), lines };
}

function price(tl: Timeline, stack: StackSpec, horizon: number): VariantResult {
  const k = horizon / tl.durationSeconds;
  const cohorts: VariantResult['cohorts'] = {};
  const totals = emptyTotals();
  for (const c of tl.cohorts) {
    const t = cohortTotals(c);
    const scaled = emptyTotals();
    for (const key of Object.keys(t) as (keyof Totals)[]) scaled[key] = key === 'gbSeconds' || key === 'initGbSeconds' || key === 'bytesOut' ? t[key] * k : Math.round(t[key] * k);
    cohorts[c.name] = { role: c.role, totals: scaled };
    addTotals(totals, scaled);
  }
  return { totals, cohorts, bill: billFor(totals, stack, horizon), timeline: tl };
}

function stackResult(cohorts: CohortSpec[], stack: StackSpec, duration: number, bucket: number, horizon: number): StackResult {
  const thr = simulateVariant(cohorts, stack, true, duration, bucket);
  const unthr = simulateVariant(cohorts, stack, false, duration, bucket);
  const legitOnly = simulateVariant(cohorts.filter((c) => c.role === 'legit'), stack, true, duration, bucket);
  const throttled = price(thr, stack, horizon);
  const unthrottled = price(unthr, stack, horizon);
  const legit = price(legitOnly, stack, horizon);
  let lo = 0;
  let ls = 0;
  for (const c of thr.cohorts) {
    if (c.role !== 'legit') continue;
    const t = cohortTotals(c);
    lo += t.offered;
    ls += t.succeeded;
  }
  const r: StackResult = {
    name: stack.name,
    apiKind: stack.apiKind,
    throttled,
    unthrottled,
    savings: unthrottled.bill.total - throttled.bill.total,
    damage: throttled.bill.total - legit.bill.total,
    collateral: lo > 0 ? (lo - ls) / lo : 0,
    legitOnlyBill: legit.bill,
    notes: [`Counts from a ${duration / 60}m run scaled ×${horizon / duration} to the horizon.`],
  };
  if (stack.file) r.file = stack.file;
  return r;
}

const USERS: CohortSpec = { name: 'users', role: 'legit', rate: () => 20 };
const BOTS: CohortSpec = {
  name: 'bots',
  role: 'attack',
  // quiet for 5 minutes, a 5-minute ramp to 500 rps, then a plateau
  rate: (t) => (t < 300 ? 0 : t < 600 ? ((t - 300) / 300) * 500 : 500),
};

const ASSUMPTIONS = [
  'WAF-blocked requests are not billed by API Gateway.',
  'Requests API Gateway throttles (429) are not billed; requests Lambda throttles are billed by API Gateway but not by Lambda.',
  'Prices exclude tax and the free tier.',
];

export interface FixtureOptions {
  name?: string;
  description?: string;
  stacks?: StackSpec[];
  cohorts?: CohortSpec[];
  horizonSeconds?: number;
}

export const DEFAULT_STACKS: StackSpec[] = [
  { name: 'rest-unprotected', apiKind: 'rest', file: 'stacks/rest-unprotected.yaml' },
  { name: 'rest-stage-throttled', apiKind: 'rest', gatewayRate: 100, file: 'stacks/rest-stage-throttled.yaml' },
  { name: 'rest-waf', apiKind: 'rest', gatewayRate: 400, wafBlockShare: 0.5, lambdaRate: 200 },
];

/** A simulated result: botnet-style flood beside steady users, 1 h scenario at 2 min buckets, 24 h horizon. */
export function simulatedFixture(opts: FixtureOptions = {}): ResultDocument {
  const duration = 3600;
  const bucket = 120;
  const horizon = opts.horizonSeconds ?? 86400;
  const cohorts = opts.cohorts ?? [USERS, BOTS];
  const stacks = opts.stacks ?? DEFAULT_STACKS;
  return {
    schema: RESULT_SCHEMA,
    generatedAt: '2026-03-01T12:00:00.000Z',
    scenario: opts.name ?? 'botnet-flood',
    scenarioDescription: opts.description ?? '500 rps of bots ramp up after 5 minutes while 20 rps of regular users keep browsing.',
    scenarioFile: 'scenarios/botnet-flood.yaml',
    horizonSeconds: horizon,
    source: 'simulated',
    prices: { region: 'us-east-1', asOf: '2026-01-15', source: 'embedded' },
    stacks: stacks.map((s) => stackResult(cohorts, s, duration, bucket, horizon)),
    assumptions: ASSUMPTIONS,
  };
}

/** A live (emulator) run of 30 s at 1 s buckets on one stack, with predicted/measured/server views. */
export function liveFixture(): ResultDocument {
  const duration = 30;
  const bucket = 1;
  const stack: StackSpec = { name: 'rest-stage-throttled', apiKind: 'rest', gatewayRate: 100 };
  const cohorts: CohortSpec[] = [USERS, { name: 'bots', role: 'attack', rate: () => 300 }];
  const result = stackResult(cohorts, stack, duration, bucket, duration);
  const predicted = simulateVariant(cohorts, stack, true, duration, bucket);
  // the client saw a few requests fewer than planned (dropped) and a couple of connection errors
  const measured: Timeline = { ...structuredClone(predicted), source: 'emulator', startTime: '2026-03-01T11:59:30.000Z' };
  measured.cohorts[1].buckets[0].succeeded -= 2;
  measured.cohorts[1].buckets[0].connectionErrors += 2;
  const server: Timeline = { ...structuredClone(predicted), source: 'emulator', startTime: '2026-03-01T11:59:30.000Z' };
  const mt = cohortTotals(measured.cohorts[1]).succeeded + cohortTotals(measured.cohorts[0]).succeeded;
  const pt = cohortTotals(predicted.cohorts[1]).succeeded + cohortTotals(predicted.cohorts[0]).succeeded;
  return {
    schema: RESULT_SCHEMA,
    generatedAt: '2026-03-01T12:00:00.000Z',
    scenario: 'constant-flood',
    scenarioDescription: 'A constant 300 rps flood for 30 seconds.',
    horizonSeconds: duration,
    source: 'emulator',
    prices: { region: 'us-east-1', asOf: '2026-01-15', source: 'embedded' },
    stacks: [result],
    assumptions: ASSUMPTIONS,
    measured,
    server,
    predicted,
    deviation: { succeeded: { measured: mt, server: pt, predicted: pt, relative: (mt - pt) / pt } },
    warnings: ['2 requests never got an HTTP answer (connection errors).'],
  };
}

export const HOSTILE_NAME = '<script>alert(1)</script>';
export const HOSTILE_DESCRIPTION = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) | a | b |';

/** A document whose user text tries to run script wherever it is shown. */
export function hostileFixture(): ResultDocument {
  return simulatedFixture({
    name: HOSTILE_NAME,
    description: HOSTILE_DESCRIPTION,
    stacks: [
      { name: '<img src=x onerror="window.__pwned=1">', apiKind: 'rest', file: '"><svg onload=alert(1)>.yaml' },
      { name: 'rest-stage-throttled', apiKind: 'rest', gatewayRate: 100 },
    ],
    cohorts: [
      { ...USERS, name: '<b onmouseover=alert(1)>users</b>' },
      { ...BOTS, name: '=HYPERLINK("http://evil")' },
    ],
  });
}
