import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { loadPriceBook } from '../../src/pricing/loader.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { priceVariant } from '../../src/cost/stack-result.ts';
import { searchSpace, tune } from '../../src/tune/tune.ts';
import { Evaluator, type Evaluation } from '../../src/tune/evaluate.ts';
import { exhaustive } from '../../src/tune/exhaustive.ts';
import { paretoFront } from '../../src/tune/search.ts';
import { selectBest } from '../../src/tune/select.ts';
import { parseSlo } from '../../src/tune/slo.ts';
import type { TuneDocument } from '../../src/tune/document.ts';
import { formatTuneSummary } from '../../src/tune/terminal.ts';
import { renderTuneHtml } from '../../src/tune/html.ts';

const FIX = 'test/tune/fixtures';
const book = loadPriceBook('us-east-1');
const open = loadStack(`${FIX}/rest-open.yaml`);

const frontOf = (es: Evaluation[]) => paretoFront(es).map((e) => [e.key, e.perHour, e.legitSuccess]);

describe('tune --exhaustive: every combination of the settings simulated', () => {
  it('fixed-IP flood: all 31 × 43 × 9 combinations simulated, nothing settled otherwise; the search found the same optimum, and no hand-built grid beats it', async () => {
    const args = ['tune', `${FIX}/fixed-ip-flood.yaml`, '--stack', `${FIX}/rest-open.yaml`, '--cost-tolerance', '0', '--json'];
    const all = await runCli([...args, '--exhaustive', '--max-candidates', '12000']);
    expect(all.code).toBe(0);
    const doc = JSON.parse(all.stdout) as TuneDocument;
    expect(doc.search.exhaustive).toBe(true);
    // the ladders docs/tune.md describes: the stage none or 10 rates × 3 bursts (31), WAF none or
    // limits on four windows (43), reserved concurrency none or 8 values (9), crossed
    expect(doc.search.dimensions.map((d) => d.values)).toEqual([31, 43, 9]);
    expect(doc.evaluated).toBe(31 * 43 * 9); // on 1-s ticks already: the walk is its own re-check
    expect(doc.search.gridSize).toBe(31 * 43 * 9);
    expect(doc.search.implied).toBe(0);
    expect(doc.search.pruned).toBe(0);

    const searched = JSON.parse((await runCli(args)).stdout) as TuneDocument;
    expect(searched.search.exhaustive).toBe(false);
    expect(searched.evaluated).toBeLessThan(doc.evaluated / 100);
    // the search's answer is the exhaustive one: as cheap (it cannot be cheaper, it tries a subset), the same change
    expect(searched.best!.perHour).toBeCloseTo(doc.best!.perHour, 12);
    expect(searched.best!.changes).toEqual(doc.best!.changes);
    // and every point of the search's front is matched or beaten by one of the whole front's
    for (const p of searched.front) expect(doc.front.some((q) => q.perHour <= p.perHour * (1 + 1e-12) && q.legitSuccess >= p.legitSuccess - 1e-12)).toBe(true);

    // a grid written here as stack text and run through simulate() alone (no tune code), some of
    // its points off tune's ladders: none meeting the SLO is cheaper than the exhaustive answer
    const scenario = loadScenario(`${FIX}/fixed-ip-flood.yaml`);
    for (const waf of [undefined, 10, 11, 37, 100, 1_000]) {
      for (const rate of [undefined, 12, 20, 33, 50, 1_000]) {
        const stack = parseStack(
          [
            'name: grid',
            'api:',
            '  kind: rest',
            ...(rate === undefined ? [] : [`  stage: { rate: ${rate}, burst: ${2 * rate} }`]),
            ...(waf === undefined ? [] : ['waf:', `  rateLimit: { limit: ${waf}, window: 1m }`]),
            'lambda: { memoryMb: 512, duration: 120ms, initDuration: 400ms, timeout: 10s }',
          ].join('\n'),
        );
        const priced = priceVariant(simulate(scenario, stack, { horizonSeconds: 600, bucketSeconds: 600 }), stack, book, 600);
        const users = priced.cohorts.users.totals;
        if (users.succeeded / users.offered >= 0.999) expect(priced.bill.perHour).toBeGreaterThanOrEqual(doc.best!.perHour * (1 - 1e-9));
      }
    }
  });

  it.each([
    { scenario: 'rotating-route-flood.yaml', stack: 'rest-open.yaml', slo: [], tolerances: [0.01, 0.2] },
    // a cheapest point few others tie with: the shortlist reaches past those within the tolerance
    { scenario: 'fixed-ip-flood.yaml', stack: 'rest-open.yaml', slo: [], tolerances: [0] },
    // a handler failing 1 % of invocations: nothing meets the SLO, the shortlist is the closest ones
    { scenario: 'fixed-ip-flood.yaml', stack: 'rest-flaky.yaml', slo: ['users.success>=99.9%'], tolerances: [0.01] },
  ])('$scenario on $stack: letting go as it walks changes nothing: the answer and the front are those of every evaluation kept, and little is kept', ({ scenario, stack: stackFile, slo: sloArgs, tolerances }) => {
    const scenarios = [loadScenario(`${FIX}/${scenario}`)];
    const slo = parseSlo(sloArgs, scenarios);
    const open = loadStack(`${FIX}/${stackFile}`);
    const dims = searchSpace(open, scenarios);
    // every combination, every evaluation kept
    const whole = new Evaluator(open, scenarios, dims, slo, book, 1, false);
    let c: number[][] = [[]];
    for (const d of dims) c = c.flatMap((p) => Array.from({ length: d.size }, (_, v) => [...p, v]));
    for (const x of c) whole.evaluate(x);
    const everything = whole.all();
    expect(everything).toHaveLength(dims.reduce((n, d) => n * d.size, 1));
    // the walk, compacting every 50 evaluations
    const ev = new Evaluator(open, scenarios, dims, slo, book, 1, false);
    const walk = exhaustive(ev, dims, 0.01, 50);
    expect(ev.evaluated).toBe(everything.length);
    expect(walk.kept.length).toBeLessThan(everything.length / 20);
    expect(ev.all()).toHaveLength(walk.kept.length); // the evaluator let the rest go too
    expect(frontOf(walk.kept)).toEqual(frontOf(everything));
    for (const tolerance of tolerances) {
      // each re-check evaluator simulates exactly the shortlist select.ts draws
      const fineA = new Evaluator(open, scenarios, dims, slo, book, 1, false);
      const a = selectBest(everything, fineA, tolerance);
      const kept = exhaustive(new Evaluator(open, scenarios, dims, slo, book, 1, false), dims, tolerance, 50).kept;
      const fineB = new Evaluator(open, scenarios, dims, slo, book, 1, false);
      const b = selectBest(kept, fineB, tolerance);
      expect(b.best?.key).toBe(a.best?.key);
      expect(b.closest.key).toBe(a.closest.key);
      expect(fineB.all().map((e) => e.key)).toEqual(fineA.all().map((e) => e.key));
    }
  });

  it('on a day-long scenario searched on 60-s ticks, the shortlist is re-checked on 1-s ticks as the search does', () => {
    // an hour on a 24 h curve: judged over the day
    const scenarios = [loadScenario(`${FIX}/diurnal-off-hours-flood.yaml`)];
    const stack = parseStack('name: one\napi:\n  kind: rest\nlambda: { memoryMb: 512, duration: 120ms, initDuration: 400ms, timeout: 10s }\n');
    const dims = searchSpace(stack, scenarios);
    const n = dims.reduce((k, d) => k * d.size, 1);
    const { doc } = tune(stack, scenarios, { slo: parseSlo([], scenarios), book, exhaustive: true, maxEvaluations: n, now: new Date(0) });
    expect(doc.search.tickSeconds).toBeGreaterThan(1); // the rotation of its bots caps it at 10 s
    expect(doc.search.searched).toBe(n);
    expect(doc.search.rechecked).toBeGreaterThan(0);
    expect(doc.evaluated).toBe(n + doc.search.rechecked + 1); // and the stack as given, at 1 s for its own figures
    // the summary and the report count the combinations, and the re-checks apart (they said "every combination: n + 12 configurations")
    expect(n).toBe(35 * 11);
    expect(formatTuneSummary(doc)).toContain(`simulated every combination of api.stage, lambda.reservedConcurrency: 385 configurations (and ${doc.search.rechecked + 1} again on 1-second ticks) in `);
    const html = renderTuneHtml(doc);
    expect(html).toContain(`Every combination of the settings&#39; values (--exhaustive): 385 configurations, each simulated against every scenario, and ${doc.search.rechecked + 1} of them again on 1-second ticks`);
    expect(html).not.toContain('coordinate descent');
    const searched = tune(stack, scenarios, { slo: parseSlo([], scenarios), book, now: new Date(0) }).doc;
    expect(searched.best!.perHour).toBeGreaterThanOrEqual(doc.best!.perHour * (1 - 1e-9));
    expect(searched.best!.perHour).toBeLessThanOrEqual(doc.best!.perHour * 1.01); // within the cost tolerance
  });

  it("botnet-flood on http-route-throttled: the search finds the exhaustive optimum (the grid lost the route's tightest level when its bursts were one rung, and the search answered 'no change' at 1.68× the cost)", () => {
    const scenarios = [loadScenario('botnet-flood')];
    const stack = loadStack('http-route-throttled');
    const slo = parseSlo([], scenarios);
    const dims = searchSpace(stack, scenarios);
    const n = dims.reduce((k, d) => k * d.size, 1);
    const all = tune(stack, scenarios, { slo, book, exhaustive: true, maxEvaluations: n, costTolerance: 0, now: new Date(0) }).doc;
    const searched = tune(stack, scenarios, { slo, book, costTolerance: 0, now: new Date(0) }).doc;
    expect(searched.best!.perHour).toBeCloseTo(all.best!.perHour, 12);
    expect(searched.best!.changes).toEqual(all.best!.changes);
    expect(searched.best!.perHour).toBeLessThan(0.7 * searched.baseline.perHour);
    // the route's coarse values include its tightest level (1 rps: burst ½×, 1× and 2× all one rung, floored for random arrivals)
    const route = dims.find((d) => d.id === 'api.routes["GET /search"]')!;
    expect(route.coarse.map((i) => route.describe(i))).toContain('api.routes["GET /search"] 1/1');
  });

  it('more combinations than --max-candidates: exit 1 naming how many and the flag to pass, nothing written', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dowsim-tune-exh-')), 'report');
    const r = await runCli(['tune', `${FIX}/fixed-ip-flood.yaml`, '--stack', `${FIX}/rest-open.yaml`, '--exhaustive', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--max-candidates: --exhaustive simulates every combination of the settings\' values: 11,997 here (31 api.stage × 43 waf.rateLimit × 9 lambda.reservedConcurrency), more than --max-candidates 3,000; pass --max-candidates 11997');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    expect(r.stdout).toBe('');
  });

  it('a long walk tells how far it got out of how many', () => {
    const scenarios = [loadScenario(`${FIX}/fixed-ip-flood.yaml`)];
    let now = 0;
    const told: { simulated: number; seconds: number; of?: number }[] = [];
    const { doc } = tune(open, scenarios, {
      slo: parseSlo([], scenarios),
      book,
      exhaustive: true,
      maxEvaluations: 12_000,
      clock: () => (now += 1000),
      progressEverySeconds: 1000,
      onProgress: (p) => told.push(p),
    });
    // a second a candidate, told every 1,000 s: at 1,000, 2,000, … of 11,997
    expect(told.map((p) => p.simulated)).toEqual(Array.from({ length: Math.floor(doc.evaluated / 1000) }, (_, i) => 1000 * (i + 1)));
    expect(told.every((p) => p.of === 11_997)).toBe(true);
  });
});
