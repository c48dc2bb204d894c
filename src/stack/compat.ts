import type { Scenario } from '../scenario/types.ts';
import { matchRoute } from './routes.ts';
import type { Stack } from './types.ts';

/** API Gateway's request payload quota (REST and HTTP APIs): larger requests get 413. */
const GATEWAY_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** Lambda's synchronous invocation payload quota: larger events are refused. */
const LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * Warnings about running `scenario` against `stack`: places where the two do not fit together and
 * the result will surprise (every request of a legit cohort rejected, a key that is ignored, …).
 * An empty list means nothing looks off. These are warnings, not errors: an attack cohort whose
 * requests are all rejected may be exactly what the user wants to see.
 */
export function checkScenarioAgainstStack(scenario: Scenario, stack: Stack): string[] {
  const warnings: string[] = [];
  const api = stack.api;
  const planNames = new Set(api.usagePlans.map((p) => p.name));
  const keysMatter = api.kind === 'rest' && api.apiKeyRequired;

  for (const c of scenario.cohorts) {
    const who = `cohort "${c.name}" (${c.role})`;
    const key = c.apiKey;
    // A key the stack does not look at (HTTP API, function URL, REST without apiKeyRequired) is
    // silently ignored by AWS; that is only worth a warning where it changes the outcome.
    if (keysMatter) {
      if (key === 'none' && c.role === 'legit') {
        warnings.push(`${who} sends no API key, but stack "${stack.name}" requires one: all its requests will be rejected 403`);
      } else if (key === 'invalid' && c.role === 'legit') {
        warnings.push(`${who} sends invalid API keys: all its requests will be rejected 403`);
      } else if (key !== 'none' && key !== 'invalid' && !planNames.has(key)) {
        warnings.push(
          `${who} uses API keys of plan "${key}", but stack "${stack.name}" has no such plan and requires keys: ` +
            `all its requests will be rejected 403 (plans: ${[...planNames].join(', ') || 'none'})`,
        );
      }
    } else if (key === 'invalid') {
      // the stack requires no key: AWS ignores whatever key comes along
      warnings.push(`${who} sends invalid API keys, but stack "${stack.name}" does not check keys: its requests are not rejected`);
    } else if (api.kind === 'rest') {
      if (key !== 'none' && planNames.has(key) && planLimits(stack, key)) {
        warnings.push(
          `${who} uses plan "${key}", but stack "${stack.name}" does not require API keys, so the plan's throttle and quota do not apply`,
        );
      }
    }

    for (const r of c.requests) {
      if (!matchRoute(stack, r.method, r.path)) {
        warnings.push(`${who} sends ${r.method} ${r.path}, which matches no route of stack "${stack.name}": all those requests will be rejected 403`);
      }
      if (api.kind !== 'function-url' && r.bodyBytes > GATEWAY_PAYLOAD_BYTES) {
        warnings.push(`${who} sends ${r.bodyBytes.toLocaleString('en-US')}-byte bodies, above API Gateway's 10 MB payload quota: AWS would answer 413`);
      } else if (r.bodyBytes > LAMBDA_PAYLOAD_BYTES) {
        warnings.push(`${who} sends ${r.bodyBytes.toLocaleString('en-US')}-byte bodies, above Lambda's 6 MB invocation payload quota: AWS would refuse them`);
      }
    }
  }
  if (api.kind === 'function-url' && stack.lambda.reservedConcurrency === 0) {
    warnings.push(`stack "${stack.name}" reserves 0 concurrency: the function is disabled and every request is throttled`);
  }
  return warnings;
}

function planLimits(stack: Stack, plan: string): boolean {
  const p = stack.api.usagePlans.find((x) => x.name === plan);
  return Boolean(p?.throttle || p?.quota);
}
