/** One price with its tiers as data: `tiers` ascending, each from `from` (inclusive) units per month. */
export interface Tier {
  from: number; // units per month where this tier starts (0 for the first)
  to?: number; // where it ends (exclusive); absent for the last tier
  price: number; // USD per unit
}

export interface Price {
  unit: string; // 'request' | 'GB-second' | 'GB' | 'web ACL-month' | 'rule-month' | 'metric'
  tiers: Tier[];
  source: string; // where the figure comes from
  asOf: string; // ISO date the figure was checked
}

/** Everything dowsim prices, for one Region. Keys are fixed; values are data. */
export interface PriceBook {
  region: string;
  asOf: string; // date of the oldest price in the book
  source: 'embedded' | 'pricing-api';
  prices: {
    apiGatewayRestRequest: Price;
    apiGatewayHttpRequest: Price;
    lambdaRequest: Price;
    lambdaGbSecondX86: Price;
    lambdaGbSecondArm: Price;
    wafWebAcl: Price;
    wafRule: Price;
    wafRequest: Price;
    logsIngestionGb: Price;
    dataTransferOutGb: Price;
    getMetricDataMetric: Price;
  };
  /** Names of prices that stayed embedded after a partial refresh. */
  embeddedFallbacks?: string[];
}

export type PriceKey = keyof PriceBook['prices'];
