/** A stack after parsing: every default filled in, every duration in seconds. */
import type { Alarm, Budget } from './alarm-types.ts';
import type { ApiKind } from '../model/api-kind.ts';
export type { ApiKind };

export interface Throttle {
  rate: number; // requests per second (steady refill)
  burst: number; // bucket size
}

export interface Quota {
  limit: number;
  period: 'DAY' | 'WEEK' | 'MONTH';
  /** AWS `offset`: the day a period starts — WEEK: 0 = Sunday … 6 = Saturday; MONTH: day of month − 1; DAY: 0. Default 0. */
  offset: number;
}

export interface UsagePlan {
  name: string;
  throttle?: Throttle;
  quota?: Quota;
  /**
   * Per-method throttles of the plan (AWS: the usage plan's `ApiStages[].Throttle`, keyed "/path/METHOD"):
   * route key → a bucket per API key for that route's requests, met before the plan's own throttle.
   */
  routes?: Record<string, Throttle>;
  /** Explicit API key values of this plan (a real deployment's keys); synthetic keys work as well. */
  keys?: string[];
}

export interface WafRateLimit {
  limit: number; // requests per window per key
  windowSeconds: number; // 60 | 120 | 300 | 600
  key: 'ip' | 'forwarded-ip';
  delaySeconds: number; // detection delay before blocking starts (default 30 s)
}

export interface Waf {
  rules: number; // rules in the web ACL (billed per rule-month)
  rateLimit?: WafRateLimit;
}

export interface LambdaDuration {
  p50: number; // seconds
  p99: number; // seconds; equal to p50 for a fixed duration
}

export interface LambdaConfig {
  memoryMb: number;
  architecture: 'x86_64' | 'arm64';
  duration: LambdaDuration;
  initDuration: number; // seconds, billed on every cold start
  idleTimeout: number; // seconds an idle environment stays warm
  reservedConcurrency?: number;
  accountConcurrency: number;
  timeout: number; // function timeout, seconds
  logBytesPerInvocation: number;
  errorRate: number; // share of invocations where the handler fails (502), default 0
  scaling: { environments: number; perSeconds: number }; // default 1,000 per 10 s
}

/** One more function behind the API (`functions:` in the stack file); `lambda` is the default one. */
export interface FunctionConfig extends Omit<LambdaConfig, 'accountConcurrency'> {
  name: string; // what a route's `function:` names
  functionName: string; // its deployed name (CloudWatch dimension FunctionName)
}

export interface Deployed {
  apiName: string;
  apiId: string;
  stage: string;
  functionName: string;
}

export interface Stack {
  name: string;
  file?: string;
  region: string;
  api: {
    kind: ApiKind;
    account: Throttle;
    stage?: Throttle;
    /** "METHOD /path" → throttle ("ANY /path" matches every method); null: the route exists, no own throttle. */
    routes: Record<string, Throttle | null>;
    apiKeyRequired: boolean;
    usagePlans: UsagePlan[];
    /** Integration timeout: 29 s REST, 30 s HTTP API; function URLs: the function's own timeout. */
    integrationTimeout: number;
    /** Route key → function name, for routes that name a function other than `lambda` (absent: all `lambda`). */
    routeFunctions?: Record<string, string>;
  };
  waf?: Waf;
  /** The default function (routes without `function:`), and the account's concurrency. */
  lambda: LambdaConfig;
  /** Further functions behind routes (absent or empty: only `lambda`); see stack/functions.ts. */
  functions?: FunctionConfig[];
  responseBytes: number;
  freeTier: boolean;
  deployed: Deployed;
  alarms?: Alarm[]; // absent when the stack file has none
  budgets?: Budget[]; // absent when the stack file has none
}
