import type { Outcome } from '../model/outcomes.ts';
import { classifyResponse, type ApiKindForClassify } from './classify.ts';
import type { DispatchCohort } from './dispatch-types.ts';
import type { ResponseHandler } from './response-handler.ts';

/**
 * The outcome of one answered request. A bodiless answer (the parser skipped a body nobody needs)
 * below 300 is a success without looking further.
 */
export function answerOutcome(r: ResponseHandler, apiKind: ApiKindForClassify, cohorts: readonly DispatchCohort[]): Outcome {
  if (r.body === undefined) return r.status < 300 ? 'succeeded' : classifyResponse({ status: r.status, apiKind });
  return classifyResponse({ status: r.status, body: r.body, headers: r.headers(), apiKind, plainForbidden: cohorts[r.cohort].plainForbidden });
}
