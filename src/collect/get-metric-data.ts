import { GetMetricDataCommand, type CloudWatchClient, type GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import { withAwsRetry, type RetryOptions } from '../pricing/price-list-retry.ts';
import type { PlannedCall } from './plan-calls.ts';

/** Values by query id, then by the period's start (epoch seconds). */
export type SeriesById = Map<string, Map<number, number>>;

export interface FetchOutcome {
  series: SeriesById;
  /** HTTP requests made (pages included, retries excluded). */
  requests: number;
  /** Metrics requested as AWS bills them: every query of every request, continuation pages included. */
  metricsRequested: number;
  retries: number;
  /** Per-query statuses other than Complete, and CloudWatch's own messages. */
  messages: string[];
}

/**
 * Runs the planned GetMetricData calls one after another (parallel calls only earn throttling),
 * following NextToken and retrying throttling / 5xx answers with backoff.
 */
export async function fetchMetricData(
  client: CloudWatchClient,
  calls: PlannedCall[],
  period: number,
  retry: RetryOptions = {},
): Promise<FetchOutcome> {
  const out: FetchOutcome = { series: new Map(), requests: 0, metricsRequested: 0, retries: 0, messages: [] };
  const seen = new Set<string>();
  const note = (m: string) => {
    if (!seen.has(m)) out.messages.push(m);
    seen.add(m);
  };
  for (const call of calls) {
    let nextToken: string | undefined;
    do {
      const input = {
        MetricDataQueries: call.queries.map((q) => ({
          Id: q.id,
          Label: `${q.metricName} ${q.stat}`,
          MetricStat: {
            Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: q.dimensions },
            Period: period,
            Stat: q.stat,
          },
          ReturnData: true,
        })),
        StartTime: new Date(call.start * 1000),
        EndTime: new Date(call.end * 1000),
        ScanBy: 'TimestampAscending' as const,
        NextToken: nextToken,
      };
      const page: GetMetricDataCommandOutput = await withAwsRetry(() => client.send(new GetMetricDataCommand(input)), {
        ...retry,
        onRetry: (info) => {
          out.retries++;
          retry.onRetry?.(info);
        },
      });
      out.requests++;
      out.metricsRequested += call.queries.length;
      for (const r of page.MetricDataResults ?? []) {
        if (!r.Id) continue;
        let s = out.series.get(r.Id);
        if (!s) out.series.set(r.Id, (s = new Map()));
        const ts = r.Timestamps ?? [];
        const vs = r.Values ?? [];
        for (let i = 0; i < ts.length && i < vs.length; i++) {
          const t = Math.round(ts[i].getTime() / 1000);
          s.set(t, vs[i]);
        }
        if (r.StatusCode && r.StatusCode !== 'Complete' && r.StatusCode !== 'PartialData') {
          note(`${r.Label ?? r.Id}: CloudWatch answered ${r.StatusCode}${r.Messages?.length ? ` (${r.Messages.map((m) => m.Value).join('; ')})` : ''}`);
        }
      }
      for (const m of page.Messages ?? []) if (m.Value) note(`CloudWatch: ${m.Code ? `${m.Code}: ` : ''}${m.Value}`);
      nextToken = page.NextToken || undefined;
    } while (nextToken);
  }
  return out;
}
