import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { MetricSeries } from './cloudwatch-catalog.ts';
import { CloudWatchError, getMetricData, listMetrics } from './cloudwatch-query.ts';
import type { MetricsStore } from './metrics-store.ts';

// AWS JSON 1.0, as @aws-sdk/client-cloudwatch sends it (aws-facts.md, "Wire protocols"; the
// client's runtimeConfig.shared.js: AwsJson1_0Protocol, serviceTarget GraniteServiceVersion20100801,
// awsQueryCompatible — hence the x-amzn-query-error header on errors).
const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const NAMESPACE = 'com.amazonaws.cloudwatch#';

type Operation = (input: unknown, store: MetricsStore, catalog: MetricSeries[]) => Record<string, unknown>;

const OPERATIONS: Record<string, Operation> = {
  GetMetricData: getMetricData,
  ListMetrics: listMetrics,
};

/** A server speaking CloudWatch's API (GetMetricData, ListMetrics) over the emulator's metrics. */
export function createCloudWatchServer(store: MetricsStore, catalog: MetricSeries[]): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks), store, catalog));
    req.on('error', () => res.destroy());
  });
}

function answer(req: IncomingMessage, res: ServerResponse, raw: Buffer, store: MetricsStore, catalog: MetricSeries[]): void {
  const requestId = randomUUID();
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      throw new CloudWatchError(
        'com.amazon.coral.service#UnknownOperationException',
        'UnknownOperation',
        'This endpoint speaks CloudWatch\'s AWS JSON 1.0 protocol: POST / with x-amz-target GraniteServiceVersion20100801.<Operation>.',
      );
    }
    const operation = OPERATIONS[target.slice(TARGET_PREFIX.length)];
    if (!operation) {
      throw new CloudWatchError(
        'com.amazon.coral.service#UnknownOperationException',
        'UnknownOperation',
        `The dowsim emulator answers GetMetricData and ListMetrics, not ${target.slice(TARGET_PREFIX.length) || '(none)'}.`,
      );
    }
    let input: unknown = {};
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        throw new CloudWatchError('com.amazon.coral.service#SerializationException', 'SerializationException', 'The request body is not valid JSON.');
      }
    }
    send(res, 200, requestId, operation(input, store, catalog));
  } catch (err) {
    if (err instanceof CloudWatchError) {
      const type = err.type.includes('#') ? err.type : NAMESPACE + err.type;
      send(res, err.status, requestId, { __type: type, message: err.message }, `${err.queryCode};Sender`);
    } else {
      send(res, 500, requestId, { __type: `${NAMESPACE}InternalServiceFault`, message: String((err as Error)?.message ?? err) }, 'InternalServiceError;Receiver');
    }
  }
}

function send(res: ServerResponse, status: number, requestId: string, body: unknown, queryError?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  };
  if (queryError) headers['x-amzn-query-error'] = queryError;
  res.writeHead(status, headers);
  res.end(text);
}
