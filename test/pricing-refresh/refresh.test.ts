import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshPriceBook } from '../../src/pricing/refresh.ts';
import { embeddedPriceBook, loadPriceBook } from '../../src/pricing/loader.ts';
import { PRICE_KEYS } from '../../src/pricing/validate.ts';
import { InputError, RuntimeError } from '../../src/model/errors.ts';
import { loadPriceListFixture, startPriceListServer, type PriceListServer } from '../support/price-list-server.ts';
import { closedPort } from '../collect/support/closed-port.ts';

// Dummy credentials: the local endpoint checks that requests are SigV4-signed, not by whom.
const saved = { ...process.env };
beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_PRICING;
});
afterAll(() => {
  process.env = saved;
});

const servers: PriceListServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function server(fixture: string, opts: Omit<Parameters<typeof startPriceListServer>[0], 'items'> = {}) {
  const s = await startPriceListServer({ items: loadPriceListFixture(fixture), ...opts });
  servers.push(s);
  return s;
}
function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dowsim-prices-'));
  dirs.push(d);
  return d;
}

describe('refreshPriceBook against a local Price List endpoint (real @aws-sdk/client-pricing, AWS JSON 1.1)', () => {
  it('refreshes all 11 prices with the changed figures and caches a book the loader then uses', async () => {
    const s = await server('us-east-1-changed.json');
    const dir = cacheDir();
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: dir, now: new Date('2026-11-28T12:00:00Z') });
    expect(r.refreshed).toEqual(PRICE_KEYS);
    expect(r.embedded).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.book.source).toBe('pricing-api');
    expect(r.book.asOf).toBe('2026-11-28');
    expect(r.book.prices.lambdaRequest.tiers).toEqual([{ from: 0, price: 0.25e-6 }]);
    expect(r.book.prices.lambdaGbSecondArm.tiers).toEqual([
      { from: 0, to: 7.5e9, price: 0.000016 },
      { from: 7.5e9, to: 18.75e9, price: 0.0000144 },
      { from: 18.75e9, price: 0.0000128 },
    ]);
    expect(r.book.prices.apiGatewayHttpRequest.tiers[0]).toEqual({ from: 0, to: 300e6, price: 1.2e-6 });
    expect(r.book.prices.wafWebAcl.tiers).toEqual([{ from: 0, price: 6 }]);
    expect(r.book.prices.dataTransferOutGb.tiers[0]).toEqual({ from: 0, to: 10240, price: 0.1 });
    expect(r.book.prices.getMetricDataMetric.tiers).toEqual([{ from: 0, price: 0.000012 }]);
    expect(r.book.prices.lambdaRequest.source).toMatch(/^AWS Price List API \(GetProducts AWSLambda, usagetype Request, sku [A-Z0-9]{16}, effective 2026-11-01/);
    expect(r.cacheFile).toBe(join(dir, 'prices-us-east-1.json'));
    expect(JSON.parse(readFileSync(r.cacheFile!, 'utf8'))).toEqual(r.book);
    expect(loadPriceBook('us-east-1', { cacheDir: dir })).toEqual(r.book);
  });

  it('asks each service once per page, filtered by Region (data transfer by where it leaves from)', async () => {
    const s = await server('us-east-1-changed.json', { pageSize: 3 });
    await refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: cacheDir() });
    const services = [...new Set(s.requests.map((r) => r.serviceCode))];
    expect(services).toEqual(['AWSLambda', 'AmazonApiGateway', 'awswaf', 'AmazonCloudWatch', 'AWSDataTransfer']);
    // 8 Lambda items at 3 per page: 3 requests, the 2nd and 3rd with a NextToken
    const lambda = s.requests.filter((r) => r.serviceCode === 'AWSLambda');
    expect(lambda.length).toBe(3);
    expect(lambda.filter((r) => r.nextToken).length).toBe(2);
    expect(lambda[0].filters).toEqual([{ Field: 'regionCode', Value: 'us-east-1' }]);
    expect(s.requests.find((r) => r.serviceCode === 'AWSDataTransfer')?.filters).toEqual([
      { Field: 'fromRegionCode', Value: 'us-east-1' },
      { Field: 'transferType', Value: 'AWS Outbound' },
    ]);
  });

  it('ThrottlingException answers are retried with backoff', async () => {
    const s = await server('us-east-1-changed.json', { throttleFirst: 2 });
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: cacheDir(), retry: { baseDelayMs: 5 } });
    expect(r.refreshed.length).toBe(11);
  });

  it('a partial answer with malformed items refreshes what it can, warns naming each item, and names what stayed embedded', async () => {
    const s = await server('eu-west-1-partial.json');
    const dir = cacheDir();
    const r = await refreshPriceBook('eu-west-1', { endpointUrl: s.url, cacheDir: dir });
    expect(r.refreshed).toEqual(['apiGatewayRestRequest', 'apiGatewayHttpRequest', 'lambdaRequest', 'lambdaGbSecondX86', 'lambdaGbSecondArm']);
    expect(r.embedded).toEqual(['wafWebAcl', 'wafRule', 'wafRequest', 'logsIngestionGb', 'dataTransferOutGb', 'getMetricDataMetric']);
    expect(r.book.embeddedFallbacks).toEqual(r.embedded);
    expect(r.book.prices.apiGatewayRestRequest.tiers[0].price).toBeCloseTo(3.9e-6, 15);
    expect(r.book.prices.wafRule).toEqual(embeddedPriceBook('eu-west-1').prices.wafRule);
    const w = r.warnings.join('\n');
    expect(w).toMatch(/skipped a malformed AmazonCloudWatch Price List item, item "\{"product".*not valid JSON/);
    expect(w).toMatch(/skipped a malformed AmazonCloudWatch Price List item, EU-DataProcessing-Bytes \(sku [A-Z0-9]{16}\): .*no usable pricePerUnit\.USD/);
    expect(w).toMatch(/wafWebAcl: no awswaf product with usage type "\*WebACLV2" for eu-west-1; the embedded price stays/);
    // the book's asOf is its oldest price: the embedded ones are older than today
    expect(r.book.asOf < new Date().toISOString().slice(0, 10)).toBe(true);
    expect(loadPriceBook('eu-west-1', { cacheDir: dir }).source).toBe('pricing-api');
  });

  it('a service the API refuses (AccessDenied) stays embedded, named with the reason; the others refresh', async () => {
    const s = await server('us-east-1-changed.json', {
      failServices: { awswaf: { status: 400, type: 'AccessDeniedException', message: 'User is not authorized to perform: pricing:GetProducts' } },
    });
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: cacheDir() });
    expect(r.embedded).toEqual(['wafWebAcl', 'wafRule', 'wafRequest']);
    expect(r.refreshed.length).toBe(8);
    expect(r.warnings).toEqual([
      'awswaf: Price List API (GetProducts): access denied (AccessDeniedException): User is not authorized to perform: pricing:GetProducts',
    ]);
  });

  it('a Region the Price List has nothing for refreshes nothing and writes no cache', async () => {
    const s = await server('us-east-1-changed.json');
    const dir = cacheDir();
    const r = await refreshPriceBook('ap-southeast-7', { endpointUrl: s.url, cacheDir: dir });
    expect(r.refreshed).toEqual([]);
    expect(r.cacheFile).toBeUndefined();
    expect(existsSync(join(dir, 'prices-ap-southeast-7.json'))).toBe(false);
    expect(r.warnings.at(-1)).toMatch(/returned none of the prices dowsim needs for ap-southeast-7; the cache was not written/);
  });

  it('an unreachable endpoint is a RuntimeError naming it, and the cache is untouched', async () => {
    const port = await closedPort();
    const dir = cacheDir();
    const err = await refreshPriceBook('us-east-1', { endpointUrl: `http://127.0.0.1:${port}`, cacheDir: dir }).catch((e) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.message).toMatch(new RegExp(`could not reach the endpoint at http://127\\.0\\.0\\.1:${port} \\(connection refused\\)`));
    expect(existsSync(join(dir, 'prices-us-east-1.json'))).toBe(false);
  });

  it('not a Region code → InputError naming --region', async () => {
    await expect(refreshPriceBook('Ireland')).rejects.toThrow(InputError);
    await expect(refreshPriceBook('Ireland')).rejects.toThrow(/--region: "Ireland" is not an AWS Region code/);
  });
});
