import type { Role, Source, Timeline } from './timeline.ts';
import type { Totals } from './totals.ts';

export const RESULT_SCHEMA = 'dowsim.result/1' as const;

export interface BillLine {
  service: string; // 'API Gateway' | 'Lambda' | 'WAF' | 'CloudWatch Logs' | 'Data transfer' | 'CloudWatch'
  item: string; // e.g. 'REST requests (first 333M/month)'
  quantity: number;
  unit: string; // e.g. 'requests', 'GB-s', 'GB', 'web ACL-months'
  unitPrice: number; // USD per unit
  cost: number; // USD, unrounded
}

export interface Bill {
  currency: 'USD';
  total: number; // over the whole horizon
  perHour: number;
  lines: BillLine[];
}

export interface CohortResult {
  role: Role;
  totals: Totals;
}

export interface VariantResult {
  totals: Totals;
  cohorts: Record<string, CohortResult>;
  /** Route key → totals ("METHOD /path (no route)" for requests no route matched), when the source knows routes. */
  routes?: Record<string, Totals>;
  bill: Bill;
  /** Per-cohort timeline of this variant (buckets of `bucketSeconds`) — for charts and CSV. */
  timeline?: Timeline;
  /** Stacks with alarms/budgets: when each would fire and what the bill was by then (src/detect/). */
  detection?: Detection[];
}

/** One alarm's or budget's verdict on a variant. */
export interface Detection {
  alarm: string; // the alarm's or budget's name
  firesAtSeconds: number | null; // seconds from the start; null: never fires within the horizon
  costBeforeUsd: number; // bill accrued (all cohorts) until it fires; never fires: the whole horizon's bill
}

export interface StackResult {
  name: string;
  /** Path of the stack file, when it came from one. */
  file?: string;
  apiKind: 'rest' | 'http' | 'function-url';
  throttled: VariantResult;
  unthrottled: VariantResult;
  savings: number; // unthrottled.bill.total − throttled.bill.total
  damage: number; // throttled bill − bill of the legit cohorts alone
  collateral: number; // share of legit requests that did not succeed (0..1)
  legitOnlyBill?: Bill;
  /** Route key → function name, for routes served by a function other than `lambda`. */
  routeFunctions?: Record<string, string>;
  notes?: string[];
}

export interface PricesInfo {
  region: string;
  asOf: string;
  source: 'embedded' | 'pricing-api';
}

export interface LiveComparison {
  measured?: Timeline; // client-observed
  server?: Timeline; // emulator or CloudWatch
  predicted?: Timeline; // the simulator on the same inputs
  deviation?: Record<string, { measured: number; server?: number; predicted: number; relative: number }>;
  warnings?: string[];
}

/** The result document, `dowsim.result/1` (DESIGN.md). */
export interface ResultDocument extends LiveComparison {
  schema: typeof RESULT_SCHEMA;
  generatedAt: string;
  /** The scenario's name. */
  scenario: string;
  scenarioDescription?: string;
  /** Path of the scenario file, when it came from one. */
  scenarioFile?: string;
  horizonSeconds: number;
  source: Source;
  prices: PricesInfo;
  stacks: StackResult[];
  assumptions: string[];
  /** Collection cost etc. (e.g. GetMetricData requests made). */
  extras?: Record<string, unknown>;
}
