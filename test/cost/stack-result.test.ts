import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, collateral, priceVariant, stackResult } from '../../src/cost/stack-result.ts';
import { conservationGap } from '../../src/model/totals.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { HOUR, cohort, makeStack, outcomeTotals, timeline } from './fixtures.ts';

const book = embeddedPriceBook('us-east-1');
// 1,024 MB × 100 ms = 0.1 GB-s per invocation; no logs, no response bytes: each served request costs
// REST 3.50/M + Lambda 0.20/M + 0.1 × 0.0000166667 = 0.0000053666670 → call it c
const stack = makeStack({ responseBytes: 0 }, { memoryMb: 1024, logBytesPerInvocation: 0 });
const per = { gbSecondsPerInvocation: 0.1 };
const c = 3.5e-6 + 0.2e-6 + 0.1 * 0.0000166667;

function run(users: Parameters<typeof outcomeTotals>[0], bots?: Parameters<typeof outcomeTotals>[0], duration = HOUR) {
  const cohorts = [cohort('users', 'legit', [outcomeTotals(users, per)])];
  if (bots) cohorts.push(cohort('bots', 'attack', [outcomeTotals(bots, per)]));
  return timeline(duration, cohorts);
}

describe('stackResult', () => {
  it('works out savings, damage and collateral on a small hand-made flood', () => {
    // throttled:   users 90 served + 10 throttled, bots 100 served + 900 throttled → 190 billed, 190 invoked
    // unthrottled: users 100 served, bots 1,000 served                              → 1,100
    // legit only:  users 100 served                                                 → 100
    const throttled = run({ succeeded: 90, gatewayThrottled: 10 }, { succeeded: 100, gatewayThrottled: 900 });
    const r = stackResult({
      stack,
      throttled,
      unthrottled: run({ succeeded: 100 }, { succeeded: 1000 }),
      legitOnly: run({ succeeded: 100 }),
      book,
      horizonSeconds: HOUR,
    });
    expect(r.throttled.bill.total).toBeCloseTo(190 * c, 15);
    expect(r.unthrottled.bill.total).toBeCloseTo(1100 * c, 15);
    expect(r.legitOnlyBill!.total).toBeCloseTo(100 * c, 15);
    expect(r.savings).toBeCloseTo(910 * c, 15); // 1,100c − 190c
    expect(r.damage).toBeCloseTo(90 * c, 15); // 190c − 100c
    expect(r.collateral).toBeCloseTo(0.1, 15); // 10 of 100 legit requests did not succeed
    expect(r.apiKind).toBe('rest');
    expect(r.name).toBe('test-stack');
    expect(r.throttled.cohorts.users).toMatchObject({ role: 'legit' });
    expect(r.throttled.cohorts.bots.totals.gatewayThrottled).toBe(900);
    expect(r.throttled.totals.offered).toBe(1100);
    expect(r.throttled.timeline).toBe(throttled); // rides along unscaled, for the charts
    expect(r.unthrottled.totals.succeeded).toBe(1100);
    expect(r.legitOnlyBill!.lines.find((l) => l.service === 'API Gateway')!.quantity).toBe(100);
    expect('file' in r).toBe(false);
  });

  it('counts Lambda-throttled legit requests as collateral and bills them at API Gateway only', () => {
    // users: 50 served, 50 Lambda-throttled (500s) → collateral 0.5; bill 100 × 3.50/M + 50 × (0.20/M + 0.1 × 0.0000166667)
    const r = stackResult({
      stack,
      throttled: run({ succeeded: 50, lambdaThrottled: 50 }),
      unthrottled: run({ succeeded: 50, lambdaThrottled: 50 }),
      legitOnly: run({ succeeded: 50, lambdaThrottled: 50 }),
      book,
      horizonSeconds: HOUR,
    });
    expect(r.collateral).toBe(0.5);
    expect(r.throttled.bill.total).toBeCloseTo(100 * 3.5e-6 + 50 * (0.2e-6 + 0.1 * 0.0000166667), 15);
    expect(r.savings).toBe(0);
    expect(r.damage).toBe(0);
  });

  it('has no collateral without legit traffic', () => {
    expect(collateral(timeline(HOUR, [cohort('bots', 'attack', [outcomeTotals({ gatewayThrottled: 10 })])]))).toBe(0);
  });

  it('notes the WAF billing assumption and the free tier', () => {
    const r = stackResult({
      stack: makeStack({ waf: { rules: 1 }, freeTier: true }),
      throttled: run({ succeeded: 1 }),
      unthrottled: run({ succeeded: 1 }),
      legitOnly: run({ succeeded: 1 }),
      book,
      horizonSeconds: HOUR,
    });
    expect(r.notes!.join('\n')).toContain('WAF-blocked requests assumed not billed by API Gateway');
    expect(r.notes!.join('\n')).toContain('accounts created before 2025-07-15');
  });

  it('notes what a reader of a function URL, an HTTP API, a stack file and another Region needs', () => {
    const one = (st: ReturnType<typeof makeStack>, b = book) =>
      stackResult({ stack: st, throttled: run({ succeeded: 1 }), unthrottled: run({ succeeded: 1 }), legitOnly: run({ succeeded: 1 }), book: b, horizonSeconds: HOUR });
    const url = one(makeStack({ freeTier: true }, { reservedConcurrency: 10 }, { kind: 'function-url' }));
    expect(url.notes).toEqual([
      'Function URL: no API Gateway charge; the only throttle is reserved concurrency (10 × reserved concurrency requests per second).',
      "Free tier applied each month: Lambda's 1M requests and 400,000 GB-s (perpetual).",
    ]);
    const http = one(makeStack({ file: 'stacks/h.yaml' }, {}, { kind: 'http', integrationTimeout: 30 }));
    expect(http.notes).toEqual([
      'HTTP API requests billed per 512 KB of request payload (billedApiRequests counts the units).',
      'No free tier applied (set freeTier: true in the stack to apply it).',
    ]);
    expect(http.file).toBe('stacks/h.yaml');
    const elsewhere = one(makeStack({ region: 'eu-west-1' }));
    expect(elsewhere.notes).toContain('Priced with the us-east-1 price book; the stack is in eu-west-1.');
  });

  it('notes borrowed us-east-1 prices for a Region without its own', () => {
    const r = stackResult({
      stack: makeStack({ region: 'ap-southeast-5' }),
      throttled: run({ succeeded: 1 }),
      unthrottled: run({ succeeded: 1 }),
      legitOnly: run({ succeeded: 1 }),
      book: embeddedPriceBook('ap-southeast-5'),
      horizonSeconds: HOUR,
    });
    expect(r.notes!.join('\n')).toContain('us-east-1 prices used for ap-southeast-5');
  });
});

