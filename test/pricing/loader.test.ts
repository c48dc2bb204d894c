import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultCacheDir,
  embeddedPriceBook,
  loadPriceBook,
  loadPriceBookWithWarnings,
  priceBookCachePath,
} from '../../src/pricing/loader.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dowsim-prices-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function refreshedBook(region = 'us-east-1') {
  const book = embeddedPriceBook(region);
  book.source = 'pricing-api';
  book.asOf = '2026-11-27';
  book.prices.lambdaRequest = { ...book.prices.lambdaRequest, tiers: [{ from: 0, price: 0.25 / 1e6 }], source: 'Price List API AWSLambda', asOf: '2026-11-27' };
  return book;
}

describe('loadPriceBook', () => {
  it('uses the embedded book when nothing is cached, without a warning', () => {
    const { book, warnings } = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir });
    expect(warnings).toEqual([]);
    expect(book).toEqual(embeddedPriceBook('us-east-1'));
  });

  it("a Region without embedded figures and nothing cached: us-east-1's prices, and a warning that says so (the console header alone named af-south-1)", () => {
    const { book, warnings } = loadPriceBookWithWarnings('af-south-1', { cacheDir: dir });
    expect(book.region).toBe('af-south-1');
    expect(book.prices.lambdaRequest.tiers).toEqual(embeddedPriceBook('us-east-1').prices.lambdaRequest.tiers);
    expect(warnings).toEqual(["dowsim has no embedded prices for af-south-1: us-east-1's are used (run `dowsim prices --region af-south-1 --refresh` for af-south-1's own)"]);
  });

  it('uses a valid refreshed book from the cache', () => {
    writeFileSync(priceBookCachePath('us-east-1', dir), JSON.stringify(refreshedBook()));
    const { book, warnings } = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir });
    expect(warnings).toEqual([]);
    expect(book.source).toBe('pricing-api');
    expect(book.prices.lambdaRequest.tiers[0].price).toBe(0.25 / 1e6);
  });

  it('accepts an open last tier written as "to": null', () => {
    const raw = JSON.parse(JSON.stringify(refreshedBook()));
    raw.prices.apiGatewayRestRequest.tiers[3].to = null;
    writeFileSync(priceBookCachePath('us-east-1', dir), JSON.stringify(raw));
    const { book, warnings } = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir });
    expect(warnings).toEqual([]);
    expect(book.prices.apiGatewayRestRequest.tiers[3]).toEqual({ from: 20e9, price: 1.51 / 1e6 });
  });

  it('falls back to the embedded book with a warning when the cache is corrupt', () => {
    const path = priceBookCachePath('us-east-1', dir);
    writeFileSync(path, '{"region": "us-east-1", "prices": {');
    const { book, warnings } = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir });
    expect(book).toEqual(embeddedPriceBook('us-east-1'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(path);
    expect(warnings[0]).toContain('not valid JSON');
    expect(loadPriceBook('us-east-1', { cacheDir: dir }).source).toBe('embedded');
  });

  it('ignores a cached book with a missing price, naming the place', () => {
    const raw = JSON.parse(JSON.stringify(refreshedBook()));
    delete raw.prices.wafRule;
    writeFileSync(priceBookCachePath('us-east-1', dir), JSON.stringify(raw));
    const { book, warnings } = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir });
    expect(book.source).toBe('embedded');
    expect(warnings[0]).toContain('prices.wafRule');
  });

  it('ignores a per-million price stored as per-request (a 10^6 unit mistake)', () => {
    const raw = refreshedBook();
    raw.prices.apiGatewayRestRequest.tiers[0].price = 3.5;
    writeFileSync(priceBookCachePath('us-east-1', dir), JSON.stringify(raw));
    const { book, warnings } = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir });
    expect(book.source).toBe('embedded');
    expect(warnings[0]).toContain('prices.apiGatewayRestRequest.tiers[0].price');
  });

  it('ignores gapped tiers and a cached book for another Region', () => {
    const gapped = refreshedBook();
    gapped.prices.lambdaGbSecondX86.tiers[1].from = 7e9;
    writeFileSync(priceBookCachePath('us-east-1', dir), JSON.stringify(gapped));
    expect(loadPriceBookWithWarnings('us-east-1', { cacheDir: dir }).warnings[0]).toContain('prices.lambdaGbSecondX86.tiers[1].from');

    writeFileSync(priceBookCachePath('eu-west-1', dir), JSON.stringify(refreshedBook('us-east-1')));
    const { book, warnings } = loadPriceBookWithWarnings('eu-west-1', { cacheDir: dir });
    expect(book).toEqual(embeddedPriceBook('eu-west-1'));
    expect(warnings[0]).toContain('holds prices for us-east-1, not eu-west-1');
  });

  it('warns instead of crashing when the cache path cannot be read as a file', () => {
    mkdirSync(priceBookCachePath('us-east-1', dir));
    const { book, warnings } = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir });
    expect(book.source).toBe('embedded');
    expect(warnings[0]).toContain('could not read cached prices');
  });

  it('lists at most five problems of a broken cache, then counts the rest', () => {
    const seven = refreshedBook();
    for (const key of ['wafRule', 'wafWebAcl', 'wafRequest', 'lambdaRequest', 'logsIngestionGb', 'getMetricDataMetric', 'dataTransferOutGb'] as const) {
      seven.prices[key].unit = 'unit?';
    }
    writeFileSync(priceBookCachePath('us-east-1', dir), JSON.stringify(seven));
    const w = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir }).warnings[0];
    // the problems come in the book's key order: lambdaRequest, wafWebAcl, wafRule, wafRequest, logsIngestionGb | dataTransferOutGb, getMetricDataMetric
    expect(w).toBe(
      `ignored cached prices ${priceBookCachePath('us-east-1', dir)}: ` +
        'prices.lambdaRequest.unit: expected "request", got "unit?"; prices.wafWebAcl.unit: expected "web ACL-month", got "unit?"; ' +
        'prices.wafRule.unit: expected "rule-month", got "unit?"; prices.wafRequest.unit: expected "request", got "unit?"; ' +
        'prices.logsIngestionGb.unit: expected "GB", got "unit?" (+2 more); ' +
        'using embedded prices (run `dowsim prices --region us-east-1 --refresh` to rebuild it)',
    );
    // five problems: all listed, nothing counted
    const five = refreshedBook();
    for (const key of ['wafRule', 'wafWebAcl', 'wafRequest', 'lambdaRequest', 'logsIngestionGb'] as const) five.prices[key].unit = 'unit?';
    writeFileSync(priceBookCachePath('us-east-1', dir), JSON.stringify(five));
    const w5 = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir }).warnings[0];
    expect(w5).toContain('got "unit?"; using embedded prices');
    expect(w5.split('; prices.').length).toBe(5);
  });

  it('ignores a cached book that was not refreshed (source "embedded")', () => {
    writeFileSync(priceBookCachePath('us-east-1', dir), JSON.stringify(embeddedPriceBook('us-east-1')));
    const { book, warnings } = loadPriceBookWithWarnings('us-east-1', { cacheDir: dir });
    expect(book).toEqual(embeddedPriceBook('us-east-1'));
    expect(warnings).toEqual([
      `ignored cached prices ${priceBookCachePath('us-east-1', dir)}: its source is "embedded", expected "pricing-api"; using embedded prices (run \`dowsim prices --region us-east-1 --refresh\` to rebuild it)`,
    ]);
  });

  it('says nothing when the cache directory is a file (nothing cached there), and names the error code otherwise', () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(loadPriceBookWithWarnings('us-east-1', { cacheDir: file })).toEqual({ book: embeddedPriceBook('us-east-1'), warnings: [] });
    mkdirSync(priceBookCachePath('eu-west-1', dir));
    expect(loadPriceBookWithWarnings('eu-west-1', { cacheDir: dir }).warnings).toEqual([
      `could not read cached prices ${priceBookCachePath('eu-west-1', dir)} (EISDIR); using embedded prices`,
    ]);
  });

  it('looks in $XDG_CACHE_HOME/dowsim, else ~/.cache/dowsim', () => {
    const saved = process.env.XDG_CACHE_HOME;
    try {
      process.env.XDG_CACHE_HOME = dir;
      expect(defaultCacheDir()).toBe(join(dir, 'dowsim'));
      expect(priceBookCachePath('eu-west-1')).toBe(join(dir, 'dowsim', 'prices-eu-west-1.json'));
      delete process.env.XDG_CACHE_HOME;
      expect(defaultCacheDir()).toBe(join(homedir(), '.cache', 'dowsim'));
      // set but blank is not set
      process.env.XDG_CACHE_HOME = '  ';
      expect(defaultCacheDir()).toBe(join(homedir(), '.cache', 'dowsim'));
      process.env.XDG_CACHE_HOME = '';
      expect(defaultCacheDir()).toBe(join(homedir(), '.cache', 'dowsim'));
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });
});
