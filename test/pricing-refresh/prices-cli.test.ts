import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BillLine, ResultDocument } from '../../src/model/result.ts';
import { loadPriceListFixture, startPriceListServer, type PriceListServer } from '../support/price-list-server.ts';
import { cleanEnv, DUMMY_AWS, runDowsim, STACK_TRACE } from '../collect/support/run-dowsim.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';

let us: PriceListServer;
let eu: PriceListServer;
beforeAll(async () => {
  us = await startPriceListServer({ items: loadPriceListFixture('us-east-1-changed.json') });
  eu = await startPriceListServer({ items: loadPriceListFixture('eu-west-1-partial.json') });
});
afterAll(async () => {
  await us.close();
  await eu.close();
});

const simulateArgs = ['simulate', 'scenarios/quick-flood.yaml', '--stack', 'stacks/rest-unprotected.yaml', '--horizon', '1h', '--json'];
const line = (doc: ResultDocument, item: RegExp): BillLine | undefined => doc.stacks[0].throttled.bill.lines.find((l) => item.test(l.item));

describe('dowsim prices', () => {
  it('after `prices --refresh` against a local Price List endpoint with changed prices, `simulate --json` bills at the new prices, prices.source "pricing-api"', async () => {
    const env = cleanEnv({ ...DUMMY_AWS, AWS_ENDPOINT_URL_PRICING: us.url });
    const embedded = embeddedPriceBook('us-east-1');

    const refresh = await runDowsim(['prices', '--refresh'], env);
    expect(refresh.stderr).not.toMatch(STACK_TRACE);
    expect(refresh.code).toBe(0);
    expect(refresh.stdout).toMatch(/^Refreshed 11 of 11 prices from the AWS Price List API/);
    const cacheFile = join(env.XDG_CACHE_HOME, 'dowsim', 'prices-us-east-1.json');
    expect(refresh.stdout).toContain(`Cached in ${cacheFile}`);
    expect(JSON.parse(readFileSync(cacheFile, 'utf8')).source).toBe('pricing-api');

    const after = await runDowsim(simulateArgs, env);
    expect(after.code).toBe(0);
    const doc = JSON.parse(after.stdout) as ResultDocument;
    expect(doc.prices.source).toBe('pricing-api');
    expect(doc.prices.asOf).toBe(new Date().toISOString().slice(0, 10));
    // the fixture's prices, not the embedded ones ($0.20/M and $3.50/M)
    expect(embedded.prices.lambdaRequest.tiers[0].price).toBeCloseTo(0.2e-6, 15);
    expect(line(doc, /^Lambda requests/)?.unitPrice).toBeCloseTo(0.25e-6, 15);
    expect(line(doc, /^REST requests/)?.unitPrice).toBeCloseTo(4e-6, 15);
    expect(line(doc, /^Lambda duration/)?.unitPrice).toBeCloseTo(0.00002, 15);
    expect(line(doc, /^Log ingestion/)?.unitPrice).toBeCloseTo(0.6, 12);
    expect(line(doc, /^Data transfer out/)?.unitPrice).toBeCloseTo(0.1, 12);

    const shown = await runDowsim(['prices', '--json'], env);
    expect(shown.code).toBe(0);
    const printed = JSON.parse(shown.stdout) as { cacheFile: string; book: { source: string; prices: { wafWebAcl: { tiers: { price: number }[] } } } };
    expect(printed.cacheFile).toBe(cacheFile);
    expect(printed.book.source).toBe('pricing-api');
    expect(printed.book.prices.wafWebAcl.tiers[0].price).toBe(6);
  });

  it('without --refresh prints the book in use: every price, its tiers, source and date', async () => {
    const run = await runDowsim(['prices'], cleanEnv());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Price book for us-east-1: embedded, as of \d{4}-\d{2}-\d{2} \(embedded in dowsim\)/);
    expect(run.stdout).toContain('API Gateway REST API requests  [embedded, ');
    expect(run.stdout).toContain('first 333M: $3.50 per 1M requests · 333M–1B: $2.80 per 1M requests');
    expect(run.stdout).toContain('Lambda duration, arm64');
    expect(run.stdout).toMatch(/source: AWS Compute Blog/);
  });

  it('a partial answer with a malformed item warns naming it, refreshes the rest and lists what stayed embedded', async () => {
    const env = cleanEnv({ ...DUMMY_AWS, AWS_ENDPOINT_URL_PRICING: eu.url });
    const run = await runDowsim(['prices', '--refresh', '--region', 'eu-west-1'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: skipped a malformed AmazonCloudWatch Price List item, item "\{"product"/m);
    expect(run.stdout).toMatch(/^Refreshed 5 of 11 prices/);
    expect(run.stdout).toContain('Stayed embedded: wafWebAcl, wafRule, wafRequest, logsIngestionGb, dataTransferOutGb, getMetricDataMetric.');
    expect(run.stdout).toMatch(/WAF rule {2}\[embedded, /);
    expect(run.stdout).toMatch(/Lambda requests {2}\[pricing-api, /);
  });

  it('--refresh without credentials says why, keeps the embedded book, exits 2 and writes nothing', async () => {
    const env = cleanEnv({ AWS_ENDPOINT_URL_PRICING: us.url });
    const before = us.requests.length;
    const run = await runDowsim(['prices', '--refresh'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^dowsim: Price List API \(GetProducts\): no AWS credentials found\. Set AWS_PROFILE \(or pass --profile\)/m);
    expect(run.stderr).toMatch(/`aws configure`/);
    expect(run.stderr).toMatch(/Prices not refreshed; dowsim keeps billing with the embedded price book for us-east-1/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(us.requests.length).toBe(before); // nothing was sent unsigned
    expect(existsSync(join(env.XDG_CACHE_HOME, 'dowsim', 'prices-us-east-1.json'))).toBe(false);
  });

  it('--endpoint-url wins over AWS_ENDPOINT_URL_PRICING', async () => {
    const env = cleanEnv({ ...DUMMY_AWS, AWS_ENDPOINT_URL_PRICING: 'http://127.0.0.1:9' });
    const run = await runDowsim(['prices', '--refresh', '--endpoint-url', us.url, '--json'], env);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { refresh: { refreshed: string[]; embedded: string[] } };
    expect(out.refresh.refreshed.length).toBe(11);
    expect(out.refresh.embedded).toEqual([]);
  });
});
