/**
 * What a live run's document warns about how the load itself went: stopped early, interrupted,
 * a target that died, requests the driver could not send on time, requests without an answer.
 */
import type { DispatchReport } from '../load/dispatcher.ts';
import { timelineTotals, type Timeline } from '../model/timeline.ts';
import { formatDuration } from '../model/units.ts';
import { lastAnswerSeconds } from './run-result.ts';

/** The driver's warnings, in the order the document lists them. */
export function driverWarnings(
  report: DispatchReport,
  measured: Timeline,
  o: { runSeconds: number; planned: number; connections: number; tolerance: number },
): string[] {
  const { runSeconds, planned, connections, tolerance } = o;
  const m = timelineTotals(measured);
  const warnings: string[] = [];
if (runSeconds <= 0) {
  warnings.push('The run was stopped before any request was due: nothing was measured.');
}
if (report.reason === 'interrupted') {
  warnings.push(`The run was interrupted after ${formatDuration(round3(runSeconds))} of ${formatDuration(round3(planned))}; what was measured until then is reported and priced.`);
}
if (report.reason === 'target-unreachable') {
  const died = lastAnswerSeconds(measured);
  warnings.push(
    `The target stopped answering ${died > 0 ? `${formatDuration(round3(died))} into the run (its last answer)` : 'before it answered anything'} ` +
      `(${report.firstConnectionError ?? 'connection errors'}); the run gave up at ${formatDuration(round3(runSeconds))}, and what was measured until then is reported and priced.`,
  );
}
if (m.dropped > 0) {
  const bound = report.saturations
    ? `the target stopped answering more for more requests in flight (saturated; the driver held it to ${report.finalWindow?.toLocaleString('en-US')} in flight), `
    : report.finalWindow !== undefined
      ? `in-flight bound reached: the driver's own sizing ended at ${report.finalWindow.toLocaleString('en-US')} of at most ${connections.toLocaleString('en-US')}, `
      : `in-flight bound ${connections.toLocaleString('en-US')} connections reached, `;
  warnings.push(
    `${m.dropped.toLocaleString('en-US')} requests were due but could not be sent within ${tolerance} ms ` +
      `(${bound}or the driver fell behind); they are not in "offered". ` +
      (report.saturations ? 'Lower the rate, or give --connections to use that many regardless.' : 'Raise --connections, or lower the rate.'),
  );
}
if (m.connectionErrors > 0) {
  warnings.push(
    `${m.connectionErrors.toLocaleString('en-US')} requests got no HTTP answer` +
      `${report.firstConnectionError ? ` (mostly ${report.firstConnectionError})` : ''}${report.abandoned > 0 ? `; ${report.abandoned} were still unanswered when the run ended` : ''}.`,
  );
}
  return warnings;
}

function round3(s: number): number {
  return Math.round(s * 1000) / 1000;
}
