import { emptyDistribution, mergeDistribution, percentile, type Distribution } from './distribution.ts';
import { findSeries, type Dimension, type MetricSeries } from './cloudwatch-catalog.ts';
import type { MetricsCell } from './metrics-cell.ts';
import type { MetricsStore } from './metrics-store.ts';

/**
 * A CloudWatch error in AWS's JSON 1.0 shape: `__type` names the error (the SDK maps it to its
 * exception class), `queryCode` goes in `x-amzn-query-error` for query-compatible clients.
 */
export class CloudWatchError extends Error {
  constructor(
    readonly type: string,
    readonly queryCode: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const missing = (name: string) => new CloudWatchError('MissingRequiredParameterException', 'MissingParameter', `The parameter ${name} is required.`);
const invalid = (message: string) => new CloudWatchError('InvalidParameterValueException', 'InvalidParameterValue', message);

// GetMetricData limits (aws-facts.md): ≤ 500 queries, ≤ 100,800 data points per call
const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const LIST_PAGE = 500;

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Timestamps arrive as epoch seconds (what the SDK sends in JSON 1.0); ISO strings are accepted too. */
function readTime(input: Json, name: string): number {
  const v = input[name];
  if (v === undefined || v === null) throw missing(name);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms / 1000;
  }
  throw invalid(`The parameter ${name} must be a timestamp (epoch seconds).`);
}

function readDimensions(x: unknown, where: string): Dimension[] {
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x)) throw invalid(`The parameter ${where} must be a list.`);
  return x.map((d, i) => {
    if (!isObject(d) || typeof d.Name !== 'string') throw missing(`${where}.member.${i + 1}.Name`);
    if (typeof d.Value !== 'string') throw missing(`${where}.member.${i + 1}.Value`);
    return { Name: d.Name, Value: d.Value };
  });
}

type StatFn = (d: Distribution) => number | undefined;

/** Sum, Average, Maximum, Minimum, SampleCount and percentiles pNN(.N). */
function statistic(stat: string): StatFn | undefined {
  switch (stat) {
    case 'Sum':
      return (d) => d.sum;
    case 'Average':
      return (d) => d.sum / d.n;
    case 'Maximum':
      return (d) => d.max;
    case 'Minimum':
      return (d) => d.min;
    case 'SampleCount':
      return (d) => d.n;
  }
  const m = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(stat);
  if (m) {
    const p = Number(m[1]) / 100;
    if (p === 0) return (d) => d.min;
    if (p >= 1) return (d) => d.max;
    return (d) => percentile(d, p);
  }
  return undefined;
}

// AWS: 1, 5, 10, 20, 30 (high resolution) or any multiple of 60
function validPeriod(p: number): boolean {
  return Number.isInteger(p) && p > 0 && ([1, 5, 10, 20, 30].includes(p) || p % 60 === 0);
}

interface ParsedQuery {
  id: string;
  label: string;
  returnData: boolean;
  series?: MetricSeries;
  period: number;
  stat: StatFn;
}

interface PageToken {
  o: number;
}

function decodeToken(token: unknown): PageToken {
  if (token === undefined || token === null) return { o: 0 };
  try {
    const t = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as PageToken;
    if (Number.isInteger(t.o) && t.o >= 0) return t;
  } catch {
    // fall through
  }
  throw new CloudWatchError('InvalidNextToken', 'InvalidNextToken', 'The service cannot process the NextToken you gave.');
}

const encodeToken = (t: PageToken): string => Buffer.from(JSON.stringify(t)).toString('base64url');

