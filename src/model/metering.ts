/**
 * What API Gateway meters per request — the one place the simulator, the emulator, the load
 * driver's plan, the k6 importer and the cost model read it from.
 */
import type { ApiKind } from './api-kind.ts';

/*
 * API Gateway bills the requests it sends to the integration: `totals.billedApiRequests`.
 *
 * Contract with every producer of totals (simulator, emulator, load recorder, k6 importer,
 * CloudWatch collector): billedApiRequests counts only requests that reached the integration —
 * succeeded, failed, timed out, and those Lambda throttled (a 500 the gateway still bills, AWS staff
 * on re:Post). It never counts gatewayThrottled or quotaExceeded (429s), authRejected (403 for a
 * missing or invalid key), or wafBlocked (WAF answers before API Gateway; no AWS statement either
 * way, dowsim assumes unbilled). REST: one unit per request. HTTP APIs: per 512 KB, see
 * httpApiBillableUnits. This file only prices the count; it never re-derives it from outcomes.
 */

/** HTTP APIs meter requests "in 512 KB increments" (AWS whitepaper, Table 4): 512 KB = 524,288 bytes. */
export const HTTP_API_METERING_BYTES = 512 * 1024;

/**
 * Which payload the 512 KB metering counts. AWS says only "HTTP APIs are metered in 512 KB
 * increments" and bills "API calls you receive"; infracost (apigatewayv2_api.go) meters the
 * request size alone (`request_size_kb`), and so does dowsim by default. 'request+response' is
 * there for whoever finds AWS counting responses too.
 */
export type HttpApiMeteredPayload = 'request' | 'request+response';
export const HTTP_API_METERED_PAYLOAD: HttpApiMeteredPayload = 'request';

/**
 * Billable units of one HTTP API request: ceil(bytes / 524,288), at least 1 (an empty request is
 * one request). 1.2 MB → 3, exactly 512 KB → 1, 0 bytes → 1. Producers pass both sizes so that the
 * metering choice stays here.
 */
export function httpApiBillableUnits(
  requestBytes: number,
  responseBytes = 0,
  metered: HttpApiMeteredPayload = HTTP_API_METERED_PAYLOAD,
): number {
  const bytes = Math.max(0, requestBytes) + (metered === 'request+response' ? Math.max(0, responseBytes) : 0);
  return Math.max(1, Math.ceil(bytes / HTTP_API_METERING_BYTES));
}

/** Billable units of one REST API request: always 1, whatever its size. */
export function restApiBillableUnits(): number {
  return 1;
}

/** API Gateway billable units of one request sent to the integration on this kind of API (0 for a function URL). */
export function billableUnits(kind: ApiKind, requestBytes: number, responseBytes = 0): number {
  if (kind === 'function-url') return 0;
  return kind === 'http' ? httpApiBillableUnits(requestBytes, responseBytes) : restApiBillableUnits();
}
