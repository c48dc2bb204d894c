import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectTimeline } from '../../src/collect/collect-timeline.ts';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { RuntimeError } from '../../src/model/errors.ts';
import { timelineTotals } from '../../src/model/timeline.ts';
import type { Stack } from '../../src/stack/types.ts';
import { makeStack as testStack } from '../support/stacks.ts';
import { startCloudWatchProxy } from './support/cloudwatch-proxy.ts';
import { closedPort } from './support/closed-port.ts';

// The real @aws-sdk/client-cloudwatch against the emulator's CloudWatch endpoint (AWS JSON 1.0)
// needs credentials to sign with; dummy ones, as for any local endpoint.
const saved = { ...process.env };
beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
});
afterAll(() => {
  process.env = saved;
});

const fast = { duration: { p50: 0.005, p99: 0.01 } };

/** Sends n concurrent GETs and counts the statuses the client saw. */
async function flood(emu: Emulator, n: number): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  await Promise.all(
    Array.from({ length: n }, async () => {
      const res = await fetch(`${emu.apiUrl}items`);
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }),
  );
  return statuses;
}

async function withEmulator<T>(stack: Stack, fn: (emu: Emulator, t0: Date) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ stack, seed: 7 });
  try {
    return await fn(emu, new Date(Date.now() - 1000));
  } finally {
    await emu.close();
  }
}

const later = () => new Date(Date.now() + 2000);

