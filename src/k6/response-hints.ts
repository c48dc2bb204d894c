/**
 * What the generated script records beside k6's own metrics so that outcomes can be told apart
 * after the run. k6's JSON output carries status codes but never bodies, and a 429 is a rate
 * throttle or a spent quota depending on its body. So, for the few statuses whose body matters
 * (load/classify.ts `bodyMatters`), the script adds one point to the counter `dowsim_responses`
 * tagged with the status, the body's message and the error-type header; the importer classifies
 * with the same shared function the Node driver uses.
 */
import { bodyMatters, classifyResponse, type ClassifiedOutcome } from '../load/classify.ts';
import type { ApiKind } from '../stack/types.ts';

export const HINT_METRIC = 'dowsim_responses';

export interface ResponseHint {
  status: number;
  message: string;
  errorType: string;
  wafAction: string;
}

/** Statuses whose body the script must report (derived from the shared classifier, not listed twice). */
export function bodyStatuses(): number[] {
  const out: number[] = [];
  for (let s = 100; s < 600; s++) if (bodyMatters(s)) out.push(s);
  return out;
}

/**
 * API Gateway's default body for a status that needs one: what a response is taken to have said
 * when k6 recorded no hint (a script other than dowsim's, or a hint lost in the output).
 */
const DEFAULT_MESSAGE: Record<number, string> = {
  403: 'Forbidden',
  429: 'Too Many Requests',
  500: 'Internal server error',
};

/** Messages worth a sub-metric of their own in the summary: the ones that change an outcome. */
export const SUMMARY_MESSAGES: readonly { status: number; message: string }[] = [
  { status: 429, message: 'Limit Exceeded' },
  { status: 429, message: 'Too Many Requests' },
  { status: 403, message: 'Forbidden' },
  { status: 404, message: 'Not Found' },
  { status: 500, message: 'Internal server error' },
  { status: 500, message: 'Internal Server Error' },
].filter((h) => bodyMatters(h.status));

/** Statuses that do not simply mean `succeeded` on this kind of API (plus 0: no answer). */
export function telling(apiKind: ApiKind): number[] {
  const out = [0];
  for (let s = 100; s < 600; s++) {
    if (bodyMatters(s) || classifyResponse({ status: s, apiKind, body: DEFAULT_MESSAGE[s] ?? '' }) !== 'succeeded') out.push(s);
  }
  return out;
}

/** The outcome of a response known by its status and (when recorded) its hint. */
export function outcomeOf(apiKind: ApiKind, status: number, hint?: ResponseHint | 'unknown-message'): ClassifiedOutcome {
  if (hint === undefined) return classifyResponse({ status, apiKind, body: DEFAULT_MESSAGE[status] ?? '' });
  if (hint === 'unknown-message') return classifyResponse({ status, apiKind, body: '' });
  const headers: Record<string, string> = {};
  if (hint.errorType) headers['x-amzn-errortype'] = hint.errorType;
  if (hint.wafAction) headers['x-amzn-waf-action'] = hint.wafAction;
  return classifyResponse({ status, apiKind, body: hint.message, headers });
}

/** A stable key for a hint (what the importer counts by). */
export function hintKey(h: ResponseHint): string {
  return JSON.stringify([h.status, h.message, h.errorType, h.wafAction]);
}

export function hintFromKey(key: string): ResponseHint {
  const [status, message, errorType, wafAction] = JSON.parse(key) as [number, string, string, string];
  return { status, message, errorType, wafAction };
}
