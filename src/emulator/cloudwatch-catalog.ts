import type { Stack } from '../stack/types.ts';
import { binaryDistribution, emptyDistribution, type Distribution } from './distribution.ts';
import { cellConcurrency, type MetricsCell } from './metrics-cell.ts';

export interface Dimension {
  Name: string;
  Value: string;
}

/** One metric the emulator publishes: AWS's namespace, name and dimension set, and how a cell yields its samples. */
export interface MetricSeries {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  /** The samples one cell contributes (CloudWatch statistics are taken over these). */
  samples(cell: MetricsCell): Distribution;
  /** Extra names a query may use for the same series (HTTP APIs' older `4XXError`). */
  aliases?: string[];
}

// Every request is one sample of value 1 (Count, Invocations).
const ones = (n: number): Distribution => (n > 0 ? { n, sum: n, min: 1, max: 1, binary: true } : emptyDistribution());

// A sum known only in aggregate (bytes): each sample is taken to be the mean.
function meanOnly(n: number, sum: number): Distribution {
  return n > 0 ? { n, sum, min: sum / n, max: sum / n } : emptyDistribution();
}

/**
 * The metrics AWS publishes for this stack, with AWS's names and dimensions (aws-facts.md,
 * "Metrics"): `AWS/ApiGateway` by ApiName[,Stage] for REST APIs and by ApiId[,Stage] for HTTP
 * APIs (whose error metrics are `4xx`/`5xx`; older docs say `4XXError`/`5XXError`, so both are
 * answered); `AWS/Lambda` by FunctionName and account-wide (no dimension), plus the function-URL
 * metrics (`UrlRequestCount`, `Url4xxCount`, …) when the function is reached through its URL.
 * Dimension values come from the stack's `deployed` section.
 */
export function metricCatalog(stack: Stack): MetricSeries[] {
  const d = stack.deployed;
  const out: MetricSeries[] = [];
  const api = (dims: Dimension[], http: boolean) => {
    const ns = 'AWS/ApiGateway';
    out.push({ namespace: ns, metricName: 'Count', dimensions: dims, samples: (c) => ones(c.requests) });
    out.push({
      namespace: ns,
      metricName: http ? '4xx' : '4XXError',
      aliases: http ? ['4XXError'] : undefined,
      dimensions: dims,
      samples: (c) => binaryDistribution(c.requests, c.err4),
    });
    out.push({
      namespace: ns,
      metricName: http ? '5xx' : '5XXError',
      aliases: http ? ['5XXError'] : undefined,
      dimensions: dims,
      samples: (c) => binaryDistribution(c.requests, c.err5),
    });
    out.push({ namespace: ns, metricName: 'Latency', dimensions: dims, samples: (c) => c.latency });
    out.push({ namespace: ns, metricName: 'IntegrationLatency', dimensions: dims, samples: (c) => c.integrationLatency });
    if (http) out.push({ namespace: ns, metricName: 'DataProcessed', dimensions: dims, samples: (c) => meanOnly(c.requests, c.bytesProcessed) });
  };
  if (stack.api.kind === 'rest') {
    api([{ Name: 'ApiName', Value: d.apiName }], false);
    api([{ Name: 'ApiName', Value: d.apiName }, { Name: 'Stage', Value: d.stage }], false);
  } else if (stack.api.kind === 'http') {
    api([{ Name: 'ApiId', Value: d.apiId }], true);
    api([{ Name: 'ApiId', Value: d.apiId }, { Name: 'Stage', Value: d.stage }], true);
  }
  const lambda = (dims: Dimension[]) => {
    const ns = 'AWS/Lambda';
    out.push({ namespace: ns, metricName: 'Invocations', dimensions: dims, samples: (c) => ones(c.invocations) });
    out.push({ namespace: ns, metricName: 'Errors', dimensions: dims, samples: (c) => binaryDistribution(c.invocations, c.errors) });
    out.push({ namespace: ns, metricName: 'Throttles', dimensions: dims, samples: (c) => binaryDistribution(c.invocations + c.throttles, c.throttles) });
    out.push({ namespace: ns, metricName: 'Duration', dimensions: dims, samples: (c) => c.duration });
    out.push({ namespace: ns, metricName: 'ConcurrentExecutions', dimensions: dims, samples: (c) => cellConcurrency(c) });
  };
  lambda([{ Name: 'FunctionName', Value: d.functionName }]);
  lambda([]);
  if (stack.api.kind === 'function-url') {
    const ns = 'AWS/Lambda';
    const dims = [{ Name: 'FunctionName', Value: d.functionName }];
    out.push({ namespace: ns, metricName: 'UrlRequestCount', dimensions: dims, samples: (c) => ones(c.requests) });
    out.push({ namespace: ns, metricName: 'Url4xxCount', dimensions: dims, samples: (c) => binaryDistribution(c.requests, c.err4) });
    out.push({ namespace: ns, metricName: 'Url5xxCount', dimensions: dims, samples: (c) => binaryDistribution(c.requests, c.err5) });
    out.push({ namespace: ns, metricName: 'UrlRequestLatency', dimensions: dims, samples: (c) => c.latency });
  }
  return out;
}

/** The series a query names: same namespace and metric (or alias), exactly the same dimensions. */
export function findSeries(catalog: MetricSeries[], namespace: string, metricName: string, dims: Dimension[]): MetricSeries | undefined {
  const key = dimensionKey(dims);
  return catalog.find(
    (s) =>
      s.namespace === namespace &&
      (s.metricName === metricName || (s.aliases?.includes(metricName) ?? false)) &&
      dimensionKey(s.dimensions) === key,
  );
}

function dimensionKey(dims: Dimension[]): string {
  return [...dims]
    .map((d) => `${d.Name}\u0000${d.Value}`)
    .sort()
    .join('\u0001');
}
