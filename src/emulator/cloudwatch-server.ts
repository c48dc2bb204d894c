import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { MetricSeries } from './cloudwatch-catalog.ts';
import { CloudWatchError, getMetricData, listMetrics } from './cloudwatch-query.ts';
import type { MetricsStore } from './metrics-store.ts';
import { BodyError, readBody } from './read-body.ts';
import { createLimitedServer, type EmulatorLimits } from './server-limits.ts';

// AWS JSON 1.0, as @aws-sdk/client-cloudwatch sends it (aws-facts.md, "Wire protocols"; the
// client's runtimeConfig.shared.js: AwsJson1_0Protocol, serviceTarget GraniteServiceVersion20100801,
// awsQueryCompatible — hence the x-amzn-query-error header on errors).
const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const NAMESPACE = 'com.amazonaws.cloudwatch#';
const UNKNOWN_OPERATION = 'com.amazon.coral.service#UnknownOperationException';

type Operation = (input: unknown, store: MetricsStore, catalog: MetricSeries[]) => Record<string, unknown>;

// a Map, not an object: "toString" or "__proto__" in x-amz-target must not find Object.prototype's
const OPERATIONS = new Map<string, Operation>([
  ['GetMetricData', getMetricData],
  ['ListMetrics', listMetrics],
]);

type Limits = Pick<EmulatorLimits, 'requestTimeoutMs' | 'headersTimeoutMs' | 'cloudwatchMaxConnections' | 'cloudwatchMaxBodyBytes'>;

/** A server speaking CloudWatch's API (GetMetricData, ListMetrics) over the emulator's metrics. */
export function createCloudWatchServer(store: MetricsStore, catalog: MetricSeries[], limits: Limits): Server {
  const serverLimits = { ...limits, maxConnections: limits.cloudwatchMaxConnections };
  return createLimitedServer({}, serverLimits, (req, res) => {
    const requestId = randomUUID();
    let operation: Operation;
    try {
      operation = operationFor(req);
    } catch (err) {
      // refused before its body is read: the client may still be sending it, so close after
      sendError(res, requestId, err, true);
      return;
    }
    readBody(req, limits.cloudwatchMaxBodyBytes).then(
      (body) => answer(res, requestId, body, operation, store, catalog),
      (err: BodyError) => sendError(res, requestId, bodyProblem(err), true),
    );
  });
}

function operationFor(req: IncomingMessage): Operation {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
    throw new CloudWatchError(
      UNKNOWN_OPERATION,
      'UnknownOperation',
      'This endpoint speaks CloudWatch\'s AWS JSON 1.0 protocol: POST / with x-amz-target GraniteServiceVersion20100801.<Operation>.',
    );
  }
  const name = target.slice(TARGET_PREFIX.length);
  const operation = OPERATIONS.get(name);
  if (!operation) {
    const shown = name.length > 60 ? `${name.slice(0, 57)}...` : name;
    throw new CloudWatchError(UNKNOWN_OPERATION, 'UnknownOperation', `The dowsim emulator answers GetMetricData and ListMetrics, not ${shown || '(none)'}.`);
  }
  return operation;
}

function bodyProblem(err: BodyError): CloudWatchError {
  if (err.status === 413) return new CloudWatchError('RequestEntityTooLargeException', 'RequestEntityTooLarge', err.message, 413);
  return new CloudWatchError('com.amazon.coral.service#SerializationException', 'SerializationException', err.message);
}

function answer(res: ServerResponse, requestId: string, body: Buffer, operation: Operation, store: MetricsStore, catalog: MetricSeries[]): void {
  try {
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        throw new CloudWatchError('com.amazon.coral.service#SerializationException', 'SerializationException', 'The request body is not valid JSON.');
      }
    }
    send(res, 200, requestId, operation(input, store, catalog));
  } catch (err) {
    sendError(res, requestId, err, false);
  }
}

function sendError(res: ServerResponse, requestId: string, err: unknown, close: boolean): void {
  if (close) res.setHeader('connection', 'close');
  if (err instanceof CloudWatchError) {
    const type = err.type.includes('#') ? err.type : NAMESPACE + err.type;
    send(res, err.status, requestId, { __type: type, message: err.message }, `${err.queryCode};Sender`);
  } else {
    send(res, 500, requestId, { __type: `${NAMESPACE}InternalServiceFault`, message: String((err as Error)?.message ?? err) }, 'InternalServiceError;Receiver');
  }
}

function send(res: ServerResponse, status: number, requestId: string, body: unknown, queryError?: string): void {
  if (res.headersSent || res.destroyed) return;
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
