/**
 * RSS over a long run (`npm run bench soak`, not part of the default bench: it takes 10 minutes).
 * dowsim's driver with its default sizing sends 20,000 rps at a loopback node:http target for
 * DOWSIM_BENCH_SOAK_SECONDS (default 600); the driver process's RSS is sampled every 10 s and the
 * slope is fitted by least squares over the samples after the first minute (warm-up, JIT, pools).
 *
 * RSS is split in two to say what moves: the V8 heap V8 holds (heapTotal — it grows and shrinks
 * its young generation with the allocation rate, and returns memory after a full GC) and the rest
 * (native: code, node's and libuv's own allocations, Buffers outside the heap). A leak of ours
 * would climb in heap used or in the native part; heapTotal moving alone is V8 sizing its heap.
 */
import { getHeapSpaceStatistics } from 'node:v8';
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
    const heapTotal: number[] = [];
    const native: number[] = [];
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
        const mb = (n: number) => n / 2 ** 20;
        rss.push(mb(m.rss));
        heap.push(mb(m.heapUsed));
        heapTotal.push(mb(m.heapTotal));
        native.push(mb(m.rss - m.heapTotal));
        if (process.env.DOWSIM_BENCH_SOAK_TRACE) {
          const young = getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space');
          console.log(
            `   ${el.toFixed(0)} s: rss ${mb(m.rss).toFixed(1)} MB = V8 heap ${mb(m.heapTotal).toFixed(1)} (used ${mb(m.heapUsed).toFixed(1)}, young generation ${mb(young?.space_size ?? 0).toFixed(1)}) + rest ${mb(m.rss - m.heapTotal).toFixed(1)}; external ${mb(m.external).toFixed(1)} MB, buffers ${mb(m.arrayBuffers).toFixed(1)} MB`,
          );
        }
      },
    });
    const t = timelineTotals(recorder.finish(report.durationSeconds));
    // samples after the first minute, as a least-squares slope in MB per minute
    const slopeAfter = (ys: number[]) => {
      const pts = at.map((m, i) => [m, ys[i]]).filter(([m]) => m >= 1);
      return pts.length >= 2 ? slope(pts.map((p) => p[0]), pts.map((p) => p[1])) : NaN;
    };
    const maxWhere = (ys: number[], keep: (minute: number) => boolean) => {
      const kept = ys.filter((_y, i) => keep(at[i]));
      return kept.length > 0 ? Math.max(...kept).toFixed(0) : 'n/a';
    };
    const range = (ys: number[]) => `${Math.min(...ys).toFixed(0)}–${Math.max(...ys).toFixed(0)} MB`;
    const perMinute = slopeAfter(rss);
    // live JS objects: a leak shows here first; RSS also moves with V8 growing or returning heap space
    const heapPerMinute = slopeAfter(heap);
    return [
      {
        name: `driver RSS slope over ${seconds} s at 20,000 rps`,
        value: perMinute,
        unit: 'MB/min',
        detail:
          `RSS ${rss[0]?.toFixed(0)} → ${rss[rss.length - 1]?.toFixed(0)} MB, fitted after the first minute; highest ${maxWhere(rss, (m) => m > 1)} MB after it vs ${maxWhere(rss, (m) => m <= 1)} MB in it (bounded if not above); ` +
          `${t.offered.toLocaleString('en-US')} sent, ${t.dropped.toLocaleString('en-US')} dropped (goal: flat)`,
      },
      {
        name: `driver heap-used slope over ${seconds} s at 20,000 rps`,
        value: heapPerMinute,
        unit: 'MB/min',
        detail: `heap used ${range(heap)} over the run, sampled every 10 s (a leak would climb here; DOWSIM_BENCH_SOAK_TRACE=1 prints the samples)`,
      },
      {
        name: `driver RSS outside the V8 heap, slope over ${seconds} s`,
        value: slopeAfter(native),
        unit: 'MB/min',
        detail: `RSS − heapTotal ${range(native)} (code, node's and libuv's own memory, Buffers); the V8 heap itself ${range(heapTotal)}, slope ${slopeAfter(heapTotal).toFixed(2)} MB/min (V8 sizing its young generation to the allocation rate)`,
      },
    ];
  } finally {
    child.kill();
  }
}
