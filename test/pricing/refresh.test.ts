import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InputError, RuntimeError } from '../../src/model/errors.ts';
import { embeddedPriceBook, loadPriceBook } from '../../src/pricing/loader.ts';
import { createPricingClient } from '../../src/pricing/price-list-client.ts';
import { refreshPriceBook } from '../../src/pricing/refresh.ts';
import { PRICE_KEYS } from '../../src/pricing/validate.ts';
import { closedPort } from '../collect/support/closed-port.ts';
import { loadPriceListFixture, startPriceListServer, type PriceListItems, type PriceListServer } from '../support/price-list-server.ts';
import { withAwsEnv } from './support/aws-env.ts';
import { priceListItem } from './support/price-list-item.ts';

/*
 * `dowsim prices --refresh` end to end in process: the real @aws-sdk/client-pricing against the
 * local Price List endpoint (AWS JSON 1.1, SigV4-signed, NextToken pages). Expected figures are read
 * off the items served (us-east-1-changed.json, or the items written in the test), not from src/.
 */

const NO_AWS_ENV = {
  AWS_PROFILE: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_PRICING: undefined,
};
let restore: Record<string, string | undefined>;
beforeAll(() => {
  restore = Object.fromEntries(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', ...Object.keys(NO_AWS_ENV)].map((k) => [k, process.env[k]]));
  // dummy keys: the local endpoint checks that requests are signed, not by whom
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  for (const k of Object.keys(NO_AWS_ENV)) delete process.env[k];
});
afterAll(() => {
  for (const [k, v] of Object.entries(restore)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const servers: PriceListServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function serve(items: PriceListItems, opts: Omit<Parameters<typeof startPriceListServer>[0], 'items'> = {}): Promise<PriceListServer> {
  const s = await startPriceListServer({ items, ...opts });
  servers.push(s);
  return s;
}
function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dowsim-prices-'));
  dirs.push(d);
  return d;
}
const changed = () => loadPriceListFixture('us-east-1-changed.json');
// after the embedded books' dates (2026-11-28 and older), so that "today" and "embedded" differ
const NOW = new Date('2026-12-15T12:00:00Z');
const FAST = { attempts: 2, baseDelayMs: 1 };

describe('a full refresh (us-east-1-changed.json: every price about 20 % above the embedded book)', () => {
  it('takes each of the 11 prices from its own product, in the book’s units, sourced and dated today', async () => {
    const s = await serve(changed());
    const dir = cacheDir();
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: dir, now: NOW });
    expect(r.warnings).toEqual([]);
    expect(r.refreshed).toEqual(PRICE_KEYS);
    expect(r.embedded).toEqual([]);
    const p = r.book.prices;
    // straight from the fixture's pricePerUnit.USD and beginRange/endRange
    expect(p.lambdaRequest.tiers).toEqual([{ from: 0, price: 0.00000025 }]);
    expect(p.lambdaGbSecondX86.tiers).toEqual([
      { from: 0, to: 6e9, price: 0.00002 },
      { from: 6e9, to: 15e9, price: 0.000018 },
      { from: 15e9, price: 0.000016 },
    ]);
    expect(p.lambdaGbSecondArm.tiers[0]).toEqual({ from: 0, to: 7.5e9, price: 0.000016 });
    expect(p.apiGatewayRestRequest.tiers).toEqual([
      { from: 0, to: 333e6, price: 0.000004 },
      { from: 333e6, to: 1e9, price: 0.0000032 },
      { from: 1e9, to: 20e9, price: 0.00000272 },
      { from: 20e9, price: 0.00000172 },
    ]);
    expect(p.apiGatewayHttpRequest.tiers).toEqual([
      { from: 0, to: 300e6, price: 0.0000012 },
      { from: 300e6, price: 0.00000108 },
    ]);
    expect(p.wafWebAcl.tiers).toEqual([{ from: 0, price: 6 }]);
    expect(p.wafRule.tiers).toEqual([{ from: 0, price: 1.2 }]);
    expect(p.wafRequest.tiers).toEqual([{ from: 0, price: 0.00000072 }]);
    expect(p.logsIngestionGb.tiers).toEqual([{ from: 0, price: 0.6 }]);
    expect(p.getMetricDataMetric.tiers).toEqual([{ from: 0, price: 0.000012 }]);
    expect(p.dataTransferOutGb.tiers).toEqual([
      { from: 0, to: 10240, price: 0.1 },
      { from: 10240, to: 51200, price: 0.095 },
      { from: 51200, to: 153600, price: 0.08 },
      { from: 153600, price: 0.06 },
    ]);
    // the book's own units, whatever the Price List calls them ("Lambda-GB-Second", "WebACL", "Metrics")
    expect(PRICE_KEYS.map((k) => p[k].unit)).toEqual(['request', 'request', 'request', 'GB-second', 'GB-second', 'web ACL-month', 'rule-month', 'request', 'GB', 'GB', 'metric']);
    expect(p.lambdaRequest.source).toBe('AWS Price List API (GetProducts AWSLambda, usagetype Request, sku CSPMGCN4CVBXVGUH, effective 2026-11-01; Price List unit "Requests")');
    expect(p.wafWebAcl.source).toMatch(/^AWS Price List API \(GetProducts awswaf, usagetype USE1-WebACLV2, sku 2VY33DC83HBFXJFE, effective 2026-11-01; Price List unit "WebACL"\)$/);
    for (const k of PRICE_KEYS) expect(p[k].asOf, k).toBe('2026-12-15');
    // every price refreshed today: the book is as of today, not as of the embedded book it replaced
    expect(r.book).toMatchObject({ region: 'us-east-1', asOf: '2026-12-15', source: 'pricing-api' });
    expect(r.book.embeddedFallbacks).toBeUndefined();
    // cached, and what the loader then bills with
    expect(r.cacheFile).toBe(join(dir, 'prices-us-east-1.json'));
    const text = readFileSync(r.cacheFile!, 'utf8');
    expect(JSON.parse(text)).toEqual(r.book);
    expect(text.endsWith('}\n')).toBe(true); // a text file, ending with a newline
    expect(loadPriceBook('us-east-1', { cacheDir: dir })).toEqual(r.book);
  });

  it('asks the five services in turn, by regionCode (data transfer: by fromRegionCode, outbound only), and says so', async () => {
    const s = await serve(changed());
    const progress: string[] = [];
    await refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: cacheDir(), onProgress: (l) => progress.push(l) });
    expect(progress).toEqual(['AWSLambda', 'AmazonApiGateway', 'awswaf', 'AmazonCloudWatch', 'AWSDataTransfer'].map((c) => `fetching ${c} prices for us-east-1 from ${s.url}`));
    const firstPages = s.requests.filter((r) => !r.nextToken);
    expect(firstPages.map((r) => [r.serviceCode, r.filters])).toEqual([
      ['AWSLambda', [{ Field: 'regionCode', Value: 'us-east-1' }]],
      ['AmazonApiGateway', [{ Field: 'regionCode', Value: 'us-east-1' }]],
      ['awswaf', [{ Field: 'regionCode', Value: 'us-east-1' }]],
      ['AmazonCloudWatch', [{ Field: 'regionCode', Value: 'us-east-1' }]],
      ['AWSDataTransfer', [{ Field: 'fromRegionCode', Value: 'us-east-1' }, { Field: 'transferType', Value: 'AWS Outbound' }]],
    ]);
  });

  it('write: false builds the same book and writes nothing', async () => {
    const s = await serve(changed());
    const dir = cacheDir();
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: dir, write: false });
    expect(r.refreshed.length).toBe(11);
    expect(r.cacheFile).toBeUndefined();
    expect(existsSync(join(dir, 'prices-us-east-1.json'))).toBe(false);
  });

  it('a client handed in is used as it is and left open for its owner', async () => {
    const s = await serve(changed());
    const client = createPricingClient({ endpointUrl: s.url });
    try {
      const progress: string[] = [];
      const r = await refreshPriceBook('us-east-1', { client, cacheDir: cacheDir(), write: false, onProgress: (l) => progress.push(l) });
      expect(r.refreshed.length).toBe(11);
      expect(progress[0]).toBe('fetching AWSLambda prices for us-east-1 from the given client');
      // still usable: refreshPriceBook did not destroy it
      const again = await refreshPriceBook('us-east-1', { client, endpointUrl: s.url, write: false, onProgress: (l) => progress.push(l) });
      expect(again.refreshed.length).toBe(11);
      expect(progress[5]).toBe(`fetching AWSLambda prices for us-east-1 from ${s.url}`);
    } finally {
      client.destroy();
    }
  });
});

