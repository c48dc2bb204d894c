import { describe, expect, it } from 'vitest';
import { planCharts, renderChart } from '../../src/report/charts.ts';
import { OUTCOME_COLORS, WITHOUT_COLOR, WITH_COLOR, serviceColor } from '../../src/report/colors.ts';
import { simulateResult } from '../../src/simulate/result.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';

// Charts a new user could not read (issue 10, item 7), rendered for real with echarts' SVG renderer.
const doc = (horizonSeconds: number, stacks = ['rest-unprotected', 'rest-waf']) =>
  simulateResult(loadScenario('botnet-flood'), stacks.map((s) => loadStack(s)), { horizonSeconds, bookFor: (r) => embeddedPriceBook(r) });
const svg = (d: ReturnType<typeof doc>, kind: string) => renderChart(d, planCharts(d).find((p) => p.kind === kind)!);
const texts = (s: string) => [...s.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('charts a reader can read', () => {
  it('time axes tick at round times with whole-unit labels: a 2 h horizon reads 0, 15m, 30m … 2h, never 0.3h', () => {
    const labels = texts(svg(doc(7200), 'cumulative-cost'));
    // 7,200 s / 900 s = 8 ticks of 15 minutes
    for (const l of ['15m', '30m', '45m', '1h', '1h15m', '2h']) expect(labels).toContain(l);
    expect(labels.filter((l) => /^\d+\.\d+[hdm]$/.test(l))).toEqual([]);
  });

  it('a 30 d horizon ticks every 5 days', () => {
    const labels = texts(svg(doc(30 * 86400), 'cumulative-cost'));
    for (const l of ['5d', '10d', '30d']) expect(labels).toContain(l);
  });

  it('bills that span orders of magnitude: log axis, and every bar labelled with its figure', () => {
    const d = doc(86400, ['rest-unprotected', 'rest-usage-plan']);
    const bills = d.stacks.flatMap((s) => [s.throttled.bill.total, s.unthrottled.bill.total]);
    expect(Math.max(...bills) / Math.min(...bills)).toBeGreaterThan(100);
    const s = svg(d, 'configs');
    expect(texts(s)).toContain('USD (log scale)');
    // the usage-plan stack's small bill (≈ $10 beside ≈ $1,900) is printed on its bar
    const small = d.stacks[1].throttled.bill.total;
    expect(texts(s)).toContain(`$${small.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
  });

  it('collateral is one marker per stack, not a line joining unrelated stacks', () => {
    const s = svg(doc(86400, ['rest-unprotected', 'rest-stage-throttled', 'rest-waf']), 'configs');
    // a dashed polyline was the old line series; markers are separate diamond paths in the collateral colour
    expect(s).not.toMatch(/stroke-dasharray/);
    expect((s.match(/fill="#555"|fill="#555555"/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });

  it('one colour per meaning: no outcome or service borrows the with/without colours, and none repeats', () => {
    const all = [WITH_COLOR, WITHOUT_COLOR, ...Object.values(OUTCOME_COLORS), ...['API Gateway', 'Lambda', 'WAF', 'CloudWatch Logs', 'Data transfer', 'CloudWatch'].map(serviceColor)];
    expect(new Set(all.map((c) => c.toLowerCase())).size).toBe(all.length);
  });
});
