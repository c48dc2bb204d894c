import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { liveRun } from '../../src/run/live-run.ts';
import { accruedCost, alarmFiresAt } from '../../src/detect/detection.ts';
import { CountWindow } from '../../src/detect/window.ts';
import type { Timeline } from '../../src/model/timeline.ts';

const book = embeddedPriceBook('us-east-1');

// 30 s: users at 5 rps throughout, bots at 100 rps from 10 s to 20 s. Per 10-second period the
// API sees 50, 50 + 1,000 = 1,050 and 50 requests.
const scenario = parseScenario(`
name: ten-second-burst
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 5, rate: [ { duration: 30s, rate: 5 } ] }
  - { name: bots, role: attack, clients: 50, rate: [ { duration: 10s, rate: 0 }, { duration: 10s, rate: 100 }, { duration: 10s, rate: 0 } ] }
`);
// 10-second (high-resolution) periods so that a run of seconds spans several of them.
const stack = parseStack(`
name: watched
api: { kind: rest }
lambda: { memoryMb: 128, duration: 20ms }
alarms:
  - { name: burst, metric: Count, period: 10s, threshold: 500, delay: 0s }            # period [10, 20) → 20 s
  - { name: steady, metric: Count, period: 10s, evaluationPeriods: 2, threshold: 30, delay: 0s }  # [0, 10) and [10, 20) → 20 s
  - { name: calls, metric: Invocations, period: 10s, threshold: 500, delay: 5s }       # → 20 + 5 s
  - { name: two-bursts, metric: Count, period: 10s, evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 500, delay: 0s }  # only one burst: never
  - { name: throttles, metric: Throttles, period: 10s, threshold: 0, delay: 0s }      # 10 concurrent at most: never
`);

describe('alarms on a live emulator run', () => {
  it('the emulator\'s server-side metrics, evaluated by the same code, fire in the same period as the prediction', async () => {
    const { doc, report } = await liveRun({ scenario, stack, horizonSeconds: 30, runDir: mkdtempSync(join(tmpdir(), 'dowsim-live-detect-')), book, lateToleranceMs: 250 });
    expect(report.reason).toBe('completed');
    const server = doc.server!;
    const predicted = doc.predicted!;
    expect(server.source).toBe('emulator');
    expect(server.bucketSeconds).toBe(1);
    const firing = (tl: Timeline) => {
      const w = new CountWindow(tl);
      const cost = accruedCost(w, stack, book);
      return Object.fromEntries(stack.alarms!.map((a) => [a.name, alarmFiresAt(a, w, stack, cost)]));
    };
    const expected = { burst: 20, steady: 20, calls: 25, 'two-bursts': null, throttles: null };
    expect(firing(predicted)).toEqual(expected);
    expect(firing(server)).toEqual(expected);
    // the run's own document carries the same verdicts (measured counts, with the server's Lambda side)
    const detection = Object.fromEntries(doc.stacks[0].throttled.detection!.map((d) => [d.alarm, d.firesAtSeconds]));
    expect(detection).toEqual(expected);
  }, 120_000);
});
