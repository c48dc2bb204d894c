import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { simulateResult } from '../../src/simulate/result.ts';
import { renderHtml } from '../../src/report/html.ts';
import { renderCsv } from '../../src/report/csv.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { formatSummary } from '../../src/report/terminal.ts';
import { assertResultDocument } from '../../src/report/validate-result.ts';
import { renderJson } from '../../src/report/json.ts';
import { cumulativeCost } from '../../src/report/cumulative-cost.ts';
import { formatMoney } from '../../src/report/format.ts';

describe('reports of a real simulated document', () => {
  const scenario = loadScenario('scenarios/botnet-flood.yaml');
  const stacks = ['rest-unprotected', 'rest-stage-throttled', 'rest-waf'].map((s) => loadStack(`stacks/${s}.yaml`));
  const doc = simulateResult(scenario, stacks, { horizonSeconds: 6 * 3600, bookFor: embeddedPriceBook });

  it('is a valid result document', () => {
    expect(() => assertResultDocument(JSON.parse(renderJson(doc)))).not.toThrow();
  });

  it('renders every format with the simulator\'s own figures', () => {
    const html = renderHtml(doc);
    for (const s of doc.stacks) {
      expect(html).toContain(`data-figure="stacks.${doc.stacks.indexOf(s)}.throttled.bill.perHour"><b>${formatMoney(s.throttled.bill.perHour)}`);
    }
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(2 + doc.stacks.length);
    const md = renderMarkdown(doc);
    for (const s of doc.stacks) expect(md).toContain(`| ${s.name} | **\\${formatMoney(s.throttled.bill.perHour)}** |`);
    const csv = renderCsv(doc).trimEnd().split('\r\n');
    const buckets = doc.stacks.reduce((n, s) => n + [s.throttled, s.unthrottled].reduce((m, v) => m + (v.timeline?.cohorts.reduce((k, c) => k + c.buckets.length, 0) ?? 0), 0), 0);
    // and one whole-horizon row per route of each variant
    const routes = doc.stacks.reduce((n, s) => n + Object.keys(s.throttled.routes ?? {}).length + Object.keys(s.unthrottled.routes ?? {}).length, 0);
    expect(csv.length - 1).toBe(buckets + routes);
    for (const line of formatSummary(doc).split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
  });

  it('draws cumulative cost that starts at zero and ends at each bill\'s total', () => {
    for (const s of doc.stacks) {
      for (const v of [s.throttled, s.unthrottled]) {
        expect(cumulativeCost(v, 0, doc.horizonSeconds)).toBeCloseTo(0, 9);
        expect(cumulativeCost(v, doc.horizonSeconds, doc.horizonSeconds)).toBeCloseTo(v.bill.total, 6);
        const mid = cumulativeCost(v, doc.horizonSeconds / 2, doc.horizonSeconds);
        expect(mid).toBeGreaterThanOrEqual(0);
        expect(mid).toBeLessThanOrEqual(v.bill.total + 1e-9);
      }
    }
  });
});
