/**
 * k6 results → a timeline (source 'k6') → the result document, priced like any other run.
 * k6 sees the client side only: the unthrottled and legit-only variants are derived from the
 * measured counts, and Lambda's duration is estimated from the stack; the notes say which.
 */
import { basename } from 'node:path';
import { ASSUMPTIONS, scaledAssumption, stackResult } from '../cost/stack-result.ts';
import { RESULT_SCHEMA, type ResultDocument } from '../model/result.ts';
import { chooseBucketSeconds, rebucket, type Timeline } from '../model/timeline.ts';
import { withInvoked, type Totals } from '../model/totals.ts';
import { formatDuration } from '../model/units.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import { readK6Ndjson, type ReadStats } from './read-ndjson.ts';
import { K6Tally } from './tally.ts';
import { readK6Summary } from './read-summary.ts';
import { billableUnits, serverEstimate } from './server-estimate.ts';
import { tallyToTimeline } from './to-timeline.ts';
import { addDetection } from '../detect/detection.ts';

export interface K6Import {
  timeline: Timeline;
  notes: string[];
  stats?: ReadStats;
}

/**
 * Streams `k6 run --out json=<file>` outputs into one per-second, per-cohort timeline. Several
 * files are the runners of one distributed run (k6-operator, or `k6 run --execution-segment`
 * halves run at once): their points carry wall-clock times, so the same second of every runner
 * lands in the same bucket and the counts add up to exactly the runners' http_reqs together.
 */
export async function importK6Output(files: string | string[], stack: Stack, scenario?: Scenario): Promise<K6Import> {
  const list = typeof files === 'string' ? [files] : files;
  const tally = new K6Tally();
  const stats: ReadStats = { lines: 0, points: 0, badLines: 0 };
  const notes: string[] = [];
  for (const file of list) {
    const read = await readK6Ndjson(file, tally);
    stats.lines += read.stats.lines;
    stats.points += read.stats.points;
    stats.badLines += read.stats.badLines;
    if (read.stats.badLines > 0) {
      notes.push(`${read.stats.badLines} line${read.stats.badLines === 1 ? '' : 's'} of ${file} were not JSON and were skipped (a run cut short leaves a partial last line).`);
    }
  }
  const timeline = tallyToTimeline(tally, { stack, cohorts: cohortInfo(scenario), unhinted: 'default' });
  notes.unshift(...commonNotes(tally.hintsRecorded), ...sizeNotes(stack, scenario));
  if (list.length > 1) notes.push(`${list.length} k6 outputs (one per runner) added up: ${list.map((f) => basename(f)).join(', ')}.`);
  if (timeline.cohorts.some((c) => c.name === 'k6')) notes.push('Requests without a `cohort` tag are counted as cohort "k6" (role attack).');
  return { timeline, notes, stats };
}

/** Reads a `--summary-export` file: totals only, one bucket over the whole run. */
export function importK6Summary(file: string, stack: Stack, scenario?: Scenario): K6Import {
  const { tally, durationSeconds, latency } = readK6Summary(file);
  const bucketSeconds = Math.max(1, Math.ceil(durationSeconds));
  const timeline = tallyToTimeline(tally, {
    stack,
    cohorts: cohortInfo(scenario),
    unhinted: tally.hintsRecorded ? 'unknown-message' : 'default',
    bucketSeconds,
  });
  delete timeline.startTime; // a summary does not say when the run started
  for (const c of timeline.cohorts) {
    const l = latency.get(c.name);
    if (l) c.latency = l;
  }
  const notes = [...commonNotes(tally.hintsRecorded), ...sizeNotes(stack, scenario)];
  notes.push(`From k6's end-of-test summary: totals only (one ${formatDuration(bucketSeconds)} bucket), no timeline.`);
  return { timeline, notes };
}

