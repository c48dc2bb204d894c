import { stringify } from 'yaml';
import type { LambdaConfig, Stack, Throttle } from '../stack/types.ts';
import { formatDuration } from '../model/units.ts';
import { monitoringFileKeys } from '../stack/alarms-schema.ts';

/**
 * A parsed Stack written back as a stack file (DESIGN "Stack"), every setting explicit, so the
 * stack parser reads it back to the same Stack. Usage-plan `keys` are left out: they are secrets,
 * and simulations work with synthetic keys anyway.
 */
export function stackFileObject(stack: Stack): Record<string, unknown> {
  const l = stack.lambda;
  const api = stack.api;
  const throttle = (t: Throttle) => ({ rate: t.rate, burst: t.burst });
  const apiOut: Record<string, unknown> = { kind: api.kind };
  if (api.kind !== 'function-url') {
    apiOut.account = throttle(api.account);
    if (api.stage) apiOut.stage = throttle(api.stage);
    if (Object.keys(api.routes).length) {
      apiOut.routes = Object.fromEntries(
        Object.entries(api.routes).map(([k, t]) => {
          const fn = api.routeFunctions?.[k];
          return [k, { ...(t ? throttle(t) : {}), ...(fn !== undefined ? { function: fn } : {}) }];
        }),
      );
    }
    apiOut.integrationTimeout = dur(api.integrationTimeout);
  }
  if (api.kind === 'rest') {
    apiOut.apiKeyRequired = api.apiKeyRequired;
    if (api.usagePlans.length) {
      apiOut.usagePlans = api.usagePlans.map((p) => ({
        name: p.name,
        ...(p.throttle ? { throttle: throttle(p.throttle) } : {}),
        ...(p.quota ? { quota: { limit: p.quota.limit, period: p.quota.period, offset: p.quota.offset } } : {}),
        ...(p.routes ? { routes: Object.fromEntries(Object.entries(p.routes).map(([k, x]) => [k, throttle(x)])) } : {}),
      }));
    }
  }
  const out: Record<string, unknown> = { name: stack.name, region: stack.region, api: apiOut };
  if (stack.waf) {
    const r = stack.waf.rateLimit;
    out.waf = {
      rules: stack.waf.rules,
      ...(r ? { rateLimit: { limit: r.limit, window: dur(r.windowSeconds), key: r.key, delay: dur(r.delaySeconds) } } : {}),
    };
  }
  out.lambda = { ...functionKeys(l), accountConcurrency: l.accountConcurrency };
  if (stack.functions?.length) out.functions = stack.functions.map((f) => ({ name: f.name, functionName: f.functionName, ...functionKeys(f) }));
  out.responseBytes = stack.responseBytes;
  out.freeTier = stack.freeTier;
  out.deployed = { ...stack.deployed };
  Object.assign(out, monitoringFileKeys(stack)); // alarms, budgets
  return out;
}

/** The keys `lambda` and each of `functions` share, as the stack file writes them. */
function functionKeys(l: Omit<LambdaConfig, 'accountConcurrency'>): Record<string, unknown> {
  return {
    memoryMb: l.memoryMb,
    architecture: l.architecture,
    duration: l.duration.p50 === l.duration.p99 ? dur(l.duration.p50) : { p50: dur(l.duration.p50), p99: dur(l.duration.p99) },
    initDuration: dur(l.initDuration),
    idleTimeout: dur(l.idleTimeout),
    ...(l.reservedConcurrency !== undefined ? { reservedConcurrency: l.reservedConcurrency } : {}),
    timeout: dur(l.timeout),
    logBytesPerInvocation: l.logBytesPerInvocation,
    errorRate: l.errorRate,
    scaling: { environments: l.scaling.environments, per: dur(l.scaling.perSeconds) },
  };
}

/** The stack file as YAML text, with a header saying where it came from. */
export function stackFileYaml(stack: Stack, header: string[]): string {
  return `${header.map((h) => `# ${h.replace(/[\r\n]/g, ' ')}`).join('\n')}\n${stringify(stackFileObject(stack), { lineWidth: 0 })}`;
}

function dur(seconds: number): string {
  return formatDuration(seconds);
}
