import type { ApiKind } from './api-kind.ts';

/** Why the front answered instead of the function (outcomes, and the REST unknown-route case). */
export type GatewayAnswer =
  | 'wafBlocked'
  | 'authRejected'
  | 'unknownRoute'
  | 'gatewayThrottled'
  | 'quotaExceeded'
  | 'lambdaThrottled'
  | 'failed'
  | 'malformedResponse'
  | 'timedOut';

export interface CannedResponse {
  status: number;
  body: string;
  /** `x-amzn-ErrorType` (REST APIs and function URLs; HTTP APIs send none). */
  errorType?: string;
}

/*
 * What API Gateway (and a function URL) answers when it, not the function, ends a request.
 * Sources (DESIGN.md "Outcomes", aws-facts.md; header values from captured responses):
 * - REST gateway responses use the template {"message":$context.error.messageString}: 403
 *   "Forbidden" (invalid/missing key, WAF), 403 "Missing Authentication Token" for an unknown
 *   route, 429 "Too Many Requests", 429 "Limit Exceeded" (supported-gateway-response-types).
 * - x-amzn-ErrorType: ForbiddenException / MissingAuthenticationTokenException (AWS re:Post,
 *   "hide x-amzn-errortype in response headers on api gateway"); TooManyRequestsException on a
 *   throttled REST API (a captured 429 from an API Gateway usage plan, with x-amz-apigw-id and
 *   x-amzn-requestid beside it); LimitExceededException with {"message":"Limit Exceeded"} on a
 *   spent usage-plan quota (captured responses of two public API Gateway APIs).
 * - Lambda errors behind REST: 500 (throttled) / 502 (function error or malformed proxy
 *   response) {"message": "Internal server error"} — that exact spacing (lambda
 *   services-apigateway-errors); timeout 504 {"message": "Endpoint request timed out"}.
 *   The 5xx error type header is not documented; InternalServerErrorException is assumed.
 * - HTTP APIs: 404 {"message":"Not Found"} for no route, 429 {"message":"Too Many Requests"},
 *   500 {"message":"Internal Server Error"} when the integration fails or is throttled (an HTTP
 *   API access log shows status 500 for a function error), 503 {"message":"Service Unavailable"}
 *   at the 30 s integration timeout. No x-amzn-ErrorType; the request id is apigw-requestid.
 * - Function URLs: Lambda's own throttle, 429 TooManyRequestsException with Lambda's error body
 *   (Reason, Type, message "Rate Exceeded."); a function error or the function's own timeout
 *   comes back as 502 "Internal Server Error" (assumed; AWS documents no body).
 */
const REST: Record<GatewayAnswer, CannedResponse> = {
  wafBlocked: { status: 403, body: '{"message":"Forbidden"}', errorType: 'ForbiddenException' },
  authRejected: { status: 403, body: '{"message":"Forbidden"}', errorType: 'ForbiddenException' },
  unknownRoute: { status: 403, body: '{"message":"Missing Authentication Token"}', errorType: 'MissingAuthenticationTokenException' },
  gatewayThrottled: { status: 429, body: '{"message":"Too Many Requests"}', errorType: 'TooManyRequestsException' },
  quotaExceeded: { status: 429, body: '{"message":"Limit Exceeded"}', errorType: 'LimitExceededException' },
  lambdaThrottled: { status: 500, body: '{"message": "Internal server error"}', errorType: 'InternalServerErrorException' },
  failed: { status: 502, body: '{"message": "Internal server error"}', errorType: 'InternalServerErrorException' },
  malformedResponse: { status: 502, body: '{"message": "Internal server error"}', errorType: 'InternalServerErrorException' },
  timedOut: { status: 504, body: '{"message": "Endpoint request timed out"}', errorType: 'InternalServerErrorException' },
};

const HTTP: Record<GatewayAnswer, CannedResponse> = {
  // HTTP APIs have no WAF and no API keys; these two cannot happen but keep the table total
  wafBlocked: { status: 403, body: '{"message":"Forbidden"}' },
  authRejected: { status: 403, body: '{"message":"Forbidden"}' },
  unknownRoute: { status: 404, body: '{"message":"Not Found"}' },
  gatewayThrottled: { status: 429, body: '{"message":"Too Many Requests"}' },
  quotaExceeded: { status: 429, body: '{"message":"Too Many Requests"}' },
  lambdaThrottled: { status: 500, body: '{"message":"Internal Server Error"}' },
  failed: { status: 500, body: '{"message":"Internal Server Error"}' },
  malformedResponse: { status: 500, body: '{"message":"Internal Server Error"}' },
  timedOut: { status: 503, body: '{"message":"Service Unavailable"}' },
};

const LAMBDA_THROTTLE = (reason: string) =>
  JSON.stringify({ Reason: reason, Type: 'User', message: 'Rate Exceeded.' });

const FUNCTION_URL: Record<GatewayAnswer, CannedResponse> = {
  wafBlocked: { status: 403, body: '{"Message":"Forbidden"}', errorType: 'AccessDeniedException' },
  authRejected: { status: 403, body: '{"Message":"Forbidden"}', errorType: 'AccessDeniedException' },
  unknownRoute: { status: 404, body: '{"Message":"Not Found"}' },
  // the 10 × reserved-concurrency request-rate cap
  gatewayThrottled: {
    status: 429,
    body: LAMBDA_THROTTLE('ReservedFunctionInvocationRateLimitExceeded'),
    errorType: 'TooManyRequestsException',
  },
  quotaExceeded: { status: 429, body: LAMBDA_THROTTLE('ReservedFunctionInvocationRateLimitExceeded'), errorType: 'TooManyRequestsException' },
  lambdaThrottled: {
    status: 429,
    body: LAMBDA_THROTTLE('ReservedFunctionConcurrentInvocationLimitExceeded'),
    errorType: 'TooManyRequestsException',
  },
  failed: { status: 502, body: 'Internal Server Error' },
  malformedResponse: { status: 502, body: 'Internal Server Error' },
  timedOut: { status: 502, body: 'Internal Server Error' },
};

/** The status, body and error type the front sends for `answer` on this kind of API. */
export function cannedResponse(kind: ApiKind, answer: GatewayAnswer): CannedResponse {
  return (kind === 'rest' ? REST : kind === 'http' ? HTTP : FUNCTION_URL)[answer];
}
