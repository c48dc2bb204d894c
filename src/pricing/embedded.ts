import type { Price, PriceBook, PriceKey } from './types.ts';

/*
 * The embedded price books: list prices as DATA, one Price per thing dowsim bills, each with its
 * tiers (ranges in units per month, USD per unit), the source it was read from and the date.
 * `dowsim prices --refresh` replaces them with the Price List API's figures (src/pricing/refresh.ts);
 * until then these are what every bill uses. Keep them in agreement with /work/shared/aws-facts.md.
 *
 * Not here on purpose: account-wide allowances shared with whatever else runs in the account —
 * the first 100 GB/month of data transfer out (free across all services) and CloudWatch's free-tier
 * log data. dowsim prices a stack as if it paid for every byte (see cost/assumptions.ts).
 */

const M = 1e6;
const B = 1e9;
/** AWS's Price List writes TB tier boundaries in GB of 2^30 bytes: 10 TB = 10,240 GB. */
const TB_IN_GB = 1024;

const CHECKED = '2026-11-28';

const WHITEPAPER =
  'AWS whitepaper "Best Practices for Designing Amazon API Gateway Private APIs and Private Integration", ' +
  'Cost optimization, Table 4 (docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html)';

const US_EAST_1: PriceBook = {
  region: 'us-east-1',
  asOf: CHECKED,
  source: 'embedded',
  prices: {
    apiGatewayRestRequest: {
      unit: 'request',
      tiers: [
        { from: 0, to: 333 * M, price: 3.5 / M },
        { from: 333 * M, to: 1 * B, price: 2.8 / M },
        { from: 1 * B, to: 20 * B, price: 2.38 / M },
        { from: 20 * B, price: 1.51 / M },
      ],
      source:
        `${WHITEPAPER}: REST first 333M $3.50/M, next 667M $2.80/M, next 19B $2.38/M, over 20B $1.51/M; ` +
        'same figures in infracost testdata api_gateway_rest_api_test.golden',
      asOf: CHECKED,
    },
    apiGatewayHttpRequest: {
      unit: 'request',
      tiers: [
        { from: 0, to: 300 * M, price: 1.0 / M },
        { from: 300 * M, price: 0.9 / M },
      ],
      source:
        `${WHITEPAPER}: HTTP (us-east-1) first 300M $1.00/M, 300M+ $0.90/M, "metered in 512 KB increments"; ` +
        'tier boundary as infracost internal/resources/aws/apigatewayv2_api.go',
      asOf: CHECKED,
    },
    lambdaRequest: {
      unit: 'request',
      tiers: [{ from: 0, price: 0.2 / M }],
      source:
        'AWS Lambda pricing page (aws.amazon.com/lambda/pricing): $0.20 per 1M requests, both architectures; ' +
        'same figure in infracost testdata lambda_function_test.golden',
      asOf: CHECKED,
    },
    lambdaGbSecondX86: {
      unit: 'GB-second',
      tiers: [
        { from: 0, to: 6 * B, price: 0.0000166667 },
        { from: 6 * B, to: 15 * B, price: 0.000015 },
        { from: 15 * B, price: 0.0000133334 },
      ],
      source:
        'AWS Compute Blog "Introducing tiered pricing for AWS Lambda" and Lambda pricing page: x86_64 first 6B GB-s ' +
        '$0.0000166667, next 9B $0.000015, over 15B $0.0000133334 (monthly, per account); ' +
        'checked against infracost testdata lambda_function_test.golden (15B tier: $200,001.00)',
      asOf: CHECKED,
    },
    lambdaGbSecondArm: {
      unit: 'GB-second',
      tiers: [
        { from: 0, to: 7.5 * B, price: 0.0000133334 },
        { from: 7.5 * B, to: 18.75 * B, price: 0.0000120001 },
        { from: 18.75 * B, price: 0.0000106667 },
      ],
      source:
        'AWS Compute Blog "Introducing tiered pricing for AWS Lambda" and Lambda pricing page: arm64 first 7.5B GB-s ' +
        '$0.0000133334, next 11.25B $0.0000120001, over 18.75B $0.0000106667; ' +
        'checked against infracost testdata lambda_function_test.golden (18.75B tier: $200,000.63)',
      asOf: CHECKED,
    },
    wafWebAcl: {
      unit: 'web ACL-month',
      tiers: [{ from: 0, price: 5.0 }],
      source:
        'AWS WAF pricing (aws.amazon.com/waf/pricing), Price List transcription: $5.00 per web ACL per month, ' +
        'prorated hourly; same in infracost testdata wafv2_web_acl_test.golden',
      asOf: CHECKED,
    },
    wafRule: {
      unit: 'rule-month',
      tiers: [{ from: 0, price: 1.0 }],
      source:
        'AWS WAF pricing (aws.amazon.com/waf/pricing), Price List transcription: $1.00 per rule per month; ' +
        'same in infracost testdata wafv2_web_acl_test.golden',
      asOf: CHECKED,
    },
    wafRequest: {
      unit: 'request',
      tiers: [{ from: 0, price: 0.6 / M }],
      source:
        'AWS WAF pricing (aws.amazon.com/waf/pricing), Price List transcription: $0.60 per 1M requests inspected ' +
        '(allowed and blocked); same in infracost testdata wafv2_web_acl_test.golden',
      asOf: CHECKED,
    },
    logsIngestionGb: {
      unit: 'GB',
      tiers: [{ from: 0, price: 0.5 }],
      source:
        'Amazon CloudWatch pricing (aws.amazon.com/cloudwatch/pricing): Standard log class ingestion $0.50/GB; since ' +
        '2025-05-01 Lambda logs are volume-tiered with this as the first tier (Duckbill Group, "Lambda logs tiered ' +
        'pricing", duckbillgroup.com/?p=9080). The cheaper tiers above 10 TB/month are not embedded (no stored source ' +
        'confirmed their prices): beyond 10 TB/month this overstates the log bill',
      asOf: CHECKED,
    },
    dataTransferOutGb: {
      unit: 'GB',
      tiers: [
        { from: 0, to: 10 * TB_IN_GB, price: 0.09 },
        { from: 10 * TB_IN_GB, to: 50 * TB_IN_GB, price: 0.085 },
        { from: 50 * TB_IN_GB, to: 150 * TB_IN_GB, price: 0.07 },
        { from: 150 * TB_IN_GB, price: 0.05 },
      ],
      source:
        'Data transfer out to the internet, first 10 TB/month $0.09/GB (aws-facts.md; AWS Price List row ' +
        '"$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier", 10 TB = 10,240 GB). ' +
        'Next 40 TB $0.085, next 100 TB $0.07, over 150 TB $0.05: third-party transcriptions (dev.to "The hidden tax ' +
        'on your cloud bill" 2025; cloudtoolstack.com "Cloud Egress Costs" 2026; InfoWorld "Don\'t get surprised by ' +
        'the cloud\'s data-egress fees" 2018). The account-wide first 100 GB/month free is left out on purpose',
      asOf: CHECKED,
    },
    getMetricDataMetric: {
      unit: 'metric',
      tiers: [{ from: 0, price: 0.01 / 1000 }],
      source:
        'Amazon CloudWatch pricing (aws.amazon.com/cloudwatch/pricing): GetMetricData $0.01 per 1,000 metrics ' +
        'requested (transcribed in github.com/nishinoshake/aws-rough issue #37); not in the free tier ' +
        '(AWS Knowledge Center "cloudwatch-getmetricdata-api")',
      asOf: CHECKED,
    },
  },
};