const lambda = (usageType: string, sku: string, usd: string) =>
  priceListItem({ serviceCode: 'AWSLambda', usageType, sku, tiers: [['0', 'Inf', usd]], effectiveDate: '2026-11-01T00:00:00Z' });

describe('what the Price List answers, and what the book makes of it', () => {
  it('several products for one price with different figures: the first one is used, and the warning names them all', async () => {
    const s = await serve({ AWSLambda: [lambda('Request', 'SKUAAAAAAAAAAAA1', '0.0000002500'), lambda('USE1-Request', 'SKUBBBBBBBBBBBB2', '0.0000003000')] });
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, write: false });
    expect(r.book.prices.lambdaRequest.tiers).toEqual([{ from: 0, price: 0.00000025 }]);
    expect(r.warnings).toContain(
      'lambdaRequest: 2 products match "*Request" with different prices (Request sku SKUAAAAAAAAAAAA1, USE1-Request sku SKUBBBBBBBBBBBB2); used Request sku SKUAAAAAAAAAAAA1.',
    );
  });

  it('several products with the same figures: no warning', async () => {
    const s = await serve({ AWSLambda: [lambda('Request', 'SKUAAAAAAAAAAAA1', '0.0000002500'), lambda('USE1-Request', 'SKUBBBBBBBBBBBB2', '0.00000025')] });
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, write: false });
    expect(r.refreshed).toEqual(['lambdaRequest']);
    expect(r.warnings.filter((w) => w.startsWith('lambdaRequest'))).toEqual([]);
  });

  it('arm64 requests (Request-ARM) priced apart from x86 ones: the book has one price, the warning says so', async () => {
    // $0.25/M for x86 requests, $0.30/M for arm64 ones
    const s = await serve({ AWSLambda: [lambda('Request', 'SKUAAAAAAAAAAAA1', '0.0000002500'), lambda('Request-ARM', 'SKUCCCCCCCCCCCC3', '0.0000003000')] });
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, write: false });
    expect(r.warnings).toContain('lambdaRequest: Request-ARM is priced differently (3e-7 USD) from the price used (2.5e-7 USD); the book has one price for both.');
    // at the same price, nothing to say
    const same = await serve({ AWSLambda: [lambda('Request', 'SKUAAAAAAAAAAAA1', '0.00000025'), lambda('Request-ARM', 'SKUCCCCCCCCCCCC3', '0.00000025')] });
    expect((await refreshPriceBook('us-east-1', { endpointUrl: same.url, write: false })).warnings.filter((w) => w.startsWith('lambdaRequest'))).toEqual([]);
    // without an x86 Request product the embedded price stays, and there is nothing to compare the ARM one with
    const armOnly = await serve({ AWSLambda: [lambda('Request-ARM', 'SKUCCCCCCCCCCCC3', '0.0000003000')] });
    const r3 = await refreshPriceBook('us-east-1', { endpointUrl: armOnly.url, write: false });
    expect(r3.warnings.some((w) => w.includes('priced differently'))).toBe(false);
    expect(r3.warnings).toContain('lambdaRequest: no AWSLambda product with usage type "*Request" for us-east-1; the embedded price stays.');
  });

  it('a figure 10× away from the embedded one (per-million read as per-request) is not used; the embedded price stays, named', async () => {
    // $0.20 per request instead of per million: 10^6 × the embedded $0.0000002
    const s = await serve({ AWSLambda: [lambda('Request', 'SKUAAAAAAAAAAAA1', '0.2000000000'), lambda('Lambda-GB-Second', 'SKUDDDDDDDDDDDD4', '0.0000166667')] });
    const dir = cacheDir();
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: dir, now: NOW });
    expect(r.refreshed).toEqual(['lambdaGbSecondX86']);
    expect(r.embedded).not.toContain('lambdaGbSecondX86');
    expect(r.embedded).toContain('lambdaRequest');
    expect(r.warnings).toContain(
      "lambdaRequest: the Price List figure was not used (prices.lambdaRequest.tiers[0].price: 0.2 USD per request is more than 10× away from us-east-1's 2e-7; a unit mistake?); the embedded price stays.",
    );
    expect(r.book.prices.lambdaRequest).toEqual(embeddedPriceBook('us-east-1').prices.lambdaRequest);
    expect(r.book.embeddedFallbacks).toEqual(PRICE_KEYS.filter((k) => k !== 'lambdaGbSecondX86'));
    // the book is dated by its oldest price (an embedded one), and the loader accepts it
    expect(r.book.asOf).toBe(embeddedPriceBook('us-east-1').asOf);
    expect(loadPriceBook('us-east-1', { cacheDir: dir })).toEqual(r.book);
  });

  it('only the source of a refreshed price changes: no effective date, no service code', async () => {
    const item = priceListItem({ serviceCode: 'AWSLambda', usageType: 'Request', sku: 'SKUAAAAAAAAAAAA1', tiers: [['0', 'Inf', '0.0000002500']] }) as { serviceCode?: string; product: { attributes: { servicecode?: string } } };
    delete item.serviceCode;
    delete item.product.attributes.servicecode;
    const s = await serve({ AWSLambda: [item] });
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, write: false });
    expect(r.book.prices.lambdaRequest.source).toBe('AWS Price List API (GetProducts service, usagetype Request, sku SKUAAAAAAAAAAAA1; Price List unit "Requests")');
  });

  it('malformed items: those that might be a needed price are named, look-alikes are passed over in silence', async () => {
    const noUsd = priceListItem({ serviceCode: 'AWSLambda', usageType: 'Lambda-GB-Second-ARM', sku: 'SKUEEEEEEEEEEEE5', tiers: [['0', 'Inf', '']] });
    const edgeNoUsd = priceListItem({ serviceCode: 'AWSLambda', usageType: 'Lambda-Edge-Request', sku: 'SKUFFFFFFFFFFFF6', tiers: [['0', 'Inf', '']] });
    const s = await serve({ AWSLambda: ['{"product": {"sku": "SKU', noUsd, edgeNoUsd, lambda('Request', 'SKUAAAAAAAAAAAA1', '0.0000002500')] });
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, write: false });
    expect(r.warnings.slice(0, 2)).toEqual([
      expect.stringMatching(/^skipped a malformed AWSLambda Price List item, item "\{"product": \{"sku": "SKU": not valid JSON \(/),
      'skipped a malformed AWSLambda Price List item, Lambda-GB-Second-ARM (sku SKUEEEEEEEEEEEE5): price dimension SKUEEEEEEEEEEEE5.JRTCKXETXF.RATE0 has no usable pricePerUnit.USD ("")',
    ]);
    expect(r.warnings.some((w) => w.includes('Lambda-Edge-Request'))).toBe(false);
    expect(r.refreshed).toEqual(['lambdaRequest']);
  });

  it('a service the API refuses stays embedded with the reason; the others refresh', async () => {
    const s = await serve(changed(), { failServices: { AmazonCloudWatch: { status: 400, type: 'AccessDeniedException', message: 'not authorized' } } });
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, write: false });
    expect(r.embedded).toEqual(['logsIngestionGb', 'getMetricDataMetric']);
    expect(r.warnings).toEqual(['AmazonCloudWatch: Price List API (GetProducts): access denied (AccessDeniedException): not authorized']);
  });

  it('Lambda refused, the rest answered: Lambda stays embedded and there is no arm64 request price to compare', async () => {
    const s = await serve(changed(), { failServices: { AWSLambda: { status: 400, type: 'AccessDeniedException', message: 'not authorized' } } });
    const r = await refreshPriceBook('us-east-1', { endpointUrl: s.url, write: false, now: NOW });
    expect(r.embedded).toEqual(['lambdaRequest', 'lambdaGbSecondX86', 'lambdaGbSecondArm']);
    expect(r.warnings).toEqual(['AWSLambda: Price List API (GetProducts): access denied (AccessDeniedException): not authorized']);
    // dated by its oldest price: the embedded Lambda ones (2026-11-28), not today
    expect(r.book.asOf).toBe('2026-11-28');
  });

  it('a Region the Price List has nothing for: nothing refreshed, the embedded book back, no cache written', async () => {
    const s = await serve(changed());
    const dir = cacheDir();
    const r = await refreshPriceBook('ap-southeast-7', { endpointUrl: s.url, cacheDir: dir });
    expect(r.refreshed).toEqual([]);
    expect(r.embedded).toEqual(PRICE_KEYS);
    expect(r.book).toEqual(embeddedPriceBook('ap-southeast-7'));
    expect(r.cacheFile).toBeUndefined();
    expect(existsSync(join(dir, 'prices-ap-southeast-7.json'))).toBe(false);
    expect(r.warnings.at(-1)).toBe('the Price List API returned none of the prices dowsim needs for ap-southeast-7; the cache was not written.');
    expect(r.warnings).toContain('wafRule: no awswaf product with usage type "*RuleV2" for ap-southeast-7; the embedded price stays.');
  });
});

