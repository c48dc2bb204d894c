import { z } from 'zod';
import { InputError, type Problem } from '../model/errors.ts';
import { RESULT_SCHEMA, type ResultDocument } from '../model/result.ts';
import { TOTAL_KEYS } from '../model/totals.ts';

// Only what the renderers read is checked; anything else a producer adds passes through untouched.
const num = z.number().refine(Number.isFinite, 'expected a finite number');
const totals = z.object(Object.fromEntries(TOTAL_KEYS.map((k) => [k, num])) as Record<(typeof TOTAL_KEYS)[number], typeof num>);
const role = z.enum(['legit', 'attack']);
const source = z.enum(['simulated', 'emulator', 'staging', 'cloudwatch', 'k6']);
const latency = z.object({ count: num, mean: num, p50: num, p90: num, p99: num, max: num });
const timeline = z.object({
  source,
  startTime: z.string().optional(),
  durationSeconds: num,
  bucketSeconds: num.refine((x) => x > 0, 'expected a positive bucket size'),
  cohorts: z.array(z.object({ name: z.string(), role, buckets: z.array(totals), latency: latency.optional() })),
});
const bill = z.object({
  currency: z.literal('USD'),
  total: num,
  perHour: num,
  lines: z.array(z.object({ service: z.string(), item: z.string(), quantity: num, unit: z.string(), unitPrice: num, cost: num })),
});
const variant = z.object({
  totals,
  cohorts: z.record(z.string(), z.object({ role, totals })),
  routes: z.record(z.string(), totals).optional(),
  bill,
  timeline: timeline.optional(),
  detection: z.array(z.object({ alarm: z.string(), firesAtSeconds: num.nullable(), costBeforeUsd: num })).optional(),
});
const deviationRow = z.object({ measured: num, server: num.optional(), predicted: num, relative: num, ofOffered: num.optional(), beyondTolerance: z.boolean().optional() });
const schema = z.object({
  schema: z.literal(RESULT_SCHEMA),
  generatedAt: z.string(),
  scenario: z.string(),
  scenarioDescription: z.string().optional(),
  scenarioFile: z.string().optional(),
  horizonSeconds: num,
  source,
  prices: z.object({ region: z.string(), asOf: z.string(), source: z.enum(['embedded', 'pricing-api']) }),
  // a result prices at least one stack: an empty list would render an empty report
  stacks: z.array(
    z.object({
      name: z.string(),
      file: z.string().optional(),
      apiKind: z.enum(['rest', 'http', 'function-url']),
      throttled: variant,
      unthrottled: variant,
      savings: num,
      damage: num,
      collateral: num,
      runWindow: z.object({ seconds: num, measured: variant, predicted: variant, collateral: z.object({ measured: num, predicted: num }) }).optional(),
      routeFunctions: z.record(z.string(), z.string()).optional(),
      notes: z.array(z.string()).optional(),
    }),
  ).min(1, 'expected at least one stack: a result prices one or more'),
  assumptions: z.array(z.string()),
  measured: timeline.optional(),
  server: timeline.optional(),
  predicted: timeline.optional(),
  deviation: z.record(z.string(), deviationRow).optional(),
  cohortDeviation: z.record(z.string(), z.object({ role, outcomes: z.record(z.string(), deviationRow) })).optional(),
  warnings: z.array(z.string()).optional(),
});

/** Checks that parsed JSON is a dowsim.result/1 document; an InputError lists every problem with its path. */
export function assertResultDocument(value: unknown, file?: string): ResultDocument {
  const schemaValue = (value as { schema?: unknown } | null)?.schema;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || schemaValue !== RESULT_SCHEMA) {
    const got = typeof value === 'object' && value !== null && !Array.isArray(value) ? (schemaValue === undefined ? 'no "schema" field' : `schema ${JSON.stringify(schemaValue)}`) : 'not a JSON object';
    throw new InputError([{ path: 'schema', message: `not a dowsim result document (expected "schema": "${RESULT_SCHEMA}", got ${got})` }], file);
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const problems: Problem[] = r.error.issues.slice(0, 20).map((i) => ({ path: formatPath(i.path), message: i.message }));
    if (r.error.issues.length > 20) problems.push({ path: '', message: `… and ${r.error.issues.length - 20} more` });
    throw new InputError(problems, file);
  }
  return value as ResultDocument;
}

function formatPath(path: PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `${s ? '.' : ''}${String(p)}`;
  return s;
}
