import { RESULT_SCHEMA, type ResultDocument } from '../model/result.ts';
import { formatDuration } from '../model/units.ts';
import { ASSUMPTIONS, scaledAssumption, stackResult } from '../cost/stack-result.ts';
import { addDetection } from '../detect/detection.ts';
import { getMetricDataLines } from '../cost/cloudwatch-api.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Stack } from '../stack/types.ts';
import type { CollectOutcome } from './collect-timeline.ts';

/**
 * The result document of `dowsim collect`: the collected timeline priced as the throttled variant
 * over the window (or projected to `horizonSeconds`). CloudWatch only shows what happened, so the
 * unthrottled and legit-only variants are the same timeline (savings 0, damage 0), and the notes
 * say so. The collection's own GetMetricData cost rides in `extras.collection`.
 */
export function collectResult(opts: {
  stack: Stack;
  collected: CollectOutcome;
  book: PriceBook;
  horizonSeconds?: number;
  now?: Date;
}): ResultDocument {
  const { stack, collected, book } = opts;
  const timeline = collected.timeline;
  const horizonSeconds = opts.horizonSeconds ?? timeline.durationSeconds;
  const result = stackResult({ stack, throttled: timeline, unthrottled: timeline, legitOnly: timeline, book, horizonSeconds });
  addDetection(result, stack, book, { throttled: timeline, unthrottled: timeline }, { runOnly: true });
  if (stack.file) result.file = stack.file;
  result.notes = [
    ...(result.notes ?? []),
    'Unthrottled variant not measurable from CloudWatch: it repeats the throttled one (savings 0). Simulate the same traffic (`dowsim simulate`) to see what the throttles save.',
    'CloudWatch sees no cohorts: damage is 0 and collateral is the share of ALL requests that did not succeed.',
  ];
  const lines = getMetricDataLines(collected.metricsRequested, book);
  const start = new Date(collected.window.start * 1000).toISOString();
  const end = new Date(collected.window.end * 1000).toISOString();
  return {
    schema: RESULT_SCHEMA,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    scenario: `cloudwatch ${start} – ${end}`,
    scenarioDescription: `Metrics collected from CloudWatch for ${stack.name} over ${formatDuration(collected.window.end - collected.window.start)}.`,
    horizonSeconds,
    source: 'cloudwatch',
    prices: { region: book.region, asOf: book.asOf, source: book.source },
    stacks: [result],
    assumptions: [...ASSUMPTIONS, ...scaledAssumption(timeline.durationSeconds, horizonSeconds), ...collected.notes],
    server: timeline,
    extras: {
      collection: {
        window: { start, end },
        periodSeconds: collected.period,
        calls: collected.calls,
        retries: collected.retries,
        metricsRequested: collected.metricsRequested,
        endpoint: collected.endpoint,
        bill: {
          currency: 'USD',
          total: lines.reduce((s, l) => s + l.cost, 0),
          lines,
        },
        observed: collected.observed,
      },
    },
  };
}