/** The result document of an imported k6 run. */
export function k6Result(opts: {
  imported: K6Import;
  stack: Stack;
  book: PriceBook;
  file: string;
  scenario?: Scenario;
  horizonSeconds?: number;
  now?: Date;
}): ResultDocument {
  const { stack, book } = opts;
  // per-second counts of a long run would make a document of megabytes: at most ~1,440 buckets
  const throttled = rebucket(opts.imported.timeline, chooseBucketSeconds(opts.imported.timeline.durationSeconds));
  const horizonSeconds = opts.horizonSeconds ?? throttled.durationSeconds;
  const unthrottled = withoutGatewayThrottles(throttled, stack);
  const legitOnly = { ...unthrottled, cohorts: unthrottled.cohorts.filter((c) => c.role === 'legit') };
  const result = stackResult({ stack, throttled, unthrottled, legitOnly, book, horizonSeconds });
  addDetection(result, stack, book, { throttled, unthrottled }, { runOnly: true });
  if (stack.file) result.file = stack.file;
  result.notes = [
    ...(result.notes ?? []),
    stack.api.kind === 'function-url'
      ? 'A function URL has no API Gateway throttles: the unthrottled variant is the measured run.'
      : 'Unthrottled variant estimated from the measured run: requests API Gateway throttled (429 rate or quota) are counted as reaching the function and succeeding; Lambda concurrency is not re-simulated (dowsim simulate does that).',
    'Legit-only bill: the legit cohorts as in the unthrottled variant (assumes legit traffic alone is not throttled).',
  ];
  return {
    schema: RESULT_SCHEMA,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    ...(opts.scenario
      ? { scenario: opts.scenario.name, scenarioDescription: opts.scenario.description, ...(opts.scenario.file ? { scenarioFile: opts.scenario.file } : {}) }
      : { scenario: `k6 ${basename(opts.file)}`, scenarioDescription: `A k6 run imported from ${basename(opts.file)}.` }),
    horizonSeconds,
    source: 'k6',
    prices: { region: book.region, asOf: book.asOf, source: book.source },
    stacks: [result],
    assumptions: [...ASSUMPTIONS, ...scaledAssumption(throttled.durationSeconds, horizonSeconds), ...opts.imported.notes],
    measured: throttled,
  };
}

/**
 * The same requests with API Gateway's throttles (stage, route, usage plan) removed: what they
 * threw back with 429 reaches the function instead, billed like a success.
 */
export function withoutGatewayThrottles(tl: Timeline, stack: Stack): Timeline {
  if (stack.api.kind === 'function-url') return tl;
  const estimate = serverEstimate(stack);
  return {
    ...tl,
    cohorts: tl.cohorts.map((c) => {
      const units = c.buckets.length ? unitsPerBilled(c.buckets) : 1;
      return {
        ...c,
        buckets: c.buckets.map((b) => {
          const moved = b.gatewayThrottled + b.quotaExceeded;
          const t: Totals = { ...b, gatewayThrottled: 0, quotaExceeded: 0, succeeded: b.succeeded + moved };
          t.billedApiRequests += moved * (units || billableUnits(stack, 0));
          t.gbSeconds += moved * estimate.billedSeconds.succeeded * estimate.gb;
          return withInvoked(t);
        }),
      };
    }),
  };
}

/** Billable API Gateway units per billed request of a cohort (1 on REST; ≥ 1 on HTTP APIs). */
function unitsPerBilled(buckets: Totals[]): number {
  let billed = 0;
  let units = 0;
  for (const b of buckets) {
    billed += b.lambdaThrottled + b.succeeded + b.failed + b.timedOut;
    units += b.billedApiRequests;
  }
  return billed > 0 ? units / billed : 0;
}

function cohortInfo(scenario: Scenario | undefined) {
  // a mix's requests are told apart only by k6's name tag: its cohort is billed at the mix's mean size
  return scenario?.cohorts.map((c) => {
    const total = c.requests.reduce((s, r) => s + r.weight, 0);
    return { name: c.name, role: c.role, requestBytes: c.requests.reduce((s, r) => s + (r.weight / total) * r.bodyBytes, 0) };
  });
}

function sizeNotes(stack: Stack, scenario: Scenario | undefined): string[] {
  if (stack.api.kind !== 'http' || scenario) return [];
  return ['HTTP API requests counted as one billable unit each (under 512 KB): pass --scenario for the cohorts\' body sizes.'];
}

function commonNotes(hintsRecorded: boolean): string[] {
  return [
    'Source k6: client-observed. Lambda GB-seconds are estimated from the stack (its p50/p99 duration per invocation); cold starts and INIT time are not visible to a client and count 0. `dowsim collect` reads the server\'s own figures.',
    hintsRecorded
      ? 'Outcomes from status codes and the response messages the dowsim script recorded (429 "Limit Exceeded" = quota).'
      : 'Outcomes from status codes alone (k6 records no bodies): 429 counts as gateway throttling, 403 as a rejected key, 500 as a Lambda throttle (API Gateway\'s defaults).',
    'WAF blocks answer 403 "Forbidden" like rejected API keys: without a custom WAF_FILTERED gateway response they count as authRejected.',
    'bytesOut is what k6 received (data_received, headers included).',
  ];
}
