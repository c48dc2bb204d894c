/**
 * The audit's second standard attack: the same account-limit flood spread evenly over every route
 * as exposed as the most exposed one. AWS applies a stage's throttle per method (route), so each
 * route lets the stage's rate through: the spread gets N times what a flood of one route gets.
 * Expected counts are hand computations; the readers, the simulator and the prices are the real ones.
 */
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import { SPREAD_MAX_ROUTES, spreadScenario, standardScenario } from '../../src/audit/attack-scenario.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { deriveStack } from '../../src/audit/stack-document.ts';
import { formatAuditSummary, renderAuditMarkdown } from '../../src/audit/render/text.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { timelineTotals } from '../../src/model/timeline.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { samHttpApis } from '../support/sam-http.ts';

/** One HTTP API, Api, with a 100/200 stage throttle over `routes` (public unless listed in `iam`). */
const read = (routes: string[], iam: string[] = []): AuditModel => readCloudFormation(samHttpApis({ Api: routes }, { iam }), '/repo/template.yaml');
const derived = (m: AuditModel) => ({ stack: deriveStack(m, m.apis[0]).stack, api: m.apis[0] });
const run = (m: AuditModel) => audit([m], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') });

describe('audit: the flood spread over every exposed route', () => {
  it('three public routes under a 100/200 stage throttle: the spread serves 3 × (200 + 100 × 3,600), the flood of one route 360,200', () => {
    const { stack, api } = derived(read(['/a', '/b', '/c']));
    const spread = spreadScenario(stack, api)!;
    expect(spread.name).toBe('account-limit-spread');
    // bots: 10,000 rps in a mix of the three routes; users: 20 rps on the most exposed one
    const bots = spread.cohorts.find((c) => c.role === 'attack')!;
    expect(bots.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /a', 'GET /b', 'GET /c']);
    expect(spread.cohorts.find((c) => c.role === 'legit')!.requests.map((r) => r.path)).toHaveLength(1);
    // each route's bucket of the stage's size: 200 at once, then 100 a second for the hour
    const served = (s: typeof spread) => timelineTotals(simulate(s, stack, { horizonSeconds: 3600, throttled: true })).succeeded;
    expect(served(spread)).toBe(3 * (200 + 100 * 3600));
    expect(served(standardScenario(stack, api))).toBe(200 + 100 * 3600);

    // so the audit prices the API under the spread, the worse of the two
    const doc = run(read(['/a', '/b', '/c']));
    expect(doc.stacks[0].risk.scenario).toBe('account-limit-spread');
    const one = run(read(['/a']));
    expect(one.stacks[0].risk.scenario).toBe('account-limit-flood');
    // every line but data transfer (429 bodies go out too) is proportional to what is served: about 3×
    const ratio = doc.stacks[0].risk.perHour.throttled / one.stacks[0].risk.perHour.throttled;
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(3);
    // without throttles the account's 10,000 rps bucket binds either way: the same bill
    expect(doc.stacks[0].risk.perHour.unthrottled).toBeCloseTo(one.stacks[0].risk.perHour.unthrottled, 3);
  });

  it('public routes first: one public route beside IAM-protected ones is no spread; protected routes only are', () => {
    const mixed = derived(read(['/a', '/b', '/c'], ['/b', '/c']));
    expect(spreadScenario(mixed.stack, mixed.api)).toBeUndefined();
    const twoPublic = derived(read(['/a', '/b', '/c'], ['/c']));
    expect(spreadScenario(twoPublic.stack, twoPublic.api)!.cohorts[1].requests.map((r) => r.path).sort()).toEqual(['/a', '/b']);
    const protectedOnly = derived(read(['/a', '/b'], ['/a', '/b']));
    expect(spreadScenario(protectedOnly.stack, protectedOnly.api)!.cohorts[1].requests).toHaveLength(2);
  });

  it('a route the flood already calls is called once: ANY /a and GET /a are one request', () => {
    const any = derived(read(['ANY /a', '/b', '/a']));
    expect(any.api.routes.map((r) => r.key).sort()).toEqual(['ANY /a', 'GET /a', 'GET /b']);
    expect(spreadScenario(any.stack, any.api)!.cohorts[1].requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /a', 'GET /b']);
    const same = derived(read(['ANY /a', '/a']));
    expect(spreadScenario(same.stack, same.api)).toBeUndefined();
  });

  it('a tie keeps the flood of one route: without throttles the account\'s bucket binds both attacks alike', () => {
    // no stage throttle: 10,000 rps reach the one function either way, so the two bills agree but
    // for the order the mix's shares are summed in
    const open = (routes: string[]) => readCloudFormation(samHttpApis({ Api: routes }, { stage: null }), '/repo/template.yaml');
    const doc = run(open(['/a', '/b', '/c', '/d', '/e', '/f', '/g']));
    expect(doc.stacks[0].stack.api).not.toHaveProperty('stage');
    expect(doc.stacks[0].risk.scenario).toBe('account-limit-flood');
  });

  it('the terminal summary says which attack each API is priced under when they differ', () => {
    // a second HTTP API with one route of its own, on the same function: its risk is the flood of that route
    const two = samHttpApis({ Api: ['/a', '/b', '/c'], Solo: ['/z'] });
    const doc = run(readCloudFormation(two, '/repo/template.yaml'));
    expect(Object.fromEntries(doc.stacks.map((s) => [s.source.resource, s.risk.scenario]))).toEqual({ Api: 'account-limit-spread', Solo: 'account-limit-flood' });
    const text = formatAuditSummary(doc, '/repo');
    expect(text).toContain('APIs (risk: $/hour under the attack named, with their throttles');
    const header = text.split('\n').find((l) => l.trimStart().startsWith('api '))!;
    expect(header).toMatch(/function\s+attack\s+risk \$\/h/);
    expect(text).toMatch(/\n\s*Api\s.*account-limit-spread/);
    expect(text).toMatch(/\n\s*Solo\s.*account-limit-flood/);
    // the Markdown table has the column always
    expect(renderAuditMarkdown(doc, '/repo')).toMatch(/\| function \| attack \| risk \$\/h \|[\s\S]*\| Api \|.*\| account-limit-spread \|/);
    // one attack for all: named once in the heading, no column
    const one = formatAuditSummary(run(read(['/a'])), '/repo');
    expect(one).toContain('APIs (risk: $/hour under account-limit-flood, with their throttles');
    expect(one).not.toMatch(/\battack\s+risk/);
  });

  it('at most SPREAD_MAX_ROUTES routes, and none for a single route', () => {
    const many = derived(read(Array.from({ length: SPREAD_MAX_ROUTES + 6 }, (_, i) => `/r${i}`)));
    expect(spreadScenario(many.stack, many.api)!.cohorts[1].requests).toHaveLength(SPREAD_MAX_ROUTES);
    const single = derived(read(['/a']));
    expect(spreadScenario(single.stack, single.api)).toBeUndefined();
  });
});

describe('findings price their fix under the worst attack again', () => {
  // 64 public routes on one function. Without a throttle both attacks cost the same (the account's
  // 10,000 rps bucket binds). With the suggested stage throttle of 100/200, a flood of one route
  // gets 200 + 100 × 3,600 through, but the spread gets that through each of 64 routes
  // (23.05 M of the 36 M sent): the fix must be priced under the spread, as the audit of the fixed
  // API itself prices it.
  const routes = Array.from({ length: 64 }, (_, i) => `/r${i}`);
  const open = readCloudFormation(samHttpApis({ Api: routes }, { stage: null }), '/repo/template.yaml');
  const fixed = readCloudFormation(samHttpApis({ Api: routes }, { stage: { rate: 100, burst: 200 } }), '/repo/template.yaml');

  it("DOW001's figure after the fix is the audit's own risk of the fixed API", () => {
    const dow001 = run(open).findings.find((f) => f.rule === 'DOW001')!;
    expect(dow001.fix!.description).toMatch(/rate 100 \/ burst 200/);
    const audited = run(fixed).stacks[0].risk;
    expect(audited.scenario).toBe('account-limit-spread');
    expect(dow001.fix!.perHourAfterFix).toBeCloseTo(audited.perHour.throttled, 6);
  });

  it('DOW002 fires on the fixed API (64 × 360,200 of 36 M served saves about a third), and suggests the budget shared by the routes', () => {
    const doc = run(fixed);
    const { throttled, unthrottled } = doc.stacks[0].risk.perHour;
    expect(throttled / unthrottled).toBeGreaterThan(0.5);
    const dow002 = doc.findings.find((f) => f.rule === 'DOW002')!;
    expect(dow002).toBeDefined();
    // 100 / 64 → 1, 200 / 64 → 3 per route
    expect(dow002.fix!.description).toMatch(/rate 1 \/ burst 3 \(100 \/ 200 over its 64 routes/);
    expect(dow002.fix!.perHourAfterFix).toBeLessThan(throttled / 10);
  });
});

describe('an API with no public route', () => {
  it("says how its flood is priced: as a caller holding what the routes require (SigV4 credentials here), which an unsigned flood lacks", () => {
    const m = readCloudFormation(samHttpApis({ Api: ['/a', '/b'] }, { iam: ['/a', '/b'] }), '/repo/template.yaml');
    const doc = run(m);
    expect(doc.assumptions.map((a) => a.message)).toContain(
      'no route of Api is public: the flood is priced as if the attacker holds valid AWS_IAM (SigV4) credentials (a leaked secret, a compromised client); requests without them are refused with 403 before API Gateway or Lambda bills them',
    );
    // one public route among them: no such assumption
    const open = run(readCloudFormation(samHttpApis({ Api: ['/a', '/b'] }, { iam: ['/b'] }), '/repo/template.yaml'));
    expect(open.assumptions.map((a) => a.message).join('\n')).not.toMatch(/no route of Api is public/);
  });
});
