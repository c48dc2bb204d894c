/**
 * A client sees outcomes, not what Lambda billed for them: GB-seconds (INIT included) and cold
 * starts. The measured timeline borrows them per invocation from the server side (the emulator,
 * or CloudWatch) where it has them, else from the simulator's prediction for the same run.
 */
import { cohortTotals, type Timeline } from '../model/timeline.ts';

export interface BorrowedUsage {
  timeline: Timeline;
  /** Which source each cohort's Lambda usage came from. */
  from: Record<string, 'server' | 'predicted' | 'none'>;
}

/** The measured timeline with gbSeconds, initGbSeconds and coldStarts per invocation taken from elsewhere. */
export function withLambdaUsage(measured: Timeline, server: Timeline | undefined, predicted: Timeline): BorrowedUsage {
  const from: BorrowedUsage['from'] = {};
  const cohorts = measured.cohorts.map((c) => {
    const s = server?.cohorts.find((x) => x.name === c.name);
    const p = predicted.cohorts.find((x) => x.name === c.name);
    const st = s ? cohortTotals(s) : undefined;
    const pt = p ? cohortTotals(p) : undefined;
    const src = st && st.invoked > 0 ? st : pt && pt.invoked > 0 ? pt : undefined;
    from[c.name] = src === st && st ? 'server' : src ? 'predicted' : 'none';
    if (!src) return c;
    const gb = src.gbSeconds / src.invoked;
    const init = src.initGbSeconds / src.invoked;
    const cold = src.coldStarts / src.invoked;
    return {
      ...c,
      buckets: c.buckets.map((b) => ({ ...b, gbSeconds: b.invoked * gb, initGbSeconds: b.invoked * init, coldStarts: b.invoked * cold })),
    };
  });
  return { timeline: { ...measured, cohorts }, from };
}

/** The note of a run's document saying where its Lambda GB-seconds and cold starts came from. */
export function lambdaUsageNote(from: Record<string, 'server' | 'predicted' | 'none'>, emulated: boolean): string {
  const srcs = new Set(Object.values(from).filter((f) => f !== 'none'));
  const server = emulated ? 'the emulator' : 'CloudWatch';
  if (srcs.size === 1 && srcs.has('server')) return `Lambda GB-seconds and cold starts per invocation come from ${server} (a client cannot see them).`;
  if (srcs.has('server')) return `Lambda GB-seconds and cold starts per invocation come from ${server} where it saw the cohort, else from the simulator.`;
  return 'Lambda GB-seconds and cold starts per invocation are the simulator\'s (a client cannot see them).';
}
