import type { Stack } from '../stack/types.ts';

/** What the front knows about an incoming request, enough to build an API Gateway proxy event. */
export interface ProxyRequest {
  method: string;
  path: string;
  rawQuery: string; // without '?'
  /** Header names as sent, in order (node's rawHeaders pairs). */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  userAgent: string;
  host: string;
  apiKey?: string;
  requestId: string; // x-amzn-RequestId / the Lambda request's awsRequestId
  shortId: string; // x-amz-apigw-id / apigw-requestid
  timeEpochMs: number;
  /** Matched route ("GET /items/{id}", "ANY /{proxy+}"), when the API has routes. */
  routeKey?: string;
  protocol: string; // "HTTP/1.1"
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** API Gateway's `requestTime` format: 09/Apr/2015:12:34:56 +0000. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

// Content types API Gateway passes as text; anything else reaches an HTTP API / function URL base64-encoded.
function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const t = contentType.toLowerCase();
  return t.startsWith('text/') || /json|xml|javascript|x-www-form-urlencoded|graphql|yaml/.test(t);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed percent-encoding: pass it on as sent
  }
}

/** Path parameters of a route template ("/items/{id}", "/{proxy+}") against a concrete path. */
export function pathParameters(template: string, path: string): Record<string, string> | null {
  const t = template.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  const out: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i];
    const greedy = /^\{(.+)\+\}$/.exec(seg);
    if (greedy) {
      if (p.length > i) out[greedy[1]] = p.slice(i).map(decode).join('/');
      break;
    }
    const param = /^\{(.+)\}$/.exec(seg);
    if (param && p[i] !== undefined) out[param[1]] = decode(p[i]);
  }
  return Object.keys(out).length > 0 ? out : null;
}

function routeParts(routeKey: string | undefined): { method: string; template: string } {
  if (!routeKey) return { method: 'ANY', template: '/{proxy+}' };
  const space = routeKey.indexOf(' ');
  return space < 0 ? { method: 'ANY', template: routeKey } : { method: routeKey.slice(0, space), template: routeKey.slice(space + 1) };
}

function domain(stack: Stack, host: string): { domainName: string; domainPrefix: string } {
  const aws =
    stack.api.kind === 'function-url'
      ? `${stack.deployed.apiId}.lambda-url.${stack.region}.on.aws`
      : `${stack.deployed.apiId}.execute-api.${stack.region}.amazonaws.com`;
  const domainName = host || aws;
  return { domainName, domainPrefix: domainName.split('.')[0] };
}

const ACCOUNT_ID = '123456789012';

/** A REST API's Lambda proxy event (payload format 1.0). */
export function proxyEventV1(stack: Stack, r: ProxyRequest): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < r.rawHeaders.length; i += 2) {
    const name = r.rawHeaders[i];
    const value = r.rawHeaders[i + 1];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const qs = new URLSearchParams(r.rawQuery);
  let query: Record<string, string> | null = null;
  let multiQuery: Record<string, string[]> | null = null;
  for (const [k, v] of qs) {
    (query ??= {})[k] = v;
    ((multiQuery ??= {})[k] ??= []).push(v);
  }
  const { template } = routeParts(r.routeKey);
  const { domainName, domainPrefix } = domain(stack, r.host);
  const stage = stack.deployed.stage;
  return {
    resource: template,
    path: r.path,
    httpMethod: r.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    pathParameters: pathParameters(template, r.path),
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: stack.deployed.apiId,
      resourceId: 'dowsim',
      resourcePath: template,
      httpMethod: r.method,
      extendedRequestId: r.shortId,
      requestTime: requestTime(r.timeEpochMs),
      requestTimeEpoch: r.timeEpochMs,
      path: `/${stage}${r.path}`,
      protocol: r.protocol,
      stage,
      domainName,
      domainPrefix,
      requestId: r.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: r.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: r.userAgent,
        user: null,
        apiKey: r.apiKey ?? null,
        apiKeyId: r.apiKey ? 'dowsim-key' : null,
      },
      authorizer: null,
    },
    body: r.body.length > 0 ? r.body.toString('utf8') : null,
    isBase64Encoded: false,
  };
}

/** An HTTP API's (and a function URL's) Lambda event, payload format 2.0. */
export function proxyEventV2(stack: Stack, r: ProxyRequest): Record<string, unknown> {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (let i = 0; i < r.rawHeaders.length; i += 2) {
    const name = r.rawHeaders[i].toLowerCase();
    const value = r.rawHeaders[i + 1];
    if (name === 'cookie') {
      (cookies ??= []).push(...value.split(/;\s*/).filter(Boolean));
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(r.rawQuery)) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const functionUrl = stack.api.kind === 'function-url';
  // an HTTP API without declared routes serves everything from its $default route
  const noRoutes = Object.keys(stack.api.routes).length === 0;
  const routeKey = functionUrl || noRoutes ? '$default' : (r.routeKey ?? '$default');
  const { template } = routeParts(routeKey === '$default' ? undefined : routeKey);
  const params = routeKey === '$default' ? null : pathParameters(template, r.path);
  const { domainName, domainPrefix } = domain(stack, r.host);
  const textual = isTextual(headers['content-type']);
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey,
    rawPath: r.path,
    rawQueryString: r.rawQuery,
  };
  if (cookies) event.cookies = cookies;
  event.headers = headers;
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  event.requestContext = {
    accountId: functionUrl ? 'anonymous' : ACCOUNT_ID,
    apiId: stack.deployed.apiId,
    domainName,
    domainPrefix,
    http: { method: r.method, path: r.path, protocol: r.protocol, sourceIp: r.sourceIp, userAgent: r.userAgent },
    requestId: functionUrl ? r.requestId : r.shortId,
    routeKey,
    stage: functionUrl ? '$default' : stack.deployed.stage,
    time: requestTime(r.timeEpochMs),
    timeEpoch: r.timeEpochMs,
  };
  if (r.body.length > 0) event.body = textual ? r.body.toString('utf8') : r.body.toString('base64');
  if (params) event.pathParameters = params;
  event.isBase64Encoded = r.body.length > 0 && !textual;
  return event;
}
