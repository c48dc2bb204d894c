import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { renderJson } from '../../src/report/json.ts';
import { assertResultDocument } from '../../src/report/validate-result.ts';
import { InputError } from '../../src/model/errors.ts';
import { OUTCOMES } from '../../src/model/outcomes.ts';
import { OUTCOME_ORDER } from '../../src/report/figures.ts';
import { FIXTURE_DIR, FIXTURE_FILES } from './fixture-files.ts';
import { simulatedFixture } from './fixture.ts';

describe('JSON result document', () => {
  it('round-trips the document unchanged', () => {
    const doc = simulatedFixture();
    expect(JSON.parse(renderJson(doc))).toEqual(doc);
  });

  it('writes keys in a stable order whatever order the producer used', () => {
    const doc = simulatedFixture();
    const shuffled = JSON.parse(JSON.stringify(doc), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(Object.keys(shuffled)[0]).not.toBe('schema');
    // cohort records keep the scenario's order, so only reverse them back for the comparison
    for (const s of shuffled.stacks) for (const v of [s.throttled, s.unthrottled]) v.cohorts = Object.fromEntries(Object.entries(v.cohorts).reverse());
    expect(renderJson(shuffled)).toBe(renderJson(doc));
    expect(renderJson(doc).startsWith('{\n  "schema": "dowsim.result/1",\n  "generatedAt"')).toBe(true);
  });

  it('keeps each bucket and bill line on one line', () => {
    const doc = simulatedFixture();
    const lines = renderJson(doc).split('\n');
    const buckets = doc.stacks.reduce((n, s) => n + [s.throttled, s.unthrottled].reduce((m, v) => m + v.timeline!.cohorts.reduce((k, c) => k + c.buckets.length, 0), 0), 0);
    expect(lines.filter((l) => /^\s+\{"offered":\d+,"wafBlocked"/.test(l)).length).toBe(buckets);
    expect(lines.filter((l) => /^\s+\{"service":/.test(l)).length).toBeGreaterThan(0);
  });

  it('orders a one-line object written out of order and leaves out its undefined fields', () => {
    // DESIGN's bill-line order is service, item, quantity, unit, unitPrice, cost; `item` is undefined here
    const doc = simulatedFixture();
    doc.stacks[0].throttled.bill.lines = [{ cost: 1.5, unit: 'requests', item: undefined, quantity: 3, service: 'Lambda', unitPrice: 0.5 } as never];
    expect(renderJson(doc)).toContain('\n            {"service":"Lambda","quantity":3,"unit":"requests","unitPrice":0.5,"cost":1.5}\n');
  });

  it('keeps a cohort named __proto__ as a plain key', () => {
    // JSON.parse makes "__proto__" an own key, as reading a saved document would
    const text = renderJson(simulatedFixture({ cohorts: [{ name: 'users', role: 'legit', rate: () => 1 }] })).replace(/"users"/g, '"__proto__"');
    const doc = JSON.parse(text);
    expect(Object.keys(doc.stacks[0].throttled.cohorts)).toEqual(['__proto__']);
    const back = JSON.parse(renderJson(doc));
    expect(Object.keys(back.stacks[0].throttled.cohorts)).toEqual(['__proto__']);
  });

  it('the sample documents under test/fixtures/results are valid and what the builders make', () => {
    for (const [name, build] of Object.entries(FIXTURE_FILES)) {
      const text = readFileSync(FIXTURE_DIR + name, 'utf8');
      expect(text, `${name}: regenerate with npx tsx test/report/fixture-files.ts --write`).toBe(renderJson(build()));
      expect(() => assertResultDocument(JSON.parse(text), name)).not.toThrow();
    }
  });

  it('rejects what is not a result document, saying where', () => {
    const bad = (v: unknown) => {
      try {
        assertResultDocument(v, 'x.json');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).message;
      }
      throw new Error('accepted');
    };
    expect(bad([])).toContain('not a dowsim result document');
    expect(bad({ schema: 'k6.summary' })).toContain('expected "schema": "dowsim.result/1", got schema "k6.summary"');
    const doc = JSON.parse(renderJson(simulatedFixture()));
    doc.stacks[1].throttled.bill.total = 'lots';
    expect(bad(doc)).toContain('stacks[1].throttled.bill.total');
  });

  it('lists every outcome in the display order', () => {
    expect([...OUTCOME_ORDER].sort()).toEqual([...OUTCOMES].sort());
  });
});
