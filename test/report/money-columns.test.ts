import { describe, expect, it } from 'vitest';
import type { ResultDocument } from '../../src/model/result.ts';
import { formatSummary } from '../../src/report/terminal.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderHtml } from '../../src/report/html.ts';
import { formatMoneyColumn, moneyDecimals } from '../../src/report/format.ts';
import { simulatedFixture } from './fixture.ts';

/**
 * Two stacks whose amounts span seven orders of magnitude. Each column's decimals are chosen for
 * its smallest non-zero amount to show two significant digits (at least cents, at most 6):
 *   throttled per hour  0.0012, 12.5     → 4 decimals ($0.0012: 1 − ⌊log₁₀ 0.0012⌋ = 1 + 3)
 *   throttled total     0.0288, 300      → 3 decimals (1 − ⌊log₁₀ 0.0288⌋ = 1 + 2)
 *   unthrottled / hour  51.44, 12.5      → 2 (cents)
 *   unthrottled total   1234.56, 300     → 2
 *   savings             1234.5312, 0     → 2 (zero does not count)
 *   damage              0.0005, 0        → 5 (1 + 4)
 */
function spread(): ResultDocument {
  const doc = simulatedFixture();
  doc.stacks = doc.stacks.slice(0, 2);
  const [a, b] = doc.stacks;
  Object.assign(a.throttled.bill, { perHour: 0.0012, total: 0.0288 });
  Object.assign(a.unthrottled.bill, { perHour: 51.44, total: 1234.56 });
  Object.assign(a, { savings: 1234.5312, damage: 0.0005 });
  Object.assign(b.throttled.bill, { perHour: 12.5, total: 300 });
  Object.assign(b.unthrottled.bill, { perHour: 12.5, total: 300 });
  Object.assign(b, { savings: 0, damage: 0 });
  // stack a's bill: three lines with throttling (total above), two without
  a.throttled.bill.lines = [
    { service: 'API Gateway', item: 'REST requests', quantity: 8000, unit: 'requests', unitPrice: 3.5e-6, cost: 0.028 },
    { service: 'Lambda', item: 'Requests', quantity: 4, unit: 'requests', unitPrice: 2e-7, cost: 0.0000008 },
    { service: 'Lambda', item: 'Compute', quantity: 0, unit: 'GB-s', unitPrice: 0.0000166667, cost: 0 },
  ];
  a.unthrottled.bill.lines = [
    { service: 'API Gateway', item: 'REST requests', quantity: 352_000_000, unit: 'requests', unitPrice: 3.5e-6, cost: 1232 },
    { service: 'Lambda', item: 'Requests', quantity: 12_800_000, unit: 'requests', unitPrice: 2e-7, cost: 2.56 },
  ];
  return doc;
}

/** Cells of the Markdown table under `heading`, one array per row (header and rule left out). */
function markdownRows(md: string, heading: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  const head = lines.findIndex((l, i) => i > start && l.startsWith('| '));
  const rows: string[][] = [];
  for (let i = head + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    rows.push(lines[i].slice(2, -2).split(/ (?<!\\)\| /).map((c) => c.replace(/^\*\*|\*\*$/g, '').replace(/\\(.)/g, '$1')));
  }
  return rows;
}

describe('money in a table column: one precision per column', () => {
  it('chooses the decimals from the smallest non-zero amount: 2 significant digits, at least cents, at most 6', () => {
    expect(moneyDecimals([1234.56, 0.0012])).toBe(4);
    expect(moneyDecimals([0.0512, 7])).toBe(3); // 0.051
    expect(moneyDecimals([0.5, 2])).toBe(2);
    expect(moneyDecimals([0, 0])).toBe(2);
    expect(moneyDecimals([3e-9, 1])).toBe(6);
    expect(formatMoneyColumn([0.0012, 1234.56, 0, -3.1])).toEqual(['$0.0012', '$1,234.5600', '$0.0000', '-$3.1000']);
    expect(formatMoneyColumn([1234.564, 0.5])).toEqual(['$1,234.56', '$0.50']);
  });

  const doc = spread();

  it('Markdown: the headline columns', () => {
    expect(markdownRows(renderMarkdown(doc), '## Headline')).toEqual([
      ['rest-unprotected', '$0.0012', '$0.029', '$51.44', '$1,234.56', '$1,234.53', '$0.00050', expect.any(String)],
      ['rest-stage-throttled', '$12.5000', '$300.000', '$12.50', '$300.00', '$0.00', '$0.00000', expect.any(String)],
    ]);
  });

  it('Markdown: the bill table, lines and total alike', () => {
    // cost with: 0.028, 0.0000008, 0, total 0.0288 → 0.0000008 needs 7 decimals, capped at 6
    // cost without: 1232, 2.56, total 1234.56 → cents
    const rows = markdownRows(renderMarkdown(doc), '### Bill over');
    expect(rows.map((r) => [r[4], r[6]])).toEqual([
      ['$0.028000', '$1,232.00'],
      ['$0.000001', '$2.56'],
      ['$0.000000', '—'],
      ['$0.028800', '$1,234.56'],
    ]);
  });

  it('HTML: the same columns as the Markdown', () => {
    const html = renderHtml(doc);
    const headline = html.slice(html.indexOf('id="headline-table"'));
    const cell = (figure: string) => new RegExp(`data-figure="${figure.replace(/\./g, '\\.')}">(?:<b>)?([^<]*)`).exec(headline)?.[1];
    expect([0, 1].map((i) => cell(`stacks.${i}.throttled.bill.perHour`))).toEqual(['$0.0012', '$12.5000']);
    expect([0, 1].map((i) => cell(`stacks.${i}.throttled.bill.total`))).toEqual(['$0.029', '$300.000']);
    expect([0, 1].map((i) => cell(`stacks.${i}.damage`))).toEqual(['$0.00050', '$0.00000']);
  });

  it('terminal: the bill lines and the ranking', () => {
    const text = formatSummary(doc);
    // stack a: totals 0.0288 / 1234.56 → 3 decimals; per hour 0.0012 / 51.44 → 4
    expect(text).toMatch(/bill with throttling +\$0\.029 +\$0\.0012\/h\n +bill without throttling +\$1,234\.560 +\$51\.4400\/h/);
    // ranking, cheapest first: a (0.0288) then b (300)
    const ranking = text.slice(text.indexOf('Ranking'));
    expect(ranking).toMatch(/1 +rest-unprotected +\$0\.029 +\$0\.0012 +\$1,234\.56 +\$1,234\.53/);
    expect(ranking).toMatch(/2 +rest-stage-throttled +\$300\.000 +\$12\.5000 +\$300\.00 +\$0\.00/);
  });
});
