import { isRetryableAwsError } from './price-list-aws-errors.ts';

export interface RetryOptions {
  /** Total attempts including the first (default 6). */
  attempts?: number;
  /** First delay in ms; doubles every retry (default 250 ms). */
  baseDelayMs?: number;
  /** Upper bound of one delay (default 10 s). */
  maxDelayMs?: number;
  /** Called before each wait, for progress lines ("throttled, retrying in 1.2 s"). */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Random source in [0, 1) for the jitter; tests pass a fixed one. */
  random?: () => number;
}

/** Thrown when every attempt failed with a retryable error; carries how many were made. */
export class RetriesExhausted extends Error {
  constructor(readonly lastError: unknown, readonly attempts: number) {
    super(`gave up after ${attempts} attempts`);
    this.name = 'RetriesExhausted';
  }
}

/**
 * Runs `fn`, retrying AWS throttling and 5xx answers with exponential backoff and "equal jitter"
 * (half fixed, half random) so parallel callers spread out, as AWS's retry guidance advises.
 * Non-retryable errors are rethrown at once; exhausted retries throw RetriesExhausted.
 */
export async function withAwsRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 6);
  const base = opts.baseDelayMs ?? 250;
  const cap = opts.maxDelayMs ?? 10_000;
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetryableAwsError(err)) throw err;
      if (attempt >= attempts) throw new RetriesExhausted(err, attempt);
      const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
      const delayMs = ceiling / 2 + random() * (ceiling / 2);
      opts.onRetry?.({ attempt, delayMs, error: err });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}
