import type { Cohort } from '../scenario/types.ts';
import { cohortApiKey } from '../stack/api-keys.ts';

/** The API key a cohort's representative client presents (undefined for `apiKey: none`). */
export function representativeKey(cohort: Cohort, cohortIndex: number): string | undefined {
  if (cohort.apiKey === 'none') return undefined;
  if (cohort.apiKey === 'invalid') return 'dowsim-invalid-key-not-issued-by-any-plan';
  // cohorts hold distinct keys: one cohort's clients never share another cohort's usage-plan bucket
  return cohortApiKey(cohort.apiKey, cohortIndex, 0);
}

/** The per-IP identity of a cohort's representative client. */
function representativeClient(cohort: Cohort): string {
  return `cohort:${cohort.name}`;
}

/**
 * The source and first X-Forwarded-For addresses of a cohort's representative client: the same,
 * unless the cohort forges the header afresh per request — then no forwarded key repeats, which a
 * `forwarded-ip` WAF rule never blocks (AdmitRequest.forwarded absent).
 */
export function representativeAddresses(cohort: Cohort): { client: string; forwarded?: string } {
  const client = representativeClient(cohort);
  return cohort.forgeForwardedFor ? { client } : { client, forwarded: client };
}

/** Which IP-rotation epoch a cohort is in at scenario time t (0 when it never rotates). */
export function rotationEpoch(cohort: Cohort, t: number): number {
  return cohort.rotate ? Math.floor(t / cohort.rotate + 1e-9) : 0;
}
