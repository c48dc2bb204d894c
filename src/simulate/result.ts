import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import type { PriceBook } from '../pricing/types.ts';
import { RESULT_SCHEMA, type ResultDocument, type StackResult } from '../model/result.ts';
import { stackResult, ASSUMPTIONS } from '../cost/stack-result.ts';
import { simulate, type SimulateOptions } from './engine.ts';
import { chooseBucketSeconds, rebucket, type Timeline } from '../model/timeline.ts';
import { addDetection, detectionBucketSeconds } from '../detect/detection.ts';
import { hasRemovableLimits } from '../limits/gateway-limits.ts';

/** Model assumptions the simulator makes (shown in every simulated report). */
export const SIMULATOR_ASSUMPTIONS = [
  'Clients in a cohort are alike: per-key and per-IP limits are simulated for one representative client and multiplied.',
  'Within a 1-second tick, arrivals are spread evenly; token buckets use the exact fluid answer for even arrivals.',
  'Lambda concurrency follows Little\'s law (arrival rate × mean busy time); idle environments are reclaimed after idleTimeout.',
  'Every request counts toward a WAF rate-based rule\'s window, blocked or not; blocking lags by the configured delay.',
  'The unthrottled variant removes stage, route and usage-plan limits (throttles and quotas) and keeps the account limit, WAF and Lambda concurrency.',
];

/** One stack, three simulations: as configured, without API Gateway throttles, and legit traffic alone. */
export function simulateStack(scenario: Scenario, stack: Stack, book: PriceBook, options: Omit<SimulateOptions, 'throttled' | 'onlyRole'>): StackResult {
  // alarms need buckets no coarser than their periods; the document keeps the usual bucket size
  const bucketSeconds = options.bucketSeconds ?? chooseBucketSeconds(options.horizonSeconds);
  const opts = { ...options, bucketSeconds: detectionBucketSeconds(stack, bucketSeconds, options.horizonSeconds) };
  const throttled = simulate(scenario, stack, { ...opts, throttled: true });
  // a stack without stage, route or usage-plan limits: the unthrottled variant is the same run
  const unthrottled = hasRemovableLimits(stack) ? simulate(scenario, stack, { ...opts, throttled: false }) : throttled;
  const legitOnly = simulate(scenario, stack, { ...options, bucketSeconds, throttled: true, onlyRole: 'legit' });
  const coarse = (tl: Timeline) => rebucket(tl, bucketSeconds);
  const result = stackResult({ stack, throttled: coarse(throttled), unthrottled: coarse(unthrottled), legitOnly, book, horizonSeconds: opts.horizonSeconds });
  addDetection(result, stack, book, { throttled, unthrottled });
  if (stack.file) result.file = stack.file;
  return result;
}

/** The result document of `dowsim simulate` / `dowsim compare`. */
export function simulateResult(
  scenario: Scenario,
  stacks: Stack[],
  opts: Omit<SimulateOptions, 'throttled' | 'onlyRole'> & { bookFor: (region: string) => PriceBook; now?: Date },
): ResultDocument {
  const { bookFor, now, ...simOpts } = opts;
  const books = stacks.map((s) => bookFor(s.region));
  const results = stacks.map((s, i) => simulateStack(scenario, s, books[i], simOpts));
  const first = books[0];
  const assumptions = [...ASSUMPTIONS, ...SIMULATOR_ASSUMPTIONS];
  const regions = [...new Set(stacks.map((s) => s.region))];
  if (regions.length > 1) assumptions.push(`Stacks span several Regions (${regions.join(', ')}); each is priced with its own Region's book.`);
  return {
    schema: RESULT_SCHEMA,
    generatedAt: (now ?? new Date()).toISOString(),
    scenario: scenario.name,
    scenarioDescription: scenario.description,
    ...(scenario.file ? { scenarioFile: scenario.file } : {}),
    horizonSeconds: opts.horizonSeconds,
    source: 'simulated',
    prices: { region: first.region, asOf: first.asOf, source: first.source },
    stacks: results,
    assumptions,
  };
}
