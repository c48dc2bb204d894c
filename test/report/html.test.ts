import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.ts';
import { renderJson } from '../../src/report/json.ts';
import { formatMoney, formatPercent } from '../../src/report/format.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import { HOSTILE_DESCRIPTION, HOSTILE_NAME, hostileFixture, liveFixture, simulatedFixture } from './fixture.ts';

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Every element carrying data-figure: the figure's path and the text shown. */
function figures(html: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of html.matchAll(/data-figure="([^"]+)">(?:<b>)?([^<]*)/g)) out.push([m[1], unescapeHtml(m[2])]);
  return out;
}

function at(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], doc);
}

function parseMoney(text: string): number {
  return Number(text.replace(/[$,]/g, ''));
}

const html = renderHtml(simulatedFixture());

describe('HTML report', () => {
  it('shows in its headline exactly the figures of the JSON document', () => {
    const json = JSON.parse(renderJson(simulatedFixture())) as ResultDocument;
    const headline = html.slice(html.indexOf('<section id="headline">'), html.indexOf('</section>', html.indexOf('<section id="headline">')));
    const shown = figures(headline);
    // every stack: per hour and total with and without throttling, savings, damage, collateral
    for (let i = 0; i < json.stacks.length; i++) {
      for (const f of ['throttled.bill.perHour', 'throttled.bill.total', 'unthrottled.bill.perHour', 'unthrottled.bill.total', 'savings', 'damage', 'collateral']) {
        expect(shown.some(([p]) => p === `stacks.${i}.${f}`), `stacks.${i}.${f}`).toBe(true);
      }
    }
    expect(shown.length).toBeGreaterThan(7 * json.stacks.length);
    for (const [path, text] of shown) {
      const value = at(json, path);
      if (path.endsWith('.name')) expect(text).toBe(value);
      else if (path.endsWith('collateral')) expect(text).toBe(formatPercent(value as number));
      else {
        expect(text, path).toBe(formatMoney(value as number));
        // and the rounding is display-only: the shown amount is the JSON's to the cent
        expect(Math.abs(parseMoney(text) - (value as number)), path).toBeLessThanOrEqual(0.005 + 1e-9);
      }
    }
  });

  it('shows the per-cohort outcome counts of the document', () => {
    const doc = simulatedFixture();
    const shown = new Map(figures(html));
    doc.stacks.forEach((s, i) => {
      Object.values(s.throttled.cohorts).forEach((c, j) => {
        expect(shown.get(`stacks.${i}.throttled.cohorts.${j}.offered`)).toBe(c.totals.offered.toLocaleString('en-US'));
        if (c.totals.succeeded > 0) expect(shown.get(`stacks.${i}.throttled.cohorts.${j}.succeeded`)).toBe(c.totals.succeeded.toLocaleString('en-US'));
      });
      expect(shown.get(`stacks.${i}.throttled.totals.offered`)).toBe(s.throttled.totals.offered.toLocaleString('en-US'));
    });
  });

  it('is one self-contained page: no script, no external URL, a policy that forbids both', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'`);
  });

  it('inlines the charts as SVG: configs compared, bill by service, cumulative cost and traffic per cohort', () => {
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    const doc = simulatedFixture();
    const cohorts = doc.stacks.reduce((n, s) => n + (s.throttled.timeline?.cohorts.length ?? 0), 0);
    expect(svgs.length).toBe(2 + doc.stacks.length + cohorts);
    for (const kind of ['configs', 'bill-by-service', 'cumulative-cost', 'traffic']) expect(html).toContain(`data-chart="${kind}"`);
    for (const s of svgs) expect(s.length).toBeGreaterThan(2000);
    // each chart has its own id namespace, so clip paths of one cannot hide another
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists the bill lines with unit prices, the price book and the assumptions', () => {
    const doc = simulatedFixture();
    expect(html).toContain('$3.50 per 1M requests');
    expect(html).toContain('$0.0000166667 per GB-s');
    expect(html).toContain(doc.prices.asOf);
    for (const a of doc.assumptions) expect(html).toContain(a);
  });

  it('shows a live run as predicted vs measured vs server', () => {
    const live = renderHtml(liveFixture());
    const shown = new Map(figures(live));
    expect(live).toContain('Live run: predicted vs measured vs server');
    const doc = liveFixture();
    const sum = (tl: NonNullable<ResultDocument['measured']>) => tl.cohorts.reduce((a, c) => a + c.buckets.reduce((b, x) => b + x.succeeded, 0), 0);
    expect(shown.get('live.measured.succeeded')).toBe(sum(doc.measured!).toLocaleString('en-US'));
    expect(shown.get('live.predicted.succeeded')).toBe(sum(doc.predicted!).toLocaleString('en-US'));
    expect(shown.get('live.server.connectionErrors')).toBe('0');
    expect(shown.get('live.measured.connectionErrors')).toBe('2');
    expect(live).toContain('2 requests never got an HTTP answer');
  });

  it('shows hostile scenario, stack and cohort names as text, never as markup', () => {
    const doc = hostileFixture();
    const page = renderHtml(doc);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toMatch(/<b onmouseover/i);
    // the hostile text is only ever text: no real tag of the page carries an event handler
    const tags = page.match(/<[a-zA-Z][^>]*>/g) ?? [];
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain(`<title>dowsim report: &lt;script&gt;alert(1)&lt;/script&gt;</title>`);
    expect(unescapeHtml(page)).toContain(HOSTILE_NAME);
    expect(unescapeHtml(page)).toContain(HOSTILE_DESCRIPTION);
  });
});