describe('priceVariant', () => {
  it('projects a 2-minute run to a 1-hour horizon (×30), requests whole, GB-s exact', () => {
    // users: 7 served + 3 throttled in 120 s → ×30 → 210 + 90; gbSeconds 0.7 × 30 = 21 GB-s
    const tl = run({ succeeded: 7, gatewayThrottled: 3 }, undefined, 120);
    const v = priceVariant(tl, stack, book, HOUR);
    expect(v.cohorts.users.totals).toMatchObject({ offered: 300, succeeded: 210, gatewayThrottled: 90, invoked: 210, billedApiRequests: 210 });
    expect(v.totals.gbSeconds).toBeCloseTo(21, 12);
    expect(v.bill.total).toBeCloseTo(210 * c, 15);
    expect(v.timeline).toBe(tl);
    const r = stackResult({ stack, throttled: tl, unthrottled: tl, legitOnly: tl, book, horizonSeconds: HOUR });
    expect(r.notes!.join('\n')).toContain('scaled ×30 to the 1h horizon');
  });

  it('keeps projected outcomes adding up to offered when scaling leaves fractions', () => {
    // 1 succeeded, 1 failed, 1 throttled scaled ×1.5: 1.5 each → rounded 2 + 2 + 1 (sum 4.5 → 5), offered 5
    const tl = run({ succeeded: 1, failed: 1, gatewayThrottled: 1 }, undefined, 2 * HOUR);
    const v = priceVariant(tl, stack, book, 3 * HOUR);
    const t = v.cohorts.users.totals;
    expect(conservationGap(t)).toBe(0);
    expect(t.offered).toBe(5);
    expect(t.invoked).toBe(t.succeeded + t.failed + t.timedOut);
    expect(Number.isInteger(t.succeeded) && Number.isInteger(t.failed)).toBe(true);
  });

  it('leaves counts untouched when the timeline spans the horizon', () => {
    const tl = run({ succeeded: 3, gatewayThrottled: 2 });
    expect(priceVariant(tl, stack, book, HOUR).totals).toEqual(tl.cohorts[0].buckets[0]);
  });
});

describe('ASSUMPTIONS', () => {
  it('are sentences a reader can check against the bill', () => {
    expect(ASSUMPTIONS.length).toBeGreaterThan(5);
    for (const a of ASSUMPTIONS) expect(a).toMatch(/^[A-Z0-9].*\.$/);
    expect(ASSUMPTIONS.join(' ')).toContain('730');
  });
});
