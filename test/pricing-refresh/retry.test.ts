import { describe, expect, it } from 'vitest';
import { RetriesExhausted, withAwsRetry } from '../../src/pricing/price-list-retry.ts';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
const denied = () => Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });

describe('retries with exponential backoff', () => {
  it('waits ½·base·2^k plus up to as much again (equal jitter), capped', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withAwsRetry(
      async () => {
        if (++calls < 5) throw throttled();
        return 'ok';
      },
      { baseDelayMs: 2, maxDelayMs: 8, random: () => 0, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([1, 2, 4, 4]);
  });

  it('gives up after the configured attempts with RetriesExhausted carrying the last error', async () => {
    let calls = 0;
    const err = await withAwsRetry(
      async () => {
        calls++;
        throw throttled();
      },
      { attempts: 3, baseDelayMs: 1 },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect(err.attempts).toBe(3);
    expect(err.lastError.name).toBe('Throttling');
    expect(calls).toBe(3);
  });

  it('retries 5xx answers but not a refusal: AccessDenied is thrown at once', async () => {
    let calls = 0;
    const err = await withAwsRetry(async () => {
      calls++;
      throw denied();
    }).catch((e) => e);
    expect(err.name).toBe('AccessDeniedException');
    expect(calls).toBe(1);
    let c2 = 0;
    await withAwsRetry(
      async () => {
        if (++c2 === 1) throw Object.assign(new Error('boom'), { name: 'InternalFailure', $metadata: { httpStatusCode: 503 } });
        return 1;
      },
      { baseDelayMs: 1 },
    );
    expect(c2).toBe(2);
  });
});
