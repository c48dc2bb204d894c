/**
 * The stack file format (DESIGN "Inputs"): zod schemas, strict (an unknown key is a problem).
 * Every key but `name`, `api.kind` and `lambda.memoryMb` has a default, written beside it here
 * and in docs/stack-format.md; keep the two in agreement. Defaults that depend on other keys
 * (account quota by Region, integration timeout by API kind, deployed names) are filled in
 * parse.ts. Rules spanning several keys (REST-only features, reserved concurrency headroom, …)
 * live in rules.ts.
 */
import { z } from 'zod';
import { duration, text, wholeNumber } from '../input/fields.ts';
import { monitoringKeys } from './alarms-schema.ts';

/** Largest throttle API Gateway could plausibly be configured with; keeps numbers sane. */
const MAX_THROTTLE = 1e9;

/** A token bucket: steady refill `rate` per second, bucket size `burst` (both required). */
export const throttleSchema = z.strictObject({
  rate: z.number().min(0).max(MAX_THROTTLE), // required, requests per second, ≥ 0
  burst: wholeNumber(0, MAX_THROTTLE), // required, whole requests, ≥ 0
});

/** A route's value: a throttle, or {} for a route that exists without a throttle of its own. */
export const routeThrottleSchema = z.strictObject({
  rate: z.number().min(0).max(MAX_THROTTLE).optional(),
  burst: wholeNumber(0, MAX_THROTTLE).optional(),
  function: text(64).optional(), // default "lambda": the name of the function behind the route
});

export const quotaSchema = z.strictObject({
  limit: wholeNumber(1, 1e12), // required, requests per period per key
  period: z.enum(['DAY', 'WEEK', 'MONTH']), // required; UTC periods
  offset: wholeNumber(0, 30).default(0), // default 0: the day a period starts (WEEK: 0 = Sunday … 6; MONTH: day of month − 1)
});

export const usagePlanSchema = z.strictObject({
  // required; also part of synthetic API keys, hence the restricted characters
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected a plan name of letters, digits, ".", "_", "-"'),
  throttle: throttleSchema.optional(), // default: no per-key throttle
  quota: quotaSchema.optional(), // default: no quota
  // default: none; route key (one of api.routes) → a per-key throttle of that method (AWS: ApiStages[].Throttle)
  routes: z.record(z.string(), throttleSchema).optional(),
  // default: none; explicit key values (AWS keys are 20–128 characters); never echoed in messages
  keys: z.array(z.string().min(20).max(128)).optional(),
});

export const apiSchema = z.strictObject({
  kind: z.enum(['rest', 'http', 'function-url']), // required
  account: throttleSchema.optional(), // default: the Region's quota, 10,000/5,000 (2,500/1,250 in newer Regions)
  stage: throttleSchema.optional(), // default: none (no stage throttle; applied per route, gateway-limits.ts)
  routes: z.record(z.string(), routeThrottleSchema).default({}), // default {}: every path exists, no route throttles
  apiKeyRequired: z.boolean().default(false), // default false; REST only
  usagePlans: z.array(usagePlanSchema).default([]), // default []; REST only
  // default: 29s (rest), 30s (http), lambda.timeout (function-url)
  integrationTimeout: duration({ min: 0.05 }).optional(),
});

export const WAF_WINDOWS = [60, 120, 300, 600];

export const wafSchema = z.strictObject({
  rules: wholeNumber(0, 1000).default(1), // default 1: rules in the web ACL, billed per rule-month
  rateLimit: z
    .strictObject({
      limit: wholeNumber(10, 2_000_000_000), // required; AWS's lowest limit is 10
      // default 5m; AWS allows 1m, 2m, 5m or 10m
      window: duration({ oneOf: WAF_WINDOWS }).default(300),
      key: z.enum(['ip', 'forwarded-ip']).default('ip'), // default ip
      delay: duration({ max: 3600 }).default(30), // default 30s: WAF starts blocking within ~30 s
    })
    .optional(), // default: no rate-based rule
});

/** A fixed duration ("120ms": p50 = p99) or a spread { p50, p99 }. */
const lambdaDuration = z.union(
  [
    duration({ positive: true, max: 900 }),
    z.strictObject({
      p50: duration({ positive: true, max: 900 }), // required
      p99: duration({ positive: true, max: 900 }), // required, ≥ p50
    }),
  ],
  { error: 'expected a duration like "120ms" or { p50: 80ms, p99: 900ms }' },
);

export const lambdaSchema = z.strictObject({
  memoryMb: wholeNumber(128, 10240), // required, 128–10,240 MB
  architecture: z.enum(['x86_64', 'arm64']).default('x86_64'), // default x86_64
  duration: lambdaDuration.default(0.1), // default 100ms
  initDuration: duration({ max: 900 }).default(0.3), // default 300ms: INIT, billed on every cold start
  idleTimeout: duration({ positive: true }).default(600), // default 10m before an idle environment is reclaimed
  reservedConcurrency: wholeNumber(0, 1e6).optional(), // default: none (shares the account's pool)
  accountConcurrency: wholeNumber(1, 1e7).default(1000), // default 1,000 per Region
  timeout: duration({ min: 1, max: 900 }).default(3), // default 3s (AWS's default), at most 15m
  logBytesPerInvocation: wholeNumber(0, 1e9).default(300), // default 300: START/END/REPORT lines
  errorRate: z.number().min(0).max(1).default(0), // default 0: share of invocations that fail (502)
  scaling: z
    .strictObject({
      environments: wholeNumber(1, 1e7).default(1000), // default 1,000 new environments…
      per: duration({ positive: true }).default(10), // default …every 10s
    })
    .default({ environments: 1000, per: 10 }),
});

/** A function's name in the stack file: what routes' `function:` refers to. */
export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * One of several functions behind the API: the keys and defaults of `lambda`, but account
 * concurrency stays on `lambda` (one account, shared by every function).
 */
export const functionSchema = lambdaSchema.omit({ accountConcurrency: true }).extend({
  name: z.string().regex(FUNCTION_NAME, 'expected a function name of letters, digits, "_" or "-" (at most 64)'), // required, unique
  functionName: text(170).optional(), // default: the function's name (CloudWatch dimension FunctionName)
});

export const deployedSchema = z.strictObject({
  apiName: text(255).optional(), // default: the stack's name (REST: CloudWatch dimension ApiName)
  apiId: text(255).optional(), // default: the stack's name (HTTP: dimension ApiId)
  stage: text(128).default('prod'), // default "prod"
  functionName: text(170).optional(), // default: the stack's name
});

export const stackSchema = z.strictObject({
  name: text(100), // required
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS Region code like "us-east-1"')
    .default('us-east-1'), // default us-east-1
  api: apiSchema, // required (api.kind is)
  waf: wafSchema.optional(), // default: no WAF; REST only
  lambda: lambdaSchema, // required (lambda.memoryMb is); the function of every route that names none
  functions: z.array(functionSchema).max(100).default([]), // default []: only `lambda`
  responseBytes: wholeNumber(0, 1e10).default(1024), // default 1,024 bytes per response (data transfer out)
  freeTier: z.boolean().default(false), // default false: no free tier deducted
  deployed: deployedSchema.default({ stage: 'prod' }), // default: names from the stack's name, stage "prod"
  ...monitoringKeys, // alarms, budgets: default [] (alarms-schema.ts)
});

export type StackFile = z.output<typeof stackSchema>;