/** Answers a GetMetricData request from the emulator's metrics (the input and output of AWS's API). */
export function getMetricData(input: unknown, store: MetricsStore, catalog: MetricSeries[]): Json {
  if (!isObject(input)) throw new CloudWatchError('SerializationException', 'SerializationException', 'The request body must be a JSON object.');
  const rawQueries = input.MetricDataQueries;
  if (rawQueries === undefined || rawQueries === null) throw missing('MetricDataQueries');
  if (!Array.isArray(rawQueries) || rawQueries.length === 0) throw invalid('The parameter MetricDataQueries must contain at least one query.');
  if (rawQueries.length > MAX_QUERIES) throw invalid(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const start = readTime(input, 'StartTime');
  const end = readTime(input, 'EndTime');
  if (!(start < end)) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  const scanBy = input.ScanBy ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw invalid('The parameter ScanBy must be TimestampDescending or TimestampAscending.');
  }
  const maxDatapoints = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (typeof maxDatapoints !== 'number' || !Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
    throw invalid('The parameter MaxDatapoints must be a positive integer.');
  }
  const token = decodeToken(input.NextToken);

  const ids = new Set<string>();
  const queries: ParsedQuery[] = rawQueries.map((q, i) => {
    const at = `MetricDataQueries.member.${i + 1}`;
    if (!isObject(q)) throw invalid(`The parameter ${at} must be a structure.`);
    if (typeof q.Id !== 'string') throw missing(`${at}.Id`);
    if (!/^[a-z][a-zA-Z0-9_]{0,254}$/.test(q.Id)) {
      throw invalid(`The value ${q.Id} for parameter ${at}.Id is not valid: it must start with a lowercase letter and hold only letters, digits and _.`);
    }
    if (ids.has(q.Id)) throw invalid(`The value ${q.Id} for parameter ${at}.Id is not unique.`);
    ids.add(q.Id);
    if (q.Expression !== undefined) {
      throw invalid(`The parameter ${at}.Expression is not supported by the dowsim emulator; use MetricStat.`);
    }
    const ms = q.MetricStat;
    if (!isObject(ms)) throw missing(`${at}.MetricStat`);
    const metric = ms.Metric;
    if (!isObject(metric)) throw missing(`${at}.MetricStat.Metric`);
    if (typeof metric.Namespace !== 'string') throw missing(`${at}.MetricStat.Metric.Namespace`);
    if (typeof metric.MetricName !== 'string') throw missing(`${at}.MetricStat.Metric.MetricName`);
    const dims = readDimensions(metric.Dimensions, `${at}.MetricStat.Metric.Dimensions`);
    const period = ms.Period ?? q.Period;
    if (period === undefined || period === null) throw missing(`${at}.MetricStat.Period`);
    if (typeof period !== 'number' || !validPeriod(period)) {
      throw invalid(`The parameter ${at}.MetricStat.Period must be 1, 5, 10, 20, 30 or a multiple of 60.`);
    }
    if (typeof ms.Stat !== 'string') throw missing(`${at}.MetricStat.Stat`);
    const stat = statistic(ms.Stat);
    if (!stat) throw invalid(`The value ${ms.Stat} for parameter ${at}.MetricStat.Stat is not supported.`);
    return {
      id: q.Id,
      label: typeof q.Label === 'string' ? q.Label : metric.MetricName,
      returnData: q.ReturnData !== false,
      series: findSeries(catalog, metric.Namespace, metric.MetricName, dims),
      period,
      stat,
    };
  });

  const wanted = queries.filter((q) => q.returnData);
  const longest = Math.max(...wanted.map((q) => q.period), 1);
  // every query's first period starts at most one period before StartTime
  const cells = store.cells(Math.floor(start) - longest, end);
  const series = wanted.map((q) => datapoints(q, cells, start, end, scanBy === 'TimestampAscending'));

  // one flat sequence of data points across the queries, cut into pages of MaxDatapoints
  const total = series.reduce((s, x) => s + x.timestamps.length, 0);
  const pageStart = token.o;
  const pageEnd = pageStart + maxDatapoints;
  let offset = 0;
  const results = wanted.map((q, i) => {
    const { timestamps, values } = series[i];
    const from = Math.min(timestamps.length, Math.max(0, pageStart - offset));
    const to = Math.min(timestamps.length, Math.max(0, pageEnd - offset));
    offset += timestamps.length;
    return {
      Id: q.id,
      Label: q.label,
      Timestamps: timestamps.slice(from, to),
      Values: values.slice(from, to),
      StatusCode: to < timestamps.length ? 'PartialData' : 'Complete',
    };
  });
  const out: Json = { MetricDataResults: results, Messages: [] };
  if (pageEnd < total) out.NextToken = encodeToken({ o: pageEnd });
  return out;
}

function datapoints(q: ParsedQuery, cells: MetricsCell[], start: number, end: number, ascending: boolean) {
  const timestamps: number[] = [];
  const values: number[] = [];
  if (!q.series) return { timestamps, values };
  const from = Math.floor(start / q.period) * q.period;
  const buckets = new Map<number, Distribution>();
  for (const c of cells) {
    if (c.start >= end || c.start + c.span <= from) continue;
    const samples = q.series.samples(c);
    if (samples.n === 0) continue;
    const b = Math.floor(Math.max(c.start, from) / q.period) * q.period;
    let d = buckets.get(b);
    if (!d) buckets.set(b, (d = emptyDistribution()));
    mergeDistribution(d, samples);
  }
  const keys = [...buckets.keys()].sort((a, b) => (ascending ? a - b : b - a));
  for (const k of keys) {
    const v = q.stat(buckets.get(k)!);
    if (v === undefined || !Number.isFinite(v)) continue;
    timestamps.push(k);
    values.push(v);
  }
  return { timestamps, values };
}

/** Answers ListMetrics: the series with data so far, filtered by namespace, name and dimensions. */
export function listMetrics(input: unknown, store: MetricsStore, catalog: MetricSeries[]): Json {
  const req = isObject(input) ? input : {};
  const filters = (Array.isArray(req.Dimensions) ? req.Dimensions : []).map((f, i) => {
    if (!isObject(f) || typeof f.Name !== 'string') throw missing(`Dimensions.member.${i + 1}.Name`);
    return { Name: f.Name, Value: typeof f.Value === 'string' ? f.Value : undefined };
  });
  if (req.Namespace !== undefined && typeof req.Namespace !== 'string') throw invalid('The parameter Namespace must be a string.');
  if (req.MetricName !== undefined && typeof req.MetricName !== 'string') throw invalid('The parameter MetricName must be a string.');
  const token = decodeToken(req.NextToken);
  // a metric exists in CloudWatch once a data point has been published for it
  const published = store.span !== undefined ? catalog : [];
  const matching = published.filter(
    (s) =>
      (req.Namespace === undefined || s.namespace === req.Namespace) &&
      (req.MetricName === undefined || s.metricName === req.MetricName) &&
      filters.every((f) => s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))),
  );
  const page = matching.slice(token.o, token.o + LIST_PAGE);
  const out: Json = {
    Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions })),
  };
  if (token.o + LIST_PAGE < matching.length) out.NextToken = encodeToken({ o: token.o + LIST_PAGE });
  return out;
}
