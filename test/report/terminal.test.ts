import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/report/terminal.ts';
import { formatCount, formatMoney } from '../../src/report/format.ts';
import { hostileFixture, liveFixture, simulatedFixture } from './fixture.ts';

describe('terminal summary', () => {
  const doc = simulatedFixture();
  const text = formatSummary(doc);

  it('fits in 100 columns and uses no colour codes unless asked', () => {
    for (const d of [doc, liveFixture(), hostileFixture(), simulatedFixture({ horizonSeconds: 5 * 365 * 86400 })]) {
      const t = formatSummary(d);
      for (const line of t.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(100);
      expect(t).not.toContain('\u001b[');
    }
    expect(formatSummary(doc, { color: true })).toContain('\u001b[1m');
  });

  it('shows each cohort\'s counts with thousands separators, only outcomes that occurred', () => {
    const s = doc.stacks[1];
    const block = text.slice(text.indexOf(`${s.name} (`));
    const users = block.split('\n').find((l) => l.trimStart().startsWith('users'))!;
    expect(users).toContain(formatCount(s.throttled.cohorts.users.totals.offered));
    expect(users).toContain(formatCount(s.throttled.cohorts.users.totals.gatewayThrottled));
    const first = text.slice(0, text.indexOf(`${doc.stacks[1].name} (`));
    expect(first).not.toContain('gatewayThrottled'); // the unprotected stack throttles nothing
  });

  it('shows the bill with and without throttling, savings, damage and collateral per stack', () => {
    for (const s of doc.stacks) {
      expect(text).toContain(formatMoney(s.throttled.bill.total));
      expect(text).toContain(`${formatMoney(s.unthrottled.bill.perHour)}/h`);
      expect(text).toContain(`savings ${formatMoney(s.savings)} · damage ${formatMoney(s.damage)}`);
    }
  });

  it('ranks configurations by cost with throttling, cheapest first', () => {
    const ranking = text.slice(text.indexOf('Ranking')).split('\n').slice(2).filter((l) => /^\s+\d/.test(l));
    const expected = [...doc.stacks].sort((a, b) => a.throttled.bill.total - b.throttled.bill.total).map((s) => s.name);
    expect(ranking.map((l) => l.trim().split(/\s+/)[1])).toEqual(expected);
    expect(formatSummary(simulatedFixture({ stacks: [{ name: 'only', apiKind: 'http' }] }))).not.toContain('Ranking');
  });

  it('keeps hostile names on one line', () => {
    const d = hostileFixture();
    d.stacks[0].name = 'evil\nname\r\u001b[31mred';
    const t = formatSummary(d);
    expect(t).not.toContain('\u001b');
    expect(t).toContain('evil name');
  });
});
