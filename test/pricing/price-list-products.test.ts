import { describe, expect, it } from 'vitest';
import { CROSS_CHECKS, PRODUCT_MATCHES, SERVICE_QUERIES, matchesUsageType } from '../../src/pricing/price-list-products.ts';
import { PRICE_KEYS } from '../../src/pricing/validate.ts';

/*
 * Usage types as the AWS Price List writes them (aws-facts.md, "Price List identifiers"): bare in
 * us-east-1 (`Request`, `Lambda-GB-Second`), prefixed elsewhere with an upper-case Region code
 * (`EUW1-Request`, `EU-Lambda-GB-Second-ARM`, `APS3-CW:GMD-Metrics`).
 */

describe('matchesUsageType', () => {
  it('takes the bare usage type and any upper-case Region prefix', () => {
    expect(matchesUsageType('Request', 'Request')).toBe(true);
    expect(matchesUsageType('EUW1-Request', 'Request')).toBe(true);
    expect(matchesUsageType('EU-Lambda-GB-Second-ARM', 'Lambda-GB-Second-ARM')).toBe(true);
    expect(matchesUsageType('USE1-ApiGatewayHttpRequest', 'ApiGatewayHttpRequest')).toBe(true);
    expect(matchesUsageType('APS3-CW:GMD-Metrics', 'CW:GMD-Metrics')).toBe(true);
    expect(matchesUsageType('X-Request', 'Request')).toBe(true);
  });

  it('leaves look-alikes out: the free tier, Lambda@Edge, provisioned concurrency, the other architecture, Shield, IA logs', () => {
    expect(matchesUsageType('Global-Request', 'Request')).toBe(false);
    expect(matchesUsageType('Lambda-Edge-Request', 'Request')).toBe(false);
    expect(matchesUsageType('Request-ARM', 'Request')).toBe(false);
    expect(matchesUsageType('Lambda-GB-Second-ARM', 'Lambda-GB-Second')).toBe(false);
    expect(matchesUsageType('Lambda-Provisioned-GB-Second', 'Lambda-GB-Second')).toBe(false);
    expect(matchesUsageType('USE1-ShieldProtected-WebACLV2', 'WebACLV2')).toBe(false);
    expect(matchesUsageType('USE1-DataProcessingIA-Bytes', 'DataProcessing-Bytes')).toBe(false);
  });

  it('wants a whole prefix before one hyphen: none, lower case or a hyphenated one does not count', () => {
    expect(matchesUsageType('-Request', 'Request')).toBe(false);
    expect(matchesUsageType('euw1-Request', 'Request')).toBe(false);
    expect(matchesUsageType('EU-W1-Request', 'Request')).toBe(false);
    expect(matchesUsageType('EUW1Request', 'Request')).toBe(false);
    expect(matchesUsageType('EUW1_Request', 'Request')).toBe(false);
    expect(matchesUsageType('Requests', 'Request')).toBe(false);
    expect(matchesUsageType('request', 'Request')).toBe(false);
  });
});

describe('what is asked of the Price List', () => {
  it('one product per price of the book, from the five services dowsim asks', () => {
    expect(PRODUCT_MATCHES.map((m) => m.key).sort()).toEqual([...PRICE_KEYS].sort());
    const asked = SERVICE_QUERIES.map((q) => q.serviceCode);
    expect(asked).toEqual(['AWSLambda', 'AmazonApiGateway', 'awswaf', 'AmazonCloudWatch', 'AWSDataTransfer']);
    for (const m of [...PRODUCT_MATCHES, ...CROSS_CHECKS]) expect(asked, m.key).toContain(m.serviceCode);
  });

  it('no product could answer for two prices: no usage type suffix matches another price’s', () => {
    for (const a of PRODUCT_MATCHES) {
      for (const b of PRODUCT_MATCHES) {
        if (a !== b) expect(matchesUsageType(a.usageTypeSuffix, b.usageTypeSuffix), `${a.key} / ${b.key}`).toBe(false);
      }
    }
  });
});
