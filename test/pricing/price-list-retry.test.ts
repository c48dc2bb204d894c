import { describe, expect, it } from 'vitest';
import { RetriesExhausted, withAwsRetry } from '../../src/pricing/price-list-retry.ts';

/*
 * Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): the k-th wait is half of min(cap, base·2^(k-1)) plus a random share of the other half.
 * The errors are shaped as the AWS SDK v3 throws them (name, $metadata.httpStatusCode).
 */

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const internal = () => Object.assign(new Error('An error on the server occurred'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } });
const invalid = () => Object.assign(new Error('bad filter'), { name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });

/** Fails with `errors[i]` on attempt i+1, then returns 'ok'; records the attempt numbers it was given. */
function flaky(errors: (() => Error)[]) {
  const seen: number[] = [];
  const fn = async (attempt: number) => {
    seen.push(attempt);
    const e = errors[seen.length - 1];
    if (e) throw e();
    return 'ok';
  };
  return { fn, seen };
}

describe('withAwsRetry', () => {
  it('returns the first success, telling fn which attempt it is', async () => {
    const { fn, seen } = flaky([throttled, internal]);
    const delays: number[] = [];
    await expect(withAwsRetry(fn, { baseDelayMs: 1, onRetry: ({ attempt }) => delays.push(attempt) })).resolves.toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
    expect(delays).toEqual([1, 2]);
  });

  it('waits half the ceiling plus a random share of the other half, the ceiling doubling up to the cap', async () => {
    // base 2 ms, cap 8 ms: ceilings 2, 4, 8, 8 → with random 0.5: 1.5, 3, 6, 6
    const { fn } = flaky([throttled, throttled, throttled, throttled]);
    const waits: { attempt: number; delayMs: number; error: unknown }[] = [];
    await withAwsRetry(fn, { baseDelayMs: 2, maxDelayMs: 8, random: () => 0.5, onRetry: (w) => waits.push(w) });
    expect(waits.map((w) => w.delayMs)).toEqual([1.5, 3, 6, 6]);
    expect(waits.map((w) => w.attempt)).toEqual([1, 2, 3, 4]);
    expect((waits[0].error as Error).name).toBe('ThrottlingException');
  });

  it('really waits that long before the next attempt', async () => {
    // one retry, base 80 ms, random 0 → a 40 ms wait at least
    const { fn } = flaky([throttled]);
    const t0 = performance.now();
    await withAwsRetry(fn, { baseDelayMs: 80, random: () => 0 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
  });

  it('by default: 6 attempts, a first ceiling of 250 ms, a cap of 10 s', async () => {
    const attempts: number[] = [];
    const err = await withAwsRetry(async () => {
      attempts.push(attempts.length + 1);
      throw throttled();
    }, { baseDelayMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect(attempts.length).toBe(6);
    // the default delays, heard before each wait; stop at the first by throwing from the callback
    const first = await withAwsRetry(async () => Promise.reject(throttled()), {
      random: () => 0,
      onRetry: ({ delayMs }) => {
        throw new Error(`would wait ${delayMs}`);
      },
    }).catch((e: Error) => e.message);
    expect(first).toBe('would wait 125'); // 250 / 2
    const capped = await withAwsRetry(async () => Promise.reject(throttled()), {
      baseDelayMs: 1_000_000,
      random: () => 0,
      onRetry: ({ delayMs }) => {
        throw new Error(`would wait ${delayMs}`);
      },
    }).catch((e: Error) => e.message);
    expect(capped).toBe('would wait 5000'); // min(10 000, 1 000 000) / 2
  });

  it('gives up after the attempts asked for, with RetriesExhausted carrying the last error', async () => {
    const { fn, seen } = flaky([throttled, throttled, internal, throttled]);
    const err = (await withAwsRetry(fn, { attempts: 3, baseDelayMs: 1 }).catch((e: unknown) => e)) as RetriesExhausted;
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect(err.name).toBe('RetriesExhausted');
    expect(err.message).toBe('gave up after 3 attempts');
    expect(err.attempts).toBe(3);
    expect((err.lastError as Error).name).toBe('InternalErrorException');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('makes one attempt at least, whatever it is told', async () => {
    for (const attempts of [0, -2, 1]) {
      const { fn, seen } = flaky([throttled]);
      const err = (await withAwsRetry(fn, { attempts, baseDelayMs: 1 }).catch((e: unknown) => e)) as RetriesExhausted;
      expect(err.attempts, String(attempts)).toBe(1);
      expect(seen).toEqual([1]);
    }
  });

  it('a final error (a bad parameter, access denied) is thrown as it is, at once', async () => {
    const { fn, seen } = flaky([invalid]);
    const retries: number[] = [];
    const err = await withAwsRetry(fn, { baseDelayMs: 1, onRetry: ({ attempt }) => retries.push(attempt) }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('InvalidParameterException');
    expect(seen).toEqual([1]);
    expect(retries).toEqual([]);
  });
});
