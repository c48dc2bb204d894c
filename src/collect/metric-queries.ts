import type { Stack } from '../stack/types.ts';

/** What a series means to the mapper; `api.4xx` and `api.4XXError` are HTTP API's two spellings. */
export type MetricRole =
  | 'lambda.invocations'
  | 'lambda.errors'
  | 'lambda.throttles'
  | 'lambda.durationSum'
  | 'lambda.durationCount'
  | 'lambda.durationMax'
  | 'lambda.durationP50'
  | 'lambda.durationP90'
  | 'lambda.durationP99'
  | 'lambda.concurrencyMax'
  | 'api.count'
  | 'api.4xx'
  | 'api.4XXError'
  | 'api.5xx'
  | 'api.5XXError'
  | 'api.latencySum'
  | 'api.latencyCount'
  | 'api.latencyMax'
  | 'api.latencyP50'
  | 'api.latencyP90'
  | 'api.latencyP99'
  | 'api.integrationLatencyAvg';

export interface Dimension {
  Name: string;
  Value: string;
}

/** One metric × statistic: becomes one MetricDataQuery (and one billed "metric requested"). */
export interface MetricSpec {
  id: string; // GetMetricData query id: starts lower-case, [a-zA-Z0-9_]
  role: MetricRole;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  stat: string; // Sum | SampleCount | Maximum | Average | p50 …
}

type Row = [role: MetricRole, metricName: string, stat: string];

const LAMBDA: Row[] = [
  ['lambda.invocations', 'Invocations', 'Sum'],
  ['lambda.errors', 'Errors', 'Sum'],
  ['lambda.throttles', 'Throttles', 'Sum'],
  ['lambda.durationSum', 'Duration', 'Sum'],
  ['lambda.durationCount', 'Duration', 'SampleCount'],
  ['lambda.concurrencyMax', 'ConcurrentExecutions', 'Maximum'],
];

// A function URL has no gateway in front: its latency picture is the function's own Duration.
const LAMBDA_LATENCY: Row[] = [
  ['lambda.durationMax', 'Duration', 'Maximum'],
  ['lambda.durationP50', 'Duration', 'p50'],
  ['lambda.durationP90', 'Duration', 'p90'],
  ['lambda.durationP99', 'Duration', 'p99'],
];

const API_LATENCY: Row[] = [
  ['api.latencySum', 'Latency', 'Sum'],
  ['api.latencyCount', 'Latency', 'SampleCount'],
  ['api.latencyMax', 'Latency', 'Maximum'],
  ['api.latencyP50', 'Latency', 'p50'],
  ['api.latencyP90', 'Latency', 'p90'],
  ['api.latencyP99', 'Latency', 'p99'],
  ['api.integrationLatencyAvg', 'IntegrationLatency', 'Average'],
];

const REST: Row[] = [
  ['api.count', 'Count', 'Sum'],
  ['api.4XXError', '4XXError', 'Sum'],
  ['api.5XXError', '5XXError', 'Sum'],
  ...API_LATENCY,
];

// HTTP APIs publish `4xx`/`5xx`; older docs (and some accounts) show `4XXError`/`5XXError`.
// Asking for both costs two metrics more and never misses the one that has data.
const HTTP: Row[] = [
  ['api.count', 'Count', 'Sum'],
  ['api.4xx', '4xx', 'Sum'],
  ['api.4XXError', '4XXError', 'Sum'],
  ['api.5xx', '5xx', 'Sum'],
  ['api.5XXError', '5XXError', 'Sum'],
  ...API_LATENCY,
];

/** The queries for a stack's `deployed` names: API Gateway (REST or HTTP) and the Lambda function. */
export function buildMetricSpecs(stack: Stack): MetricSpec[] {
  const d = stack.deployed;
  const fn: Dimension[] = [{ Name: 'FunctionName', Value: d.functionName }];
  const specs: MetricSpec[] = [];
  const add = (rows: Row[], namespace: string, dimensions: Dimension[]) => {
    for (const [role, metricName, stat] of rows) {
      specs.push({ id: queryId(role), role, namespace, metricName, dimensions, stat });
    }
  };
  add(LAMBDA, 'AWS/Lambda', fn);
  if (stack.api.kind === 'rest') {
    add(REST, 'AWS/ApiGateway', [
      { Name: 'ApiName', Value: d.apiName },
      { Name: 'Stage', Value: d.stage },
    ]);
  } else if (stack.api.kind === 'http') {
    add(HTTP, 'AWS/ApiGateway', [
      { Name: 'ApiId', Value: d.apiId },
      { Name: 'Stage', Value: d.stage },
    ]);
  } else {
    add(LAMBDA_LATENCY, 'AWS/Lambda', fn);
  }
  return specs;
}

/** `lambda.durationP99` → `lambda_durationP99`: ids must start lower-case and hold [a-zA-Z0-9_]. */
export function queryId(role: MetricRole): string {
  return role.replace(/[^a-zA-Z0-9]/g, '_');
}
