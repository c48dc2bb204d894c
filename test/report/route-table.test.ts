import { describe, expect, it } from 'vitest';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { renderCsv, CSV_COLUMNS } from '../../src/report/csv.ts';
import { renderHtml } from '../../src/report/html.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { formatSummary } from '../../src/report/terminal.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { simulateResult } from '../../src/simulate/result.ts';
import { parseStack } from '../../src/stack/parse.ts';

const stack = parseStack(`name: orders
api:
  kind: http
  routes: { "GET /items": {}, "POST /orders": { rate: 10, burst: 20, function: orders } }
lambda: { memoryMb: 512, duration: 100ms, initDuration: 0 }
functions:
  - { name: orders, memoryMb: 2048, architecture: arm64, duration: 300ms, initDuration: 0 }
`);
const scenario = parseScenario(`name: shop
cohorts:
  - { name: users, role: legit, requests: [{ path: /items, weight: 8 }, { method: POST, path: /orders, weight: 2 }], rate: [{ duration: 10m, rate: 100 }] }
`);
const doc = simulateResult(scenario, [stack], { horizonSeconds: 600, bookFor: embeddedPriceBook, now: new Date(0) });

describe('reports show what each route became and which function served it', () => {
  it('Markdown: a per-route table, POST /orders on orders serving 20 + 10 × 600 of 12,000', () => {
    const md = renderMarkdown(doc);
    expect(md).toContain('### Outcomes per route, with throttling');
    // 100 rps × 0.2 × 600 s = 12,000 POSTs; the 10/20 route bucket serves 20 + 10 × 600 = 6,020
    expect(md).toMatch(/\| POST \/orders \| orders \| 12,000 \| 6,020 \| 5,980 \|/);
    expect(md).toMatch(/\| GET \/items \| lambda \| 48,000 \| 48,000 \|/);
  });

  it('HTML and the terminal summary carry the same routes', () => {
    expect(renderHtml(doc, { charts: [] })).toContain('Outcomes per route, with throttling');
    const text = formatSummary(doc);
    expect(text).toMatch(/POST \/orders\s+orders\s+12,000\s+6,020\s+5,980/);
  });

  it('CSV: one total row per route and variant, the route key in the last column', () => {
    const rows = renderCsv(doc).trim().split('\r\n').map((r) => r.split(','));
    expect(rows[0].at(-1)).toBe('route');
    const routeRows = rows.filter((r) => r[4] === 'total');
    expect(routeRows.map((r) => `${r[1]} ${r.at(-1)}`)).toEqual([
      'throttled GET /items',
      'throttled POST /orders',
      'unthrottled GET /items',
      'unthrottled POST /orders',
    ]);
    const succeeded = CSV_COLUMNS.indexOf('succeeded');
    expect(routeRows.map((r) => r[succeeded])).toEqual(['48000', '6020', '48000', '12000']);
  });
});
