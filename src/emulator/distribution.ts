/**
 * A mergeable summary of observed values (latencies in ms, concurrency samples): count, sum, min,
 * max and, when asked for, a log-bucketed histogram for percentiles. Buckets grow by 25 %, so a
 * percentile is within about ±12 % of the exact value — "cheap" percentiles, as CloudWatch's own
 * are estimates too. Memory is fixed per summary, whatever the number of values.
 */
export interface Distribution {
  n: number;
  sum: number;
  min: number;
  max: number;
  hist?: Uint32Array;
  /** Every sample is 0 or 1 (then `sum` counts the ones and percentiles are exact). */
  binary?: boolean;
}

const RATIO = 1.25;
const LOG_RATIO = Math.log(RATIO);
const FLOOR = 0.01; // values at or below this land in bucket 0 (0 ms, idle concurrency)
// 0.01 × 1.25^110 ≈ 4.5e8: covers a 15-minute Lambda in ms and any realistic concurrency
const BUCKETS = 112;

export function emptyDistribution(): Distribution {
  return { n: 0, sum: 0, min: Infinity, max: -Infinity };
}

function bucketOf(v: number): number {
  if (!(v > FLOOR)) return 0;
  const i = 1 + Math.floor(Math.log(v / FLOOR) / LOG_RATIO);
  return i >= BUCKETS ? BUCKETS - 1 : i;
}

/** Representative value of a bucket (its geometric middle). */
function bucketValue(i: number): number {
  if (i === 0) return 0;
  return FLOOR * Math.pow(RATIO, i - 0.5);
}

export function observe(d: Distribution, v: number, histogram = true): void {
  d.n++;
  d.sum += v;
  if (v < d.min) d.min = v;
  if (v > d.max) d.max = v;
  if (histogram) {
    d.hist ??= new Uint32Array(BUCKETS);
    d.hist[bucketOf(v)]++;
  }
}

/** Adds b into a. */
export function mergeDistribution(a: Distribution, b: Distribution): void {
  if (b.n === 0) return;
  a.binary = (a.n === 0 || a.binary === true) && b.binary === true;
  a.n += b.n;
  a.sum += b.sum;
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
  if (b.hist) {
    a.hist ??= new Uint32Array(BUCKETS);
    for (let i = 0; i < BUCKETS; i++) a.hist[i] += b.hist[i];
  }
}

/** The p-th percentile (0 < p < 1), or undefined when no histogram was kept. */
export function percentile(d: Distribution, p: number): number | undefined {
  if (d.n === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * d.n));
  if (d.binary) return rank <= d.n - d.sum ? 0 : 1;
  if (!d.hist) return undefined;
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += d.hist[i];
    if (seen >= rank) return Math.min(d.max, Math.max(d.min, bucketValue(i)));
  }
  return d.max;
}

/**
 * A metric whose every sample is 0 or 1 (API Gateway's `4XXError`, Lambda's `Errors`): `n`
 * samples of which `ones` are 1.
 */
export function binaryDistribution(n: number, ones: number): Distribution {
  if (n <= 0) return emptyDistribution();
  return { n, sum: ones, min: ones === n ? 1 : 0, max: ones > 0 ? 1 : 0, binary: true };
}
