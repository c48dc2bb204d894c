import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../../src/load/recorder.ts';
import { timelineTotals } from '../../src/model/timeline.ts';

describe('recorder', () => {
  it('keeps memory flat over a long run: coarse buckets in memory, nothing left open', () => {
    const hours = 6;
    const r = new Recorder({ cohorts: [{ name: 'bots', role: 'attack' }], source: 'emulator', startTime: new Date(0), plannedSeconds: hours * 3600 });
    for (let s = 0; s < hours * 3600; s++) {
      r.sent(0, s);
      r.answered(0, s, 'gatewayThrottled', 3, 10);
      r.flush(s + 1);
      expect((r as unknown as { open: Map<number, unknown> }).open.size).toBeLessThanOrEqual(2);
    }
    const tl = r.finish(hours * 3600);
    expect(tl.bucketSeconds).toBe(15);
    expect(tl.cohorts[0].buckets.length).toBe((hours * 3600) / 15);
    expect(timelineTotals(tl).gatewayThrottled).toBe(hours * 3600);
    expect(tl.cohorts[0].latency?.count).toBe(hours * 3600);
    expect(tl.cohorts[0].latency?.p50).toBeCloseTo(3, 2);
  });

  it('books each request in the second it was due and counts only integration-bound outcomes as billed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-rec-'));
    const runFile = join(dir, 'r.ndjson');
    const r = new Recorder({ cohorts: [{ name: 'a', role: 'legit' }], source: 'staging', startTime: new Date(0), plannedSeconds: 3, runFile, billedUnits: [3] });
    r.sent(0, 0);
    r.sent(0, 0);
    r.sent(0, 1);
    r.dropped(0, 1);
    r.answered(0, 1, 'lambdaThrottled', 1, 0); // second 1 finished before second 0
    r.flush(3); // second 0 is still waiting for its answers, so nothing is written yet
    expect(readFileSync(runFile, 'utf8').trim().split('\n')).toHaveLength(1);
    r.answered(0, 0, 'succeeded', 1, 5);
    r.connectionError(0, 0);
    r.flush(3);
    const lines = readFileSync(runFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.t)).toEqual([undefined, 0, 1]);
    expect(lines[1].cohorts.a).toMatchObject({ offered: 2, succeeded: 1, connectionErrors: 1, billedApiRequests: 3, bytesOut: 5 });
    expect(lines[2].cohorts.a).toMatchObject({ offered: 1, dropped: 1, lambdaThrottled: 1, billedApiRequests: 3 });
    const t = timelineTotals(r.finish(3));
    expect(t).toMatchObject({ offered: 3, dropped: 1, succeeded: 1, lambdaThrottled: 1, connectionErrors: 1, invoked: 1, billedApiRequests: 6 });
  });
});
