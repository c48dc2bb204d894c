/**
 * RSS over a long run (`npm run bench soak`, not part of the default bench: it takes 10 minutes).
 * dowsim's driver with its default sizing sends 20,000 rps at a loopback node:http target for
 * DOWSIM_BENCH_SOAK_SECONDS (default 600); the driver process's RSS is sampled every 10 s and the
 * slope is fitted by least squares over the samples after the first minute (warm-up, JIT, pools).
 */
import { spawnPortServer } from './child-server.ts';
import { dispatch } from '../src/load/dispatcher.ts';
import { IdentityPlan } from '../src/load/identity.ts';
import { Recorder } from '../src/load/recorder.ts';
import { ArrivalSchedule } from '../src/load/schedule.ts';
import { warmUpDriver } from '../src/load/warm-up.ts';
import { timelineTotals } from '../src/model/timeline.ts';
import type { BenchFigure } from './figure.ts';

const TARGET = `
const http = require('node:http');
const s = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('{"ok":true}')); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export async function benchSoak(): Promise<BenchFigure[]> {
  const seconds = Number(process.env.DOWSIM_BENCH_SOAK_SECONDS ?? 600);
  const rate = 20_000;
  const { port, child } = await spawnPortServer(['-e', TARGET], 'soak target');
  try {
    await warmUpDriver();
    const cohorts = [{ name: 'soak', role: 'attack' as const, method: 'GET', path: '/items', bodyBytes: 0, segments: [{ kind: 'constant' as const, rate, duration: seconds }], clients: 100 }];
    const recorder = new Recorder({ cohorts, source: 'emulator', startTime: new Date(), plannedSeconds: seconds });
    const at: number[] = [];
    const rss: number[] = [];
    const heap: number[] = [];
    const report = await dispatch({
      origin: `http://127.0.0.1:${port}`,
      cohorts,
      identities: new IdentityPlan([100]),
      apiKind: 'rest',
      schedule: new ArrivalSchedule(cohorts, { durationSeconds: seconds }),
      recorder,
      connections: 2000,
      sizing: { initial: 64 },
      onTick: (el) => {
        if (Math.floor(el) % 10 !== 0) return;
        at.push(el / 60);
        const m = process.memoryUsage();
        rss.push(m.rss / 2 ** 20);
        heap.push(m.heapUsed / 2 ** 20);
        if (process.env.DOWSIM_BENCH_SOAK_TRACE) console.log(`   ${el.toFixed(0)} s: rss ${(m.rss / 2 ** 20).toFixed(1)} MB, heap ${(m.heapUsed / 2 ** 20).toFixed(1)}/${(m.heapTotal / 2 ** 20).toFixed(1)} MB, external ${(m.external / 2 ** 20).toFixed(1)} MB, buffers ${(m.arrayBuffers / 2 ** 20).toFixed(1)} MB`);
      },
    });
    const t = timelineTotals(recorder.finish(report.durationSeconds));
    const after = at.map((m, i) => [m, rss[i]]).filter(([m]) => m >= 1);
    const perMinute = after.length >= 2 ? slope(after.map((p) => p[0]), after.map((p) => p[1])) : NaN;
    // live JS objects: a leak shows here first; RSS also moves with V8 growing or returning heap space
    const heapAfter = at.map((m, i) => [m, heap[i]]).filter(([m]) => m >= 1);
    const heapPerMinute = heapAfter.length >= 2 ? slope(heapAfter.map((p) => p[0]), heapAfter.map((p) => p[1])) : NaN;
    return [
      {
        name: `driver RSS slope over ${seconds} s at 20,000 rps`,
        value: perMinute,
        unit: 'MB/min',
        detail:
          `RSS ${rss[0]?.toFixed(0)} → ${rss[rss.length - 1]?.toFixed(0)} MB (max ${Math.max(...rss).toFixed(0)}), fitted after the first minute; ` +
          `${t.offered.toLocaleString('en-US')} sent, ${t.dropped.toLocaleString('en-US')} dropped (goal: flat)`,
      },
      {
        name: `driver heap-used slope over ${seconds} s at 20,000 rps`,
        value: heapPerMinute,
        unit: 'MB/min',
        detail: `heap used ${Math.min(...heap).toFixed(0)}–${Math.max(...heap).toFixed(0)} MB over the run, sampled every 10 s (a leak would climb here; DOWSIM_BENCH_SOAK_TRACE=1 prints the samples)`,
      },
    ];
  } finally {
    child.kill();
  }
}
