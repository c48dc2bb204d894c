import { describe, expect, it } from 'vitest';
import { simulateResult } from '../../src/simulate/result.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { loadStack } from '../../src/stack/load.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { formatSummary } from '../../src/report/terminal.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderHtml } from '../../src/report/html.ts';
import { renderCharts } from '../../src/report/charts.ts';
import { renderDetectionCsv } from '../../src/report/detection-csv.ts';
import { evaluateGates } from '../../src/report/gates.ts';

// The leech (20 rps of users, leeches creeping 10 → 30 rps) for a day against the watched stack and
// the unwatched one. Its busiest 5 minutes hold (20 + 30) × 300 = 15,000 requests: no metric alarm
// of rest-alarmed fires; a day costs about 24 × 0.709 = 17 USD, so neither the 100 USD billing alarm
// nor the 400 USD budget line is reached; only the forecast budget (17 × 730 / 24 ≈ 518 ≥ 500) fires.
const doc = simulateResult(loadScenario('leech'), [loadStack('rest-alarmed'), loadStack('rest-unprotected')], {
  horizonSeconds: 86400,
  bookFor: () => embeddedPriceBook('us-east-1'),
  now: new Date('2026-01-01T00:00:00Z'),
});
const NEVER = ['api-traffic', 'api-5xx', 'lambda-throttles', 'lambda-concurrency', 'billing-100usd', 'monthly-500usd'];

describe('cost until detection in the reports (leech against rest-alarmed)', () => {
  it('the terminal lists every alarm and says plainly which never fire', () => {
    const text = formatSummary(doc);
    for (const name of NEVER) expect(text).toMatch(new RegExp(`^ +${name} +never fires within 1d +nobody told: the whole \\$`, 'm'));
    expect(text).toMatch(/^ +monthly-500usd-forecast +after 8h +\$\d+\.\d\d by then$/m);
    expect(text).toContain('first told after 8h (monthly-500usd-forecast) at $');
    expect(text).toContain('6 of 7 never fire');
    expect(text).toContain('Ranking by cost until first detection');
  });

  it('Markdown and HTML carry the detection table with "never fires" for each silent alarm', () => {
    const md = renderMarkdown(doc);
    for (const name of NEVER) expect(md).toContain(`| ${name} | **never fires within 1d** |`);
    const html = renderHtml(doc, { charts: [] });
    expect(html).toContain('<h3>Cost until detection</h3>');
    for (const name of NEVER) expect(html).toMatch(new RegExp(`<td class="left">${name}</td><td class="left" data-figure="stacks\\.0\\.throttled\\.detection\\.\\d\\.firesAtSeconds"><b>never fires within 1d</b>`));
    expect(html).toContain('id="detection-ranking"');
    // the unwatched stack has no detection section at all
    expect(html.match(/<h3>Cost until detection<\/h3>/g)).toHaveLength(1);
  });

  it('the cost-over-time chart marks where an alarm fires (and only those that fire)', () => {
    const chart = renderCharts(doc).find((c) => c.id === 'cost-1-rest-alarmed')!;
    expect(chart.svg).toContain('monthly-500usd-forecast $');
    for (const name of NEVER) expect(chart.svg).not.toContain(`${name} $`);
  });

  it('CSV: one row per stack × variant × alarm, "never" for the silent ones', () => {
    const rows = renderDetectionCsv(doc)!.trim().split('\r\n');
    expect(rows).toHaveLength(1 + 2 * 7); // rest-unprotected has no alarms
    expect(rows.filter((r) => r.includes(',never,'))).toHaveLength(2 * 6);
  });

  it('a gate on detection.firstSeconds skips stacks without alarms', () => {
    const trips = evaluateGates(doc, ['detection.firstSeconds>3600']);
    expect(trips.map((t) => t.stack)).toEqual(['rest-alarmed']);
    expect(trips[0].value).toBe(8 * 3600);
  });

  it('a gate on detection.firstSeconds where no stack has alarms says so once (it said it twice)', () => {
    const bare = { ...doc, stacks: doc.stacks.filter((s) => s.name === 'rest-unprotected') };
    expect(() => evaluateGates(bare, ['detection.firstSeconds>900'])).toThrow(/^--fail-if "detection.firstSeconds>900": no stack has alarms or budgets$/);
  });
});