describe('failures that stop the refresh: RuntimeError naming the cause, the cache untouched', () => {
  it('every service failing: the first one’s reason, with the attempts made', async () => {
    const s = await serve(changed(), { throttleFirst: 1000 });
    const dir = cacheDir();
    const err = await refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: dir, retry: FAST }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe(
      'Price List API (GetProducts): AWS kept throttling the requests after 2 attempts with backoff (ThrottlingException). Try again later or with a narrower window.',
    );
    // 5 services × 2 attempts: one failing service did not stop the others from being asked
    expect(s.requests.length).toBe(10);
    expect(existsSync(join(dir, 'prices-us-east-1.json'))).toBe(false);
  });

  it('no credentials: stops at the first service, nothing sent unsigned', async () => {
    const s = await serve(changed());
    const progress: string[] = [];
    const err = await withAwsEnv(
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_CONFIG_FILE: '/nonexistent/dowsim-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/dowsim-credentials', AWS_EC2_METADATA_DISABLED: 'true' },
      () => refreshPriceBook('us-east-1', { endpointUrl: s.url, cacheDir: cacheDir(), onProgress: (l) => progress.push(l) }).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/^Price List API \(GetProducts\): no AWS credentials found\. Set AWS_PROFILE/);
    expect(progress.length).toBe(1);
    expect(s.requests.length).toBe(0);
  });

  it('an unreachable endpoint: stops at the first service, naming the endpoint', async () => {
    const port = await closedPort();
    const progress: string[] = [];
    const err = await refreshPriceBook('us-east-1', { endpointUrl: `http://127.0.0.1:${port}`, onProgress: (l) => progress.push(l), retry: FAST }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `Price List API (GetProducts): could not reach the endpoint at http://127.0.0.1:${port} (connection refused). Check the network, --endpoint-url and the AWS_ENDPOINT_URL_* variables.`,
    );
    expect(progress.length).toBe(1);
  });

  it('not a Region code: an InputError naming --region, before anything is asked', async () => {
    const err = await refreshPriceBook('Ireland').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([{ path: '--region', message: '"Ireland" is not an AWS Region code (like us-east-1 or eu-west-1)' }]);
  });
});
