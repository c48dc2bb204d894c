/**
 * Scenario × stack × target → what load/ needs: each cohort's schedule input and how its requests
 * look on the wire (path under the target's base path, keys, billing units, what a plain 403 means).
 */
import { billableUnits } from '../model/metering.ts';
import type { DispatchCohort } from '../load/dispatcher.ts';
import { RequestMix } from '../load/request-mix.ts';
import type { ScheduleCohort } from '../load/schedule.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import type { KeyOf } from './api-keys.ts';

export interface CohortPlan {
  schedule: ScheduleCohort[];
  dispatch: DispatchCohort[];
  /** API Gateway billing units per request reaching the integration, per cohort (a mix's weighted mean). */
  billedUnits: number[];
}

export function planCohorts(scenario: Scenario, stack: Stack, basePath: string, keys: readonly (KeyOf | undefined)[]): CohortPlan {
  const kind = stack.api.kind;
  const planNames = new Set(stack.api.usagePlans.map((p) => p.name));
  return {
    schedule: scenario.cohorts.map((c) => ({ segments: c.rate, clients: Math.max(1, c.clients), rotate: c.rotate })),
    dispatch: scenario.cohorts.map((c, i) => {
      const holdsValidKey = c.apiKey !== 'none' && c.apiKey !== 'invalid' && planNames.has(c.apiKey);
      // A REST API answers a WAF block and a rejected key with the same plain 403; where this cohort
      // cannot be rejected for its key, the 403 can only be WAF's.
      const keyCannotFail = !stack.api.apiKeyRequired || holdsValidKey;
      const first = c.requests[0];
      const d: DispatchCohort = {
        name: c.name,
        role: c.role,
        method: first.method,
        path: joinPath(basePath, first.path),
        bodyBytes: c.requests.length > 1 ? 0 : first.bodyBytes,
        plainForbidden: kind === 'rest' && stack.waf?.rateLimit && keyCannotFail ? 'wafBlocked' : 'authRejected',
      };
      if (c.forgeForwardedFor) d.forgeForwardedFor = true;
      if (c.requests.length > 1) d.mix = new RequestMix(c.requests.map((r) => ({ ...r, path: joinPath(basePath, r.path) })));
      const key = keys[i];
      if (key) d.apiKey = key;
      return d;
    }),
    billedUnits: scenario.cohorts.map((c) => {
      const total = c.requests.reduce((s, r) => s + r.weight, 0);
      return c.requests.reduce((s, r) => s + (r.weight / total) * billableUnits(kind, r.bodyBytes), 0);
    }),
  };
}

function joinPath(base: string, path: string): string {
  if (!base) return path;
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
}
