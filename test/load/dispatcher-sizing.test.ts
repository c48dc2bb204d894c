/**
 * The driver's own connection sizing (`sizing`, in-flight-window.ts) against real targets on
 * 127.0.0.1: it must not pile connections onto a target that cannot answer more, and must still
 * give a slower target the connections it needs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/load/dispatcher.ts';
import { IdentityPlan } from '../../src/load/identity.ts';
import { Recorder } from '../../src/load/recorder.ts';
import { ArrivalSchedule } from '../../src/load/schedule.ts';
import { timelineTotals } from '../../src/model/timeline.ts';

const servers: Server[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  timers.splice(0).forEach(clearInterval);
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((r) => s.close(r));
    }),
  );
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = createServer(handler);
  s.keepAliveTimeout = 60_000;
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function drive(origin: string, rate: number, seconds: number, connections: number, initial: number) {
  const cohorts = [{ name: 'flood', role: 'attack' as const, method: 'GET', path: '/', bodyBytes: 0, segments: [{ kind: 'constant' as const, rate, duration: seconds }], clients: 1 }];
  const recorder = new Recorder({ cohorts, source: 'emulator', startTime: new Date(), plannedSeconds: seconds });
  const report = await dispatch({
    origin,
    cohorts,
    identities: new IdentityPlan([1]),
    apiKind: 'rest',
    schedule: new ArrivalSchedule(cohorts, { durationSeconds: seconds }),
    recorder,
    connections,
    sizing: { initial },
    lateToleranceMs: 250,
    drainTimeoutMs: 3000,
  });
  const timeline = recorder.finish(report.durationSeconds);
  return { report, timeline, totals: timelineTotals(timeline) };
}

describe('dispatcher with its own connection sizing', () => {
  it('holds back from a saturated target: under two hundred in flight, not the cap of 1,000', async () => {
    // Answers at most 5 requests every 20 ms (250 rps), queueing the rest: more connections bring no more answers.
    const queue: ServerResponse[] = [];
    const origin = await serve((req, res) => {
      req.resume();
      queue.push(res);
    });
    timers.push(setInterval(() => queue.splice(0, 5).forEach((r) => r.end('ok')), 20));
    // Offered 1,000 rps for 4 s. Unsized, the queue would hold ~750 more requests every second, all
    // in flight, up to the cap. Sized: a span allows 16 more or a quarter (16 → 32 → 48 → 64 → 80 →
    // 100 → 125 → 157), and two spans running in which in flight grew by a fifth with no more answers
    // drop it back: four spans without noise, seven if this shared machine's stalls blur the rates.
    const { report, totals } = await drive(origin, 1000, 4, 1000, 16);
    expect(report.saturations).toBeGreaterThanOrEqual(1);
    expect(report.peakInFlight).toBeLessThanOrEqual(157);
    // and it did not cost answers: the target's 250 rps was used (4 s × 250 = 1,000; a slow start and a shared machine leave room)
    expect(totals.succeeded).toBeGreaterThanOrEqual(600);
    expect(totals.offered + totals.dropped).toBe(4000);
  });

  it('gives a slower target what it needs: 200 rps at 300 ms wants 60 in flight; started at 16, it is there within a second or two', async () => {
    const origin = await serve((req, res) => {
      req.resume();
      setTimeout(() => res.end('ok'), 300);
    });
    const { report, totals, timeline } = await drive(origin, 200, 4, 1000, 16);
    expect(report.saturations).toBe(0);
    // Little's law: 200/s × 0.3 s = 60 in flight (more when the shared machine delays the timers)
    expect(report.peakInFlight).toBeGreaterThanOrEqual(55);
    expect(report.peakInFlight).toBeLessThanOrEqual(200);
    expect(totals.succeeded).toBe(totals.offered);
    // Spans of ≥ 0.6 s grow it 16 → 32 → 48 → 64 at the slowest: by the last second nothing waits too long.
    expect(timeline.cohorts[0].buckets[3].dropped).toBe(0);
  });

  it('does not take fast refusals beside slow answers for a queue: half 429 at once, half 200 after 300 ms', async () => {
    // The best latency seen is a refusal's (well under a millisecond), so what is in flight always
    // looks like "queueing" by Little's law with it; but growing the bound brings more answers
    // (the slow half needs 100/s × 0.3 s = 30 in flight), so the target is never found saturated.
    let n = 0;
    const origin = await serve((req, res) => {
      req.resume();
      if (n++ % 2 === 0) {
        res.statusCode = 429;
        res.end('{"message":"Too Many Requests"}');
      } else setTimeout(() => res.end('ok'), 300);
    });
    const { report, totals, timeline } = await drive(origin, 200, 4, 1000, 16);
    expect(report.saturations).toBe(0);
    expect(totals.offered).toBeGreaterThan(0);
    // 16 → 32 → 48 over the first spans: by the last second nothing waits too long
    expect(timeline.cohorts[0].buckets[3].dropped).toBe(0);
  });
});
