import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../src/report/csv.ts';
import { TOTAL_KEYS } from '../../src/model/totals.ts';
import { hostileFixture, liveFixture, simulatedFixture } from './fixture.ts';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('CSV of the timeline', () => {
  it('has a header and one row per stack × variant × cohort × bucket', () => {
    const doc = simulatedFixture();
    const rows = parseCsv(renderCsv(doc));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    let expected = 0;
    for (const s of doc.stacks) for (const v of [s.throttled, s.unthrottled]) for (const c of v.timeline!.cohorts) expected += c.buckets.length;
    expect(rows.length - 1).toBe(expected);
    for (const r of rows) expect(r.length).toBe(CSV_COLUMNS.length);
  });

  it('sums per stack, variant and cohort to the timeline totals, column by column', () => {
    const doc = simulatedFixture();
    const rows = parseCsv(renderCsv(doc));
    const idx = (k: string) => rows[0].indexOf(k);
    for (const s of doc.stacks) {
      for (const variant of ['throttled', 'unthrottled'] as const) {
        for (const c of s[variant].timeline!.cohorts) {
          const mine = rows.filter((r) => r[0] === s.name && r[1] === variant && r[2] === c.name);
          expect(mine.length).toBe(c.buckets.length);
          for (const k of TOTAL_KEYS) {
            const csvSum = mine.reduce((a, r) => a + Number(r[idx(k)]), 0);
            const tlSum = c.buckets.reduce((a, b) => a + b[k], 0);
            expect(csvSum, `${s.name}/${variant}/${c.name}/${k}`).toBeCloseTo(tlSum, 6);
          }
        }
      }
    }
  });

  it('gives bucket bounds in seconds and, for live runs, the wall-clock time', () => {
    const doc = liveFixture();
    const rows = parseCsv(renderCsv(doc));
    const measured = rows.filter((r) => r[1] === 'measured');
    expect(measured.length).toBe(doc.measured!.cohorts.reduce((a, c) => a + c.buckets.length, 0));
    expect(measured[0].slice(4, 8)).toEqual(['0', '0', '1', '2026-03-01T11:59:30.000Z']);
    expect(measured[1].slice(4, 8)).toEqual(['1', '1', '2', '2026-03-01T11:59:31.000Z']);
    expect(new Set(rows.slice(1).map((r) => r[1]))).toEqual(new Set(['throttled', 'unthrottled', 'predicted', 'measured', 'server']));
  });

  it('quotes user text per RFC 4180 and keeps spreadsheet formulas inert', () => {
    const rows = parseCsv(renderCsv(hostileFixture()));
    const names = new Set(rows.slice(1).map((r) => r[0]));
    expect(names).toContain('<img src=x onerror="window.__pwned=1">');
    const cohorts = new Set(rows.slice(1).map((r) => r[2]));
    expect(cohorts).toContain(`'=HYPERLINK("http://evil")`);
    expect([...cohorts].some((c) => c.startsWith('='))).toBe(false);
  });
});
