import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/emulator/metrics-cell.ts';
import { MetricsStore } from '../../src/emulator/metrics-store.ts';
import { timelineTotals } from '../../src/model/timeline.ts';
import { percentile, observe, emptyDistribution } from '../../src/emulator/distribution.ts';

const T0 = Date.UTC(2026, 0, 5) / 1000;

function ok(cohort = 'all', latencyMs = 10): RequestRecord {
  return {
    cohort,
    role: 'attack',
    outcome: 'succeeded',
    status: 200,
    reachedGateway: true,
    latencyMs,
    integrationLatencyMs: latencyMs,
    durationMs: latencyMs,
    coldStart: false,
    gbSeconds: 0.01,
    initGbSeconds: 0,
    billedApiRequests: 1,
    bytesIn: 0,
    bytesOut: 100,
  };
}

describe('the metrics store', () => {
  it('keeps a fixed number of cells however long it runs, and whole-run totals exact', () => {
    const store = new MetricsStore({ fineSeconds: 60, coarseMinutes: 10 });
    const hours = 3;
    for (let s = 0; s < hours * 3600; s++) store.record(T0 + s, ok());
    expect(store.cells(-Infinity, Infinity).length).toBeLessThanOrEqual(60 + 10);
    expect(store.totals().offered).toBe(hours * 3600);
    expect(store.totals().gbSeconds).toBeCloseTo(hours * 36, 6);
  });

  it('folds seconds leaving the fine ring into their minute without losing a request', () => {
    const store = new MetricsStore({ fineSeconds: 60, coarseMinutes: 60 });
    for (let s = 0; s < 600; s++) store.record(T0 + s + 0.5, ok(s % 2 ? 'a' : 'b'));
    const cells = store.cells(T0, T0 + 600);
    const total = cells.reduce((n, c) => n + [...c.cohorts.values()].reduce((m, t) => m + t.offered, 0), 0);
    expect(total).toBe(600);
    const tl = store.timeline();
    expect(tl.bucketSeconds).toBe(60);
    expect(tl.durationSeconds).toBe(600);
    expect(timelineTotals(tl).offered).toBe(600);
    expect(tl.cohorts.map((c) => c.name).sort()).toEqual(['a', 'b']);
  });

  it('answers a 1-second timeline while the run is held at 1-second resolution', () => {
    const store = new MetricsStore();
    store.record(T0 + 0.2, ok());
    store.record(T0 + 2.7, ok());
    store.record(T0 + 2.9, { ...ok(), outcome: 'gatewayThrottled', status: 429, gbSeconds: 0, billedApiRequests: 0 });
    const tl = store.timeline();
    expect(tl.bucketSeconds).toBe(1);
    expect(tl.startTime).toBe('2026-01-05T00:00:00.000Z');
    expect(tl.cohorts[0].buckets.map((b) => b.offered)).toEqual([1, 0, 2]);
    expect(tl.cohorts[0].buckets[2].gatewayThrottled).toBe(1);
  });

  it('estimates percentiles within the histogram\'s 12 %', () => {
    const d = emptyDistribution();
    for (let i = 1; i <= 1000; i++) observe(d, i);
    expect(percentile(d, 0.5)!).toBeGreaterThan(500 * 0.88);
    expect(percentile(d, 0.5)!).toBeLessThan(500 * 1.12);
    expect(percentile(d, 0.99)!).toBeGreaterThan(990 * 0.88);
    expect(percentile(d, 0.99)!).toBeLessThanOrEqual(1000);
  });
});
