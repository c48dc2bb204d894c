import { describe, expect, it } from 'vitest';

/*
 * The embedded books are built when their module is first imported. This file imports it inside
 * the test, and nothing else, so that a book that cannot be built (a price missing from the
 * us-east-1 book that eu-west-1 borrows, say) fails a named test instead of a file's import.
 */
describe('the embedded price books module', () => {
  it('builds both books, every price present', async () => {
    const { EMBEDDED_BOOKS, FALLBACK_REGION } = await import('../../src/pricing/embedded.ts');
    const keys = ['apiGatewayRestRequest', 'apiGatewayHttpRequest', 'lambdaRequest', 'lambdaGbSecondX86', 'lambdaGbSecondArm', 'wafWebAcl', 'wafRule', 'wafRequest', 'logsIngestionGb', 'dataTransferOutGb', 'getMetricDataMetric'];
    expect(FALLBACK_REGION).toBe('us-east-1');
    expect(Object.keys(EMBEDDED_BOOKS)).toEqual(['us-east-1', 'eu-west-1']);
    for (const [region, book] of Object.entries(EMBEDDED_BOOKS)) {
      expect(book.region).toBe(region);
      expect(Object.keys(book.prices)).toEqual(keys);
      for (const key of keys) expect(book.prices[key as keyof typeof book.prices].tiers.length, `${region} ${key}`).toBeGreaterThan(0);
    }
  });
});