/**
 * eu-west-1 (Ireland). Figures read from AWS's public Price List offer files as transcribed in two
 * public repositories; where no Ireland figure could be sourced the us-east-1 price is used and the
 * price's `source` says so.
 */
const EU_PRICE_LIST_API_GW =
  'AWS Price List, AmazonApiGateway eu-west-1 offer (pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonApiGateway/current/eu-west-1/index.json, published 2026-09-21), ' +
  'as transcribed in github.com/mamtha4u/SDLC backend/config/pricing_eu-west-1.json (fetched 2026-10-02)';
const EU_PRICE_LIST_LAMBDA =
  'AWS Price List, AWSLambda eu-west-1 offer (published 2026-10-01), usage types EU-Request / EU-Lambda-GB-Second(-ARM), ' +
  'as transcribed in github.com/mamtha4u/SDLC backend/config/pricing_eu-west-1.json and github.com/henderjm/world-cup-sweepstake docs/costs/aws-ireland-rates.json';

function fromUsEast1(key: PriceKey, region: string): Price {
  const p = US_EAST_1.prices[key];
  return { ...p, tiers: p.tiers.map((t) => ({ ...t })), source: `us-east-1 prices used for ${region} (no ${region} figure sourced): ${p.source}` };
}

const EU_WEST_1: PriceBook = {
  region: 'eu-west-1',
  asOf: '2026-09-16',
  source: 'embedded',
  prices: {
    apiGatewayRestRequest: {
      unit: 'request',
      tiers: [
        { from: 0, to: 333 * M, price: 3.5 / M },
        { from: 333 * M, to: 1 * B, price: 3.19 / M },
        { from: 1 * B, to: 20 * B, price: 2.71 / M },
        { from: 20 * B, price: 1.72 / M },
      ],
      source: `${EU_PRICE_LIST_API_GW}: usage type EU-ApiGatewayRequest, $3.50/M first 333M, $3.19/M to 1B, $2.71/M to 20B, $1.72/M beyond`,
      asOf: '2026-09-21',
    },
    apiGatewayHttpRequest: {
      unit: 'request',
      tiers: [
        { from: 0, to: 300 * M, price: 1.11 / M },
        { from: 300 * M, price: 1.0 / M },
      ],
      source:
        `${EU_PRICE_LIST_API_GW}: usage type EU-ApiGatewayHttpRequest, $1.11/M first 300M, $1.00/M beyond ` +
        '(first tier also in github.com/henderjm/world-cup-sweepstake docs/costs/aws-ireland-rates.json, offer published 2026-10-02)',
      asOf: '2026-09-21',
    },
    lambdaRequest: {
      unit: 'request',
      tiers: [{ from: 0, price: 0.2 / M }],
      source: `${EU_PRICE_LIST_LAMBDA}: $0.20 per 1M requests (x86_64 and ARM)`,
      asOf: '2026-10-01',
    },
    lambdaGbSecondX86: {
      unit: 'GB-second',
      tiers: [
        { from: 0, to: 6 * B, price: 0.0000166667 },
        { from: 6 * B, to: 15 * B, price: 0.000015 },
        { from: 15 * B, price: 0.0000133334 },
      ],
      source: `${EU_PRICE_LIST_LAMBDA}: x86_64 tiers 0–6B $0.0000166667, 6B–15B $0.000015, over 15B $0.0000133334`,
      asOf: '2026-10-01',
    },
    lambdaGbSecondArm: {
      unit: 'GB-second',
      tiers: [
        { from: 0, to: 7.5 * B, price: 0.0000133334 },
        { from: 7.5 * B, to: 18.75 * B, price: 0.0000120001 },
        { from: 18.75 * B, price: 0.0000106667 },
      ],
      source: `${EU_PRICE_LIST_LAMBDA}: arm64 tiers 0–7.5B $0.0000133334, 7.5B–18.75B $0.0000120001, over 18.75B $0.0000106667`,
      asOf: '2026-10-01',
    },
    wafWebAcl: fromUsEast1('wafWebAcl', 'eu-west-1'),
    wafRule: fromUsEast1('wafRule', 'eu-west-1'),
    wafRequest: fromUsEast1('wafRequest', 'eu-west-1'),
    logsIngestionGb: {
      unit: 'GB',
      tiers: [{ from: 0, price: 0.57 }],
      source:
        'AWS Price List, AmazonCloudWatch eu-west-1 offer (published 2026-09-22), usage type EU-DataProcessing-Bytes: ' +
        '"$0.57 per GB custom log data ingested in Standard log class - EU (Ireland)", as transcribed in ' +
        'github.com/henderjm/world-cup-sweepstake docs/costs/aws-ireland-rates.json; assumed to be the first tier of ' +
        "Lambda's volume-tiered logs as it is in us-east-1 ($0.50 both); later tiers not embedded",
      asOf: '2026-09-22',
    },
    dataTransferOutGb: {
      unit: 'GB',
      tiers: US_EAST_1.prices.dataTransferOutGb.tiers.map((t) => ({ ...t })),
      source:
        'First 10 TB/month $0.09/GB: AWS Price List, AWSDataTransfer eu-west-1 offer (published 2026-09-16), usage type ' +
        'EU-DataTransfer-Out-Bytes, "first 10 TB / month data transfer out beyond the global free tier", through 10,240 GB, ' +
        'as transcribed in github.com/henderjm/world-cup-sweepstake docs/costs/aws-ireland-rates.json. ' +
        'Tiers above 10 TB: us-east-1 prices used for eu-west-1 (no eu-west-1 figure sourced)',
      asOf: '2026-09-16',
    },
    getMetricDataMetric: fromUsEast1('getMetricDataMetric', 'eu-west-1'),
  },
};

/** Regions with their own embedded figures; any other Region falls back to us-east-1, with a note. */
export const EMBEDDED_BOOKS: Readonly<Record<string, PriceBook>> = {
  'us-east-1': US_EAST_1,
  'eu-west-1': EU_WEST_1,
};

export const FALLBACK_REGION = 'us-east-1';
