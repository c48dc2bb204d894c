import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RetriesExhausted } from '../../src/pricing/price-list-retry.ts';
import {
  PRICE_LIST_API_REGION,
  createPricingClient,
  describePricingEndpoint,
  getAllProducts,
  silenceSdkNodeVersionWarning,
} from '../../src/pricing/price-list-client.ts';
import { startPriceListServer, type PriceListServer } from '../support/price-list-server.ts';
import { withAwsEnv } from './support/aws-env.ts';

/*
 * The Price List client on the wire. GetProducts per the API reference: AWS JSON 1.1, SigV4 for
 * service "pricing" in us-east-1 (one of the API's three endpoints), FormatVersion "aws_v1",
 * MaxResults at most 100, TERM_MATCH filters, NextToken until the answer has none.
 */

let saved: Record<string, string | undefined>;
beforeAll(() => {
  saved = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY, AWS_PROFILE: process.env.AWS_PROFILE };
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTTESTTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  delete process.env.AWS_PROFILE;
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

interface Seen {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
/** A GetProducts endpoint that records every request and answers each with `answer(n)`. */
async function recorder(answer: (n: number) => Record<string, unknown>): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      const out = JSON.stringify({ FormatVersion: 'aws_v1', PriceList: [], ...answer(seen.length) });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}
async function priceList(opts: Parameters<typeof startPriceListServer>[0]): Promise<PriceListServer> {
  const s = await startPriceListServer(opts);
  cleanups.push(() => s.close());
  return s;
}
function client(endpointUrl: string, profile?: string) {
  const c = createPricingClient({ endpointUrl, profile });
  cleanups.push(() => c.destroy());
  return c;
}

describe('getAllProducts', () => {
  it('sends one GetProducts request as the API reference describes it', async () => {
    const r = await recorder(() => ({ PriceList: ['{"a":1}'] }));
    const out = await getAllProducts(client(r.url), 'AWSLambda', [{ Field: 'regionCode', Value: 'eu-west-1' }]);
    // the SDK hands PriceList entries over as String objects
    expect({ items: out.items.map(String), pages: out.pages }).toEqual({ items: ['{"a":1}'], pages: 1 });
    expect(r.seen.length).toBe(1);
    expect(r.seen[0].headers['x-amz-target']).toBe('AWSPriceListService.GetProducts');
    // signed for the Price List API's own Region and service name
    expect(r.seen[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST\/\d{8}\/us-east-1\/pricing\/aws4_request,/);
    expect(r.seen[0].body).toEqual({
      ServiceCode: 'AWSLambda',
      Filters: [{ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' }],
      FormatVersion: 'aws_v1',
      MaxResults: 100,
    });
  });

  it('follows NextToken page after page, in order, and counts the pages', async () => {
    // 8 items, 3 per page: pages of 3, 3 and 2
    const items = Array.from({ length: 8 }, (_, i) => ({ product: { sku: `SKU${i}`, attributes: { usagetype: 'Request', regionCode: 'us-east-1' } } }));
    const s = await priceList({ items: { AWSLambda: items }, pageSize: 3 });
    const out = await getAllProducts(client(s.url), 'AWSLambda', [{ Field: 'regionCode', Value: 'us-east-1' }]);
    expect(out.pages).toBe(3);
    expect(out.items.map((i) => (JSON.parse(String(i)) as { product: { sku: string } }).product.sku)).toEqual(['SKU0', 'SKU1', 'SKU2', 'SKU3', 'SKU4', 'SKU5', 'SKU6', 'SKU7']);
    expect(s.requests.map((r) => r.nextToken === undefined)).toEqual([true, false, false]);
  });

  it('asks for 100 items a page, AWS’s maximum: 150 items are two pages', async () => {
    const items = Array.from({ length: 150 }, (_, i) => ({ product: { sku: `SKU${i}`, attributes: {} } }));
    const s = await priceList({ items: { AWSLambda: items }, pageSize: 1000 });
    const out = await getAllProducts(client(s.url), 'AWSLambda', []);
    expect(out).toMatchObject({ pages: 2 });
    expect(out.items.length).toBe(150);
  });

  it('an empty NextToken or an answer without a PriceList ends the listing', async () => {
    const r = await recorder(() => ({ NextToken: '' }));
    expect(await getAllProducts(client(r.url), 'AWSLambda', [])).toEqual({ items: [], pages: 1 });
    const bare = await recorder(() => ({ PriceList: undefined }));
    expect(await getAllProducts(client(bare.url), 'AWSLambda', [])).toEqual({ items: [], pages: 1 });
  });

  it('stops after 500 pages when the service never stops handing out NextTokens', async () => {
    const r = await recorder((n) => ({ PriceList: [`{"page":${n}}`], NextToken: `t${n}` }));
    const out = await getAllProducts(client(r.url), 'AWSLambda', []);
    expect(out.pages).toBe(500);
    expect(r.seen.length).toBe(500);
    expect(r.seen[1].body.NextToken).toBe('t1');
    expect(String(out.items.at(-1))).toBe('{"page":500}');
  });

  it('retries a throttled page itself — the SDK does not also retry (one request per attempt)', async () => {
    const s = await priceList({ items: { AWSLambda: [] }, throttleFirst: 2 });
    const retries: number[] = [];
    const out = await getAllProducts(client(s.url), 'AWSLambda', [], { baseDelayMs: 1, onRetry: ({ attempt }) => retries.push(attempt) });
    expect(out).toEqual({ items: [], pages: 1 });
    expect(retries).toEqual([1, 2]);
    expect(s.requests.length).toBe(3);
    // and when our attempts run out, exactly that many requests were sent
    const t = await priceList({ items: { AWSLambda: [] }, throttleFirst: 100 });
    const err = await getAllProducts(client(t.url), 'AWSLambda', [], { attempts: 2, baseDelayMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect(t.requests.length).toBe(2);
  });
});

describe('createPricingClient', () => {
  it('signs with the named profile’s keys when --profile is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-aws-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'credentials'), '[ci]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = secret\n');
    writeFileSync(join(dir, 'config'), '[profile ci]\nregion = eu-west-1\n');
    const r = await recorder(() => ({}));
    await withAwsEnv({ AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }, () =>
      getAllProducts(client(r.url, 'ci'), 'AWSLambda', []),
    );
    // the profile's keys, and still the Price List API's Region (not the profile's eu-west-1)
    expect(r.seen[0].headers.authorization).toMatch(/Credential=AKIDFROMPROFILE\/\d{8}\/us-east-1\/pricing\//);
  });

  it('answers in us-east-1, one of the Price List API’s three Regions', () => {
    expect(PRICE_LIST_API_REGION).toBe('us-east-1');
  });
});

describe('describePricingEndpoint (for messages)', () => {
  it('--endpoint-url, else AWS_ENDPOINT_URL_PRICING, else AWS_ENDPOINT_URL, else the public endpoint', () => {
    const env = { AWS_ENDPOINT_URL_PRICING: 'http://pricing.local', AWS_ENDPOINT_URL: 'http://all.local' };
    expect(describePricingEndpoint('http://flag.local', env)).toBe('http://flag.local');
    expect(describePricingEndpoint(undefined, env)).toBe('http://pricing.local');
    expect(describePricingEndpoint('', env)).toBe('http://pricing.local');
    expect(describePricingEndpoint(undefined, { AWS_ENDPOINT_URL: 'http://all.local' })).toBe('http://all.local');
    expect(describePricingEndpoint(undefined, { AWS_ENDPOINT_URL_PRICING: '', AWS_ENDPOINT_URL: 'http://all.local' })).toBe('http://all.local');
    expect(describePricingEndpoint(undefined, {})).toBe('https://api.pricing.us-east-1.amazonaws.com');
  });

  it('reads the process environment by default', () => {
    withAwsEnv({ AWS_ENDPOINT_URL_PRICING: 'http://from-env.local', AWS_ENDPOINT_URL: undefined }, () => {
      expect(describePricingEndpoint()).toBe('http://from-env.local');
    });
  });
});

describe('silenceSdkNodeVersionWarning', () => {
  it('turns the SDK’s Node 22 notice off unless the user chose otherwise', () => {
    withAwsEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined }, () => {
      silenceSdkNodeVersionWarning();
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    });
    withAwsEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' }, () => {
      silenceSdkNodeVersionWarning();
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
    });
    withAwsEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined }, () => {
      createPricingClient().destroy();
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    });
  });
});
