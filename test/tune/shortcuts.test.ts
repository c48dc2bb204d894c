import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { loadPriceBook } from '../../src/pricing/loader.ts';
import { searchSpace, tune } from '../../src/tune/tune.ts';
import { Evaluator } from '../../src/tune/evaluate.ts';
import { search } from '../../src/tune/search.ts';
import { parseSlo } from '../../src/tune/slo.ts';
import { implies } from '../../src/tune/implied.ts';

const FIX = 'test/tune/fixtures';
const book = loadPriceBook('us-east-1');
const open = loadStack(`${FIX}/rest-open.yaml`);

/** Scenario fixtures tune is known to answer (optimum.test.ts), and one where WAF can only cost. */
const CASES = [
  { scenario: 'fixed-ip-flood.yaml', costTolerance: 0 },
  { scenario: 'rotating-route-flood.yaml', costTolerance: 0.01 },
  { scenario: 'sticky-route-flood.yaml', costTolerance: 0 },
];

describe('tune skips simulations without changing its answer', () => {
  it.each(CASES)('$scenario: the same recommendation with and without implied outcomes and cost-floor pruning', ({ scenario, costTolerance }) => {
    const scenarios = [loadScenario(`${FIX}/${scenario}`)];
    const slo = parseSlo([], scenarios);
    const run = (shortcuts: boolean) => tune(open, scenarios, { slo, book, costTolerance, shortcuts, now: new Date(0) }).doc;
    const fast = run(true);
    const full = run(false);
    expect(full.search.implied).toBe(0);
    expect(full.search.pruned).toBe(0);
    expect(fast.best).not.toBeNull();
    expect(fast.best!.changes).toEqual(full.best!.changes);
    expect(fast.best!.perHour).toBe(full.best!.perHour);
    expect(fast.best!.legitSuccess).toBe(full.best!.legitSuccess);
    // what was skipped was not simulated: the count of simulations went down by at least that much
    expect(fast.search.searched).toBeLessThanOrEqual(full.search.searched);
    expect(fast.search.implied + fast.search.pruned).toBeGreaterThan(0);
  });

  it('sticky-route-flood: every configuration with a WAF rule is pruned unsimulated, since a route throttle refuses the flood for free', () => {
    const scenarios = [loadScenario(`${FIX}/sticky-route-flood.yaml`)];
    const dims = searchSpace(open, scenarios);
    const waf = dims.findIndex((d) => d.id === 'waf.rateLimit');
    expect(waf).toBeGreaterThanOrEqual(0);
    const ev = new Evaluator(open, scenarios, dims, parseSlo([], scenarios), book);
    const found = search(ev, dims, { maxEvaluations: 3000 });
    expect(found.pruned).toBeGreaterThan(100);
    expect(ev.all().filter((e) => e.simulated && e.candidate[waf] !== 0)).toEqual([]);

    // The floor of the stack with a WAF rule added, less the floor without: WAF's own price, by hand.
    // Offered over the 5 minutes: users 20 rps × 300 s = 6,000; bots 2,000 rps × 240 s = 480,000.
    // $5 per web ACL-month + $1 per rule-month (730-hour months) = 6/730 $/h; $0.60 per million
    // requests inspected: 0.6e-6 × 486,000 requests in 1/12 h = 3.4992 $/h. Together 3.507419 $/h.
    const none = dims.map((d) => d.base);
    const withWaf = [...none];
    withWaf[waf] = 1;
    expect(ev.floor(withWaf) - ev.floor(none)).toBeCloseTo(6 / 730 + 0.6e-6 * 486_000 * 12, 9);
  });

  it('the cost floor is never above what a simulated candidate meeting the SLO costs', () => {
    for (const { scenario } of CASES) {
      const scenarios = [loadScenario(`${FIX}/${scenario}`)];
      const dims = searchSpace(open, scenarios);
      const ev = new Evaluator(open, scenarios, dims, parseSlo([], scenarios), book);
      search(ev, dims, { maxEvaluations: 3000, prune: false });
      const met = ev.all().filter((e) => e.simulated && e.sloMet);
      expect(met.length).toBeGreaterThan(5);
      for (const e of met) expect(ev.floor(e.candidate)).toBeLessThanOrEqual(e.perHour);
    }
  });

  it('an implied outcome is exactly what simulating the candidate gives (routes, a usage plan, WAF, concurrency, a tighter reservation)', () => {
    let implied = 0;
    // implied though no simulated candidate implies it by looser settings alone: a reservation
    // clear of a run's peak concurrency demand implied those
    let fromLooser = 0;
    const keyed = loadStack(`${FIX}/rest-keyed.yaml`);
    for (const { scenario, stack } of [...CASES.map((c) => ({ ...c, stack: open })), { scenario: 'leaked-key.yaml', stack: keyed }]) {
      const scenarios = [loadScenario(`${FIX}/${scenario}`)];
      const slo = parseSlo([], scenarios);
      const dims = searchSpace(stack, scenarios);
      const onlyLooser = dims.map((d) => ({ ...d, answersAsBefore: undefined }));
      const ev = new Evaluator(stack, scenarios, dims, slo, book);
      search(ev, dims, { maxEvaluations: 3000 });
      // an independent evaluator that simulates whatever it is asked
      const sim = new Evaluator(stack, scenarios, dims, slo, book, 1, false);
      for (const e of ev.all().filter((x) => !x.simulated && x.perHour < Infinity)) {
        const real = sim.evaluate(e.candidate);
        expect(real.simulated).toBe(true);
        // it is the candidate asked for, with its own stack, not the one that implied it
        expect(e.key).toBe(e.candidate.join(','));
        expect(e.stack).toEqual(ev.stackFor(e.candidate));
        expect(e.perHour).toBeCloseTo(real.perHour, 12);
        expect(e.success).toEqual(real.success);
        expect(e.sloMet).toBe(real.sloMet);
        implied++;
        const byLooserRule = ev.all().some((x) => x.simulated && implies(onlyLooser, x, e.candidate));
        if (!byLooserRule) {
          fromLooser++;
          // the run it took is the one simulating gives, to the last digit
          expect(e.perHour).toBe(real.perHour);
          expect(e.refusals.total).toEqual(real.refusals.total);
        }
      }
    }
    expect(implied).toBeGreaterThan(10);
    expect(fromLooser).toBeGreaterThan(0);
  });

  it('a scenario shares its run between candidates that differ only in a route throttle it never meets, and that run is what simulating gives', () => {
    // fixed-ip-flood sends everything to GET /items; sticky-route-flood's bots call GET /search:
    // the throttle on GET /search cannot change anything in fixed-ip-flood's run
    const scenarios = [loadScenario(`${FIX}/sticky-route-flood.yaml`), loadScenario(`${FIX}/fixed-ip-flood.yaml`)];
    const slo = parseSlo([], scenarios);
    const dims = searchSpace(open, scenarios);
    const search_ = dims.findIndex((d) => d.id === 'api.routes["GET /search"]');
    expect(search_).toBeGreaterThanOrEqual(0);
    const ev = new Evaluator(open, scenarios, dims, slo, book);
    const sim = new Evaluator(open, scenarios, dims, slo, book, 1, false);
    const none = dims.map((d) => d.base);
    let shared = 0;
    for (let j = 0; j < dims[search_].size; j++) {
      const c = [...none];
      c[search_] = j;
      const e = ev.evaluate(c);
      const real = sim.evaluate(c);
      expect(real.simulated).toBe(true);
      expect(e.perHourByScenario).toEqual(real.perHourByScenario);
      expect(e.success).toEqual(real.success);
      expect(e.refusals).toEqual(real.refusals);
      if (e.simulated) shared++;
    }
    // every value of the GET /search throttle was simulated in sticky-route-flood; fixed-ip-flood ran once
    expect(shared).toBeGreaterThan(10);
    expect(ev.evaluated).toBe(shared);
    expect(ev.scenarioRuns).toBe(shared + 1);
    expect(sim.scenarioRuns).toBe(2 * dims[search_].size);
  });

  it("a scenario takes the run of a tighter candidate whose limiter refused nothing there, though it refused in another scenario", () => {
    // GET /items carries fixed-ip-flood's 1,020 rps but only sticky-route-flood's 20 rps of users:
    // a 30-40 rps throttle on it refuses bots in the first and nothing in the second
    const scenarios = [loadScenario(`${FIX}/sticky-route-flood.yaml`), loadScenario(`${FIX}/fixed-ip-flood.yaml`)];
    const slo = parseSlo([], scenarios);
    const dims = searchSpace(open, scenarios);
    const items = dims.findIndex((d) => d.id === 'api.routes["GET /items"]');
    expect(items).toBeGreaterThanOrEqual(0);
    const rung = Array.from({ length: dims[items].size }, (_, j) => j).find((j) => /\b(3\d|40)\/\d+$/.test(dims[items].describe(j)));
    expect(rung).toBeDefined();
    const ev = new Evaluator(open, scenarios, dims, slo, book);
    const sim = new Evaluator(open, scenarios, dims, slo, book, 1, false);
    const none = dims.map((d) => d.base);
    const tight = [...none];
    tight[items] = rung!;
    const t = ev.evaluate(tight);
    const loose = ev.evaluate(none);
    expect(t.refusals.route['GET /items']).toBeGreaterThan(0); // the throttle refused bots in fixed-ip-flood
    expect(loose.simulated).toBe(true); // so the candidate without it is no implied outcome as a whole
    // sticky-route-flood ran once (its run stands for both), fixed-ip-flood twice
    expect(ev.scenarioRuns).toBe(3);
    for (const [e, c] of [[t, tight], [loose, none]] as const) {
      const real = sim.evaluate(c);
      expect(e.perHourByScenario).toEqual(real.perHourByScenario);
      expect(e.success).toEqual(real.success);
      expect(e.refusals.total).toEqual(real.refusals.total);
      expect(e.refusals.plan).toEqual(real.refusals.plan);
      // the run taken names the route the tighter stack declared (nothing refused on it), beside the real run's
      expect(e.refusals.route).toMatchObject(real.refusals.route);
    }
    expect(loose.refusals.route['GET /items']).toBe(0);
    expect(sim.scenarioRuns).toBe(4);
  });

  /** Two scenarios that meet different settings: fixed-ip-flood never calls GET /search, sticky-route-flood's bots do. */
  const TWO = [
    ['sticky-route-flood.yaml', 'fixed-ip-flood.yaml'],
    ['rotating-route-flood.yaml', 'fixed-ip-flood.yaml'],
  ];

  it.each(TWO)('%s + %s: what a candidate\'s known runs say before it is simulated holds when it is (fails the SLO; costs at least the floor)', (a, b) => {
    const scenarios = [loadScenario(`${FIX}/${a}`), loadScenario(`${FIX}/${b}`)];
    const slo = parseSlo([], scenarios);
    const dims = searchSpace(open, scenarios);
    // every candidate a search without shortcuts visits, each simulated in both scenarios
    const sim = new Evaluator(open, scenarios, dims, slo, book, 1, false);
    search(sim, dims, { maxEvaluations: 3000, prune: false });
    const all = sim.all().filter((e) => e.perHour < Infinity);
    expect(all.length).toBeGreaterThan(100);
    // a second evaluator has simulated every fifth of them; what it knows of the others must hold
    const ev = new Evaluator(open, scenarios, dims, slo, book);
    all.forEach((e, i) => i % 5 === 0 && ev.evaluate(e.candidate));
    // a run taken from a candidate with another WAF rule has WAF's lines priced again (a subtraction
    // and an addition): a few ulps off the simulated figure, far inside PRUNE_MARGIN's part in 10⁶
    const atMost = (perHour: number) => perHour * (1 + 1e-12);
    let failing = 0;
    let raised = 0;
    for (const e of all) {
      if (ev.peek(e.candidate)) continue;
      const p = ev.prospect(e.candidate);
      if (p.fails) {
        failing++;
        expect(e.sloMet, e.key).toBe(false);
      }
      // the floor holds for every candidate, met SLO or not, once a known run is in it
      if (p.floor > ev.floor(e.candidate)) {
        raised++;
        expect(p.floor, e.key).toBeLessThanOrEqual(atMost(e.perHour));
      }
      if (e.sloMet) expect(p.floor, e.key).toBeLessThanOrEqual(atMost(e.perHour));
    }
    // both kinds of knowledge occur: a shared run failing the SLO, and one costing more than the floor
    expect(failing).toBeGreaterThan(10);
    expect(raised).toBeGreaterThan(10);
  });

  it.each(TWO)('%s + %s: the same recommendation with and without shortcuts, and candidates known to fail the SLO are not simulated', (a, b) => {
    const scenarios = [loadScenario(`${FIX}/${a}`), loadScenario(`${FIX}/${b}`)];
    const slo = parseSlo([], scenarios);
    const run = (shortcuts: boolean) => tune(open, scenarios, { slo, book, shortcuts, now: new Date(0) }).doc;
    const fast = run(true);
    const full = run(false);
    expect(fast.best).not.toBeNull();
    expect(fast.best!.changes).toEqual(full.best!.changes);
    expect(fast.best!.perHour).toBe(full.best!.perHour);
    expect(fast.best!.legitSuccess).toBe(full.best!.legitSuccess);
    // a WAF rule is part of the answer here, so no WAF candidate's cost floor is above it: what is
    // pruned was known to fail the SLO, or to cost more, from a run it shares with one simulated
    expect(fast.search.pruned).toBeGreaterThan(50);
    // the grid takes those known to fail last, by when enough meet the SLO to prune them all: the
    // search simulates well under half what it visits (on these fixtures 142 of 354, 40 %; taken in
    // grid order, close to half)
    expect(fast.search.searched).toBeLessThan(0.42 * full.search.searched);
  });

  it('when no configuration can meet the SLO, the same closest one with and without shortcuts: nothing known to fail is left out', () => {
    // rest-flaky's handler fails 1 % of invocations: legit success never reaches 99.9 %, so every
    // candidate fails the SLO, and one known to fail can still be the closest (or a start)
    const flaky = loadStack(`${FIX}/rest-flaky.yaml`);
    const scenarios = [loadScenario(`${FIX}/sticky-route-flood.yaml`), loadScenario(`${FIX}/fixed-ip-flood.yaml`)];
    const slo = parseSlo([], scenarios);
    const run = (shortcuts: boolean) => tune(flaky, scenarios, { slo, book, shortcuts, now: new Date(0) }).doc;
    const fast = run(true);
    const full = run(false);
    expect(fast.best).toBeNull();
    expect(full.best).toBeNull();
    expect(fast.closest!.changes).toEqual(full.closest!.changes);
    expect(fast.closest!.legitSuccess).toBe(full.closest!.legitSuccess);
    expect(fast.closest!.perHour).toBe(full.closest!.perHour);
    // nothing meets the SLO, so nothing may be pruned for failing it
    expect(fast.search.pruned).toBe(0);
  });
});
