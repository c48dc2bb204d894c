import type { PriceKey } from './types.ts';

/*
 * Which Price List products feed which price of the book (aws-facts.md, "Price List identifiers").
 * Usage types are matched BY SUFFIX: us-east-1 writes `Request`, other Regions `EUW1-Request` or
 * `EU-Request`, so a match is the suffix alone or `<REGION PREFIX>-<suffix>`, the prefix being
 * upper-case letters and digits. That keeps out look-alikes such as `Global-Request` (the free
 * tier), `Lambda-Edge-Request` or `USE1-ShieldProtected-WebACLV2`.
 */

export interface ServiceQuery {
  serviceCode: string;
  /** The attribute holding the Region: data transfer is keyed by where it leaves from. */
  regionField: 'regionCode' | 'fromRegionCode';
  /** More TERM_MATCH filters that narrow the answer without risking the match. */
  filters: { Field: string; Value: string }[];
}

export interface ProductMatch {
  key: PriceKey;
  serviceCode: string;
  usageTypeSuffix: string;
}

export const SERVICE_QUERIES: ServiceQuery[] = [
  { serviceCode: 'AWSLambda', regionField: 'regionCode', filters: [] },
  { serviceCode: 'AmazonApiGateway', regionField: 'regionCode', filters: [] },
  { serviceCode: 'awswaf', regionField: 'regionCode', filters: [] },
  { serviceCode: 'AmazonCloudWatch', regionField: 'regionCode', filters: [] },
  { serviceCode: 'AWSDataTransfer', regionField: 'fromRegionCode', filters: [{ Field: 'transferType', Value: 'AWS Outbound' }] },
];

export const PRODUCT_MATCHES: ProductMatch[] = [
  { key: 'lambdaRequest', serviceCode: 'AWSLambda', usageTypeSuffix: 'Request' },
  { key: 'lambdaGbSecondX86', serviceCode: 'AWSLambda', usageTypeSuffix: 'Lambda-GB-Second' },
  { key: 'lambdaGbSecondArm', serviceCode: 'AWSLambda', usageTypeSuffix: 'Lambda-GB-Second-ARM' },
  { key: 'apiGatewayRestRequest', serviceCode: 'AmazonApiGateway', usageTypeSuffix: 'ApiGatewayRequest' },
  { key: 'apiGatewayHttpRequest', serviceCode: 'AmazonApiGateway', usageTypeSuffix: 'ApiGatewayHttpRequest' },
  { key: 'wafWebAcl', serviceCode: 'awswaf', usageTypeSuffix: 'WebACLV2' },
  { key: 'wafRule', serviceCode: 'awswaf', usageTypeSuffix: 'RuleV2' },
  { key: 'wafRequest', serviceCode: 'awswaf', usageTypeSuffix: 'RequestV2-Tier1' },
  { key: 'logsIngestionGb', serviceCode: 'AmazonCloudWatch', usageTypeSuffix: 'DataProcessing-Bytes' },
  { key: 'getMetricDataMetric', serviceCode: 'AmazonCloudWatch', usageTypeSuffix: 'CW:GMD-Metrics' },
  { key: 'dataTransferOutGb', serviceCode: 'AWSDataTransfer', usageTypeSuffix: 'DataTransfer-Out-Bytes' },
];

/**
 * Products the book has no key for but that must agree with one that it has: Lambda bills arm64
 * requests as `Request-ARM`, at the same price as x86 today; if that changes the book cannot say so.
 */
export const CROSS_CHECKS: { key: PriceKey; serviceCode: string; usageTypeSuffix: string }[] = [
  { key: 'lambdaRequest', serviceCode: 'AWSLambda', usageTypeSuffix: 'Request-ARM' },
];

/** Whether a usage type is `suffix` itself or `<PREFIX>-suffix` with an upper-case Region prefix. */
export function matchesUsageType(usageType: string, suffix: string): boolean {
  if (usageType === suffix) return true;
  if (!usageType.endsWith(`-${suffix}`)) return false;
  return /^[A-Z0-9]+$/.test(usageType.slice(0, -suffix.length - 1));
}
