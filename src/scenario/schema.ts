/**
 * The scenario file format (DESIGN "Inputs"): zod schemas, strict (an unknown key is a problem).
 * Defaults are written here and in docs/scenario-format.md; keep the two in agreement.
 * Rules that span several fields (exactly one shape per segment, unique cohort names, …) live
 * in rules.ts so they can be reported alongside these even when other fields are wrong.
 */
import { z } from 'zod';
import { duration, rate, text, wholeNumber } from '../input/fields.ts';


export const REQUEST_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Accepts any case ("post"), stores upper case. */
const method = z
  .string()
  .transform((m) => m.toUpperCase())
  .pipe(z.enum(REQUEST_METHODS));

/** A request path: starts with "/", no spaces; a query string is allowed and ignored by routing. */
const requestPath = z.string().regex(/^\/[^\s]*$/, 'expected a path starting with "/"').max(2048);

/** Request body size in bytes (HTTP APIs bill each 512 KB as one more request). */
const bodyBytes = wholeNumber(0, 100 * 1024 * 1024);

/** The scenario-wide request every cohort sends unless it overrides part of it. */
export const requestSchema = z.strictObject({
  method: method.default('GET'), // default GET
  path: requestPath.default('/'), // default "/"
  bodyBytes: bodyBytes.default(0), // default 0
});

/** A cohort's override: any subset of the request, merged over the scenario's. */
export const requestOverrideSchema = z.strictObject({
  method: method.optional(),
  path: requestPath.optional(),
  bodyBytes: bodyBytes.optional(),
});

/** Largest weight of one request in a mix; weights are relative, so any scale works below it. */
export const MAX_WEIGHT = 1e6;

/** One request of a cohort's weighted mix: any subset of the request (merged over the scenario's), and its weight. */
export const weightedRequestSchema = requestOverrideSchema.extend({
  weight: z.number().positive().max(MAX_WEIGHT).default(1), // default 1: relative share of the cohort's requests
});

/** The six rate shapes; a segment names exactly one (rules.ts checks "exactly one"). */
export const SHAPES = ['rate', 'ramp', 'exponential', 'pulse', 'random', 'diurnal'] as const;

export const segmentSchema = z.strictObject({
  duration: duration({ positive: true }), // required
  /** constant: N requests per second */
  rate: rate().optional(),
  /** linear from the first rate to the second over the segment */
  ramp: z
    .tuple([rate(), rate()], {
      error: (iss) => (iss.code === 'invalid_type' || iss.code === 'too_small' || iss.code === 'too_big' ? 'expected [from, to]: two rates' : undefined),
    })
    .optional(),
  /** start × factor^(t / every) */
  exponential: z
    .strictObject({
      start: rate(), // required
      factor: z.number().positive().max(1e6), // required; < 1 decays
      every: duration({ positive: true }), // required
    })
    .optional(),
  /** `high` for `on`, then `low` for `off`, repeated; starts with `on` */
  pulse: z
    .strictObject({
      high: rate(), // required
      low: rate().default(0), // default 0
      on: duration({ positive: true }), // required
      off: duration({ positive: true }), // required
    })
    .optional(),
  /** a new rate drawn uniformly from [min, max] every `every`, reproducible from `seed` */
  random: z
    .strictObject({
      min: rate().default(0), // default 0
      max: rate(), // required
      every: duration({ positive: true }), // required
      seed: wholeNumber(0, 2 ** 32 - 1).default(1), // default 1
    })
    .optional(),
  /** mean + amplitude × sin(2π t / period), t from the segment's start; amplitude ≤ mean */
  diurnal: z
    .strictObject({
      mean: rate(), // required
      amplitude: rate(), // required
      period: duration({ positive: true }).default(86400), // default 24h
    })
    .optional(),
});

export const cohortSchema = z.strictObject({
  name: text(64), // required, unique within the scenario
  role: z.enum(['legit', 'attack']), // required
  clients: wholeNumber(1, 1e9).default(1), // default 1: distinct identities sharing the rate evenly
  apiKey: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, 'expected none, invalid or a usage plan name (letters, digits, ".", "_", "-")')
    .default('none'), // default "none"; or "invalid", or a usage plan's name
  rotate: duration({ positive: true }).optional(), // default: never (no IP rotation)
  // default false: X-Forwarded-For names the client; true: a fresh forged first hop per request
  forgeForwardedFor: z.boolean().default(false),
  request: requestOverrideSchema.optional(), // default: the scenario's request
  // default: one request (`request`); or a weighted mix, each a share weight/Σweights of the cohort's rate
  requests: z.array(weightedRequestSchema).min(1).max(100).optional(),
  rate: z.array(segmentSchema, {
    error: (iss) =>
      iss.code === 'invalid_type' ? 'expected a list of segments like [{ duration: 5m, rate: 100 }]' : undefined,
  }).min(1), // required: segments run one after another
});

export const scenarioSchema = z.strictObject({
  name: text(100), // required
  description: z.string().max(2000).default(''), // default ""
  request: requestSchema.default({ method: 'GET', path: '/', bodyBytes: 0 }), // default GET / with no body
  cohorts: z.array(cohortSchema).min(1), // required, at least one
});

export type ScenarioFile = z.output<typeof scenarioSchema>;
export type SegmentFile = z.output<typeof segmentSchema>;