describe('collectTimeline against the emulator’s CloudWatch API, with the real SDK client', () => {
  it('REST behind a stage throttle: invoked equals the 200s the client saw, 429s become gatewayThrottled', async () => {
    const stack = testStack({ api: { kind: 'rest', stage: { rate: 5, burst: 10 } }, lambda: fast });
    await withEmulator(stack, async (emu, t0) => {
      const seen = await flood(emu, 40);
      const out = await collectTimeline({ stack, start: t0, end: later(), period: 1, endpointUrl: emu.cloudwatchUrl });
      const t = timelineTotals(out.timeline);
      expect(out.timeline.source).toBe('cloudwatch');
      expect(t.invoked).toBe(seen[200]);
      expect(t.gatewayThrottled).toBe(seen[429]);
      expect(t.offered).toBe(40);
      expect(out.calls).toBe(1);
      expect(out.metricsRequested).toBe(16);
    });
  });

  it('HTTP API: the same counts through ApiId and the 4xx/5xx metric names', async () => {
    const stack = testStack({ api: { kind: 'http', stage: { rate: 5, burst: 8 }, integrationTimeout: 30 }, lambda: fast });
    await withEmulator(stack, async (emu, t0) => {
      const seen = await flood(emu, 30);
      const t = timelineTotals((await collectTimeline({ stack, start: t0, end: later(), period: 1, endpointUrl: emu.cloudwatchUrl })).timeline);
      expect(t.invoked).toBe(seen[200]);
      expect(t.gatewayThrottled).toBe(seen[429]);
    });
  });

  it('function URL with reserved concurrency 2: Lambda throttles (429) become lambdaThrottled', async () => {
    const stack = testStack({ api: { kind: 'function-url' }, lambda: { ...fast, reservedConcurrency: 2 } });
    await withEmulator(stack, async (emu, t0) => {
      const seen = await flood(emu, 30);
      const t = timelineTotals((await collectTimeline({ stack, start: t0, end: later(), period: 1, endpointUrl: emu.cloudwatchUrl })).timeline);
      expect(t.invoked).toBe(seen[200]);
      expect(t.lambdaThrottled).toBe(seen[429]);
      expect(t.offered).toBe(30);
    });
  });

  it('follows NextToken: with 5 data points per page it reads every page and totals the same', async () => {
    const stack = testStack({ lambda: fast });
    await withEmulator(stack, async (emu, t0) => {
      const seen = await flood(emu, 25);
      const proxy = await startCloudWatchProxy({ target: emu.cloudwatchUrl, maxDatapoints: 5 });
      try {
        const out = await collectTimeline({ stack, start: t0, end: later(), period: 1, endpointUrl: proxy.url });
        expect(out.calls).toBeGreaterThan(1);
        expect(out.calls).toBe(proxy.forwarded);
        expect(timelineTotals(out.timeline).invoked).toBe(seen[200]);
        // AWS bills the queries of every request, continuation pages included
        expect(out.metricsRequested).toBe(16 * out.calls);
      } finally {
        await proxy.close();
      }
    });
  });

  it('a window of more than 100,800 data points is split into several calls that add up to the same totals', async () => {
    const stack = testStack({ lambda: fast });
    await withEmulator(stack, async (emu) => {
      const seen = await flood(emu, 20);
      // 2 hours at 1 s × 16 metrics = 115,200 points
      const out = await collectTimeline({ stack, start: new Date(Date.now() - 2 * 3600_000), end: later(), period: 1, endpointUrl: emu.cloudwatchUrl });
      expect(out.calls).toBe(2);
      expect(timelineTotals(out.timeline).invoked).toBe(seen[200]);
    });
  });

  it('Throttling and 503 answers are retried with backoff and reported in the notes', async () => {
    const stack = testStack({ lambda: fast });
    await withEmulator(stack, async (emu, t0) => {
      const seen = await flood(emu, 10);
      const proxy = await startCloudWatchProxy({ target: emu.cloudwatchUrl, throttleFirst: 2, failFirst: 1 });
      try {
        const out = await collectTimeline({ stack, start: t0, end: later(), period: 1, endpointUrl: proxy.url, retry: { baseDelayMs: 5 } });
        expect(out.retries).toBe(3);
        expect(proxy.targets.length).toBe(4);
        expect(proxy.targets.every((t) => t === 'GraniteServiceVersion20100801.GetMetricData')).toBe(true);
        expect(timelineTotals(out.timeline).invoked).toBe(seen[200]);
        expect(out.notes.join('\n')).toMatch(/throttled or failed 3 time\(s\)/);
      } finally {
        await proxy.close();
      }
    });
  });

  it('endless Throttling ends in a RuntimeError that says so, after the configured attempts', async () => {
    const stack = testStack({ lambda: fast });
    await withEmulator(stack, async (emu, t0) => {
      const proxy = await startCloudWatchProxy({ target: emu.cloudwatchUrl, throttleFirst: 1000 });
      try {
        const err = await collectTimeline({ stack, start: t0, end: later(), period: 1, endpointUrl: proxy.url, retry: { attempts: 3, baseDelayMs: 1 } }).catch((e) => e);
        expect(err).toBeInstanceOf(RuntimeError);
        expect(err.message).toMatch(/^CloudWatch GetMetricData: AWS kept throttling the requests after 3 attempts with backoff \(Throttling\)/);
        expect(proxy.targets.length).toBe(3);
      } finally {
        await proxy.close();
      }
    });
  });

  it('an unreachable endpoint (a closed port on 127.0.0.1) gives a RuntimeError naming it', async () => {
    const port = await closedPort();
    const err = await collectTimeline({
      stack: testStack(),
      start: new Date(Date.now() - 60_000),
      end: new Date(),
      period: 1,
      endpointUrl: `http://127.0.0.1:${port}`,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err.message).toBe(
      `CloudWatch GetMetricData: could not reach the endpoint at http://127.0.0.1:${port} (connection refused). Check the network, --endpoint-url and the AWS_ENDPOINT_URL_* variables.`,
    );
  });

  it('the SDK finds the endpoint through AWS_ENDPOINT_URL_CLOUDWATCH by itself', async () => {
    const stack = testStack({ lambda: fast });
    await withEmulator(stack, async (emu, t0) => {
      const seen = await flood(emu, 12);
      process.env.AWS_ENDPOINT_URL_CLOUDWATCH = emu.cloudwatchUrl;
      try {
        const out = await collectTimeline({ stack, start: t0, end: later(), period: 1 });
        expect(out.endpoint).toBe(emu.cloudwatchUrl);
        expect(timelineTotals(out.timeline).invoked).toBe(seen[200]);
      } finally {
        delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
      }
    });
  });
});
