import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { formatSummary } from '../../src/report/terminal.ts';
import { deviation } from '../../src/run/reconcile.ts';
import { planCharts } from '../../src/report/charts.ts';
import { escapeMarkdown } from '../../src/report/escape.ts';
import { formatCount, formatMoney, formatPercent } from '../../src/report/format.ts';
import { hostileFixture, liveFixture, simulatedFixture } from './fixture.ts';

/** The rows of the Markdown table whose header row starts with `| first |`, as unescaped cells. */
function tableAfter(md: string, heading: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  const head = lines.findIndex((l, i) => i > start && l.startsWith('| '));
  const rows: string[][] = [];
  for (let i = head; i < lines.length && lines[i].startsWith('|'); i++) {
    rows.push(
      lines[i]
        .slice(2, -2)
        .split(/ (?<!\\)\| /)
        .map((c) => c.replace(/^\*\*|\*\*$/g, '').replace(/\\(.)/g, '$1')),
    );
  }
  return rows;
}

describe('Markdown report', () => {
  const doc = simulatedFixture();
  const md = renderMarkdown(doc);

  it('has a headline table with each stack\'s cost per hour and over the horizon, savings, damage, collateral', () => {
    const rows = tableAfter(md, '## Headline');
    expect(rows[0]).toEqual(['Stack', 'With throttling, per hour', 'With throttling, 1d', 'Without, per hour', 'Without, 1d', 'Savings', 'Damage', 'Collateral']);
    expect(rows.length).toBe(2 + doc.stacks.length);
    doc.stacks.forEach((s, i) => {
      expect(rows[2 + i]).toEqual([
        s.name,
        formatMoney(s.throttled.bill.perHour),
        formatMoney(s.throttled.bill.total),
        formatMoney(s.unthrottled.bill.perHour),
        formatMoney(s.unthrottled.bill.total),
        formatMoney(s.savings),
        formatMoney(s.damage),
        formatPercent(s.collateral),
      ]);
    });
  });

  it('has per-cohort outcome tables whose counts are the document\'s', () => {
    const s = doc.stacks[1];
    const rows = tableAfter(md.slice(md.indexOf(`## ${s.name}`)), '### Outcomes with throttling');
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    for (const [name, c] of Object.entries(s.throttled.cohorts)) {
      const row = rows.find((r) => r[0] === name)!;
      expect(row[col('Offered')]).toBe(formatCount(c.totals.offered));
      expect(row[col('succeeded')]).toBe(formatCount(c.totals.succeeded));
      expect(row[col('gatewayThrottled')]).toBe(formatCount(c.totals.gatewayThrottled));
    }
    expect(rows.find((r) => r[0] === 'all cohorts')![col('Offered')]).toBe(formatCount(s.throttled.totals.offered));
  });

  it('lists every bill line with its unit price and the totals', () => {
    const s = doc.stacks[0];
    const rows = tableAfter(md.slice(md.indexOf(`## ${s.name}`)), '### Bill');
    for (const l of s.throttled.bill.lines) {
      const row = rows.find((r) => r[0] === l.service && r[1] === l.item)!;
      expect(row, l.item).toBeDefined();
      expect(row[4]).toBe(formatMoney(l.cost));
      expect(row[2]).toMatch(/^\$[\d.,]+ per /);
    }
    expect(rows.at(-1)![4]).toBe(formatMoney(s.throttled.bill.total));
    expect(rows.at(-1)![6]).toBe(formatMoney(s.unthrottled.bill.total));
  });

  it('states the price book and the assumptions', () => {
    expect(md).toContain(`**Prices:** ${doc.prices.region}, as of ${doc.prices.asOf} (${doc.prices.source})`);
    for (const a of doc.assumptions) expect(md).toContain(`- ${escapeMarkdown(a)}`);
  });

  it('links the charts as SVG files when it is given their names', () => {
    const plans = planCharts(doc);
    const chartFiles = Object.fromEntries(plans.map((p) => [p.id, `x-${p.id}.svg`]));
    const linked = renderMarkdown(doc, { chartFiles });
    for (const p of plans) expect(linked).toContain(`](x-${p.id}.svg)`);
    expect(md).not.toContain('.svg)');
  });

  it('escapes dollar signs so GitHub does not read money as math', () => {
    expect(md).not.toMatch(/(?<!\\)\$\d/);
  });

  it('shows a live run as predicted vs measured vs server', () => {
    const live = renderMarkdown(liveFixture());
    const rows = tableAfter(live, '## Live run');
    expect(rows[0]).toEqual(['Count', 'predicted', 'measured', 'server']);
    expect(rows.find((r) => r[0] === 'connectionErrors')).toEqual(['connectionErrors', '0', '2', '0']);
  });

  it('a run measured alone (import-k6 without a prediction or server) is headed as what it has (it said "predicted vs measured vs server" over one column)', () => {
    const doc = liveFixture();
    delete doc.predicted;
    delete doc.server;
    const live = renderMarkdown(doc);
    expect(live).toContain('## Live run: measured\n');
    expect(tableAfter(live, '## Live run')[0]).toEqual(['Count', 'measured']);
    expect(formatSummary(doc)).toMatch(/^Measured, over the run itself/m);
    expect(formatSummary(liveFixture())).toMatch(/^Predicted vs measured vs server, over the run itself/m);
  });

  it("a server column from CloudWatch shows '—' for what CloudWatch cannot tell apart, and says what its gatewayThrottled holds (403s were read as throttles)", () => {
    const doc = liveFixture();
    // the client saw 40 of the bots' requests refused 403 (no API key); CloudWatch counts them as answered without the function
    const b = doc.measured!.cohorts[1].buckets[0];
    b.succeeded -= 40;
    b.authRejected += 40;
    doc.server = { ...doc.server!, source: 'cloudwatch' };
    const sb = doc.server.cohorts[1].buckets[0];
    sb.succeeded -= 40;
    sb.gatewayThrottled += 40;
    const gt = (tl: typeof doc.measured) => tl!.cohorts.reduce((n, c) => n + c.buckets.reduce((k, x) => k + x.gatewayThrottled, 0), 0);
    const rows = tableAfter(renderMarkdown(doc), '## Live run');
    expect(rows.find((r) => r[0] === 'authRejected')).toEqual(['authRejected', '0', '40', '—']);
    const note = `server: CloudWatch has no throttle metric, so its gatewayThrottled is every request API Gateway answered without the function (429 throttles and quotas, 403 keys, authorizers and WAF blocks alike); the client measured ${formatCount(gt(doc.measured) + 40)} such (gatewayThrottled ${formatCount(gt(doc.measured))}, authRejected 40).`;
    expect(renderMarkdown(doc)).toContain(note);
    expect(formatSummary(doc).replace(/\s+/g, ' ')).toContain(note);
    // the deviation the run records has no server figure where CloudWatch's 0 is no count
    const d = deviation(doc.measured!, doc.predicted!, doc.server);
    expect(d.authRejected).toEqual({ measured: 40, predicted: 0, relative: 1 });
    expect(d.gatewayThrottled.server).toBe(gt(doc.server));
    expect(deviation(doc.measured!, doc.predicted!, { ...doc.server, source: 'emulator' }).authRejected.server).toBe(0);
    // from the emulator, its own count: 0 is a count, and no note
    const emulated = liveFixture();
    emulated.measured!.cohorts[1].buckets[0].authRejected += 40;
    expect(tableAfter(renderMarkdown(emulated), '## Live run').find((r) => r[0] === 'authRejected')).toEqual(['authRejected', '0', '40', '0']);
    expect(renderMarkdown(emulated)).not.toContain('CloudWatch has no throttle metric');
  });

  it('renders hostile names as text: no tags, no links, no table breaks', () => {
    const hostile = renderMarkdown(hostileFixture());
    expect(hostile).not.toMatch(/<script|<img|<b /i);
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile).not.toMatch(/(?<!\\)\[click(?<!\\)\]\(/);
    expect(hostile).toContain('\\[click\\](javascript:alert(1)) \\| a \\| b \\|');
    // the headline table still has exactly one row per stack and 8 cells per row
    const rows = tableAfter(hostile, '## Headline');
    expect(rows.length).toBe(4);
    for (const r of rows) expect(r.length).toBe(8);
  });
});
