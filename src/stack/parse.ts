import { InputError } from '../model/errors.ts';
import { finishProblems, problemsFromIssues, type RawProblem } from '../input/problems.ts';
import { readYaml } from '../input/yaml-input.ts';
import { accountDefaults } from './account-defaults.ts';
import { DEFAULT_FUNCTION } from './functions.ts';
import { stackRules } from './rules.ts';
import { monitoringRules, normalizeMonitoring } from './alarms-schema.ts';
import { stackSchema, type StackFile } from './schema.ts';
import type { FunctionConfig, LambdaConfig, Stack, Throttle } from './types.ts';

const TOP_KEYS = 'name, region, api, waf, lambda, functions, responseBytes, freeTier, deployed, alarms and budgets';

/** Integration timeouts API Gateway applies by default (aws-facts.md). */
const INTEGRATION_TIMEOUT = { rest: 29, http: 30 } as const;

/**
 * Reads a stack from YAML or JSON text into the normalized Stack (every default filled in,
 * durations in seconds). Throws one InputError carrying every problem, each with its path.
 */
export function parseStack(text: string, file?: string): Stack {
  const { data, locate } = readYaml(text, file, 'stack', TOP_KEYS);
  const parsed = stackSchema.safeParse(data, { reportInput: true });
  const raw: RawProblem[] = parsed.success ? [] : problemsFromIssues(parsed.error.issues, stackSchema);
  raw.push(...stackRules(data), ...monitoringRules(data));
  if (raw.length || !parsed.success) throw new InputError(finishProblems(raw, locate), file);
  return normalizeStack(parsed.data, file);
}

function normalizeStack(s: StackFile, file: string | undefined): Stack {
  const l = s.lambda;
  const routes: Record<string, Throttle | null> = {};
  const routeFunctions: Record<string, string> = {};
  for (const [key, t] of Object.entries(s.api.routes)) {
    routes[key] = t.rate !== undefined && t.burst !== undefined ? { rate: t.rate, burst: t.burst } : null;
    if (t.function !== undefined && t.function !== DEFAULT_FUNCTION) routeFunctions[key] = t.function;
  }
  const functions: FunctionConfig[] = s.functions.map((f) => ({
    name: f.name,
    functionName: f.functionName ?? f.name,
    ...normalizeFunction(f),
  }));
  const kind = s.api.kind;
  return {
    name: s.name,
    ...(file !== undefined ? { file } : {}),
    region: s.region,
    api: {
      kind,
      account: s.api.account ?? accountDefaults(s.region),
      ...(s.api.stage ? { stage: s.api.stage } : {}),
      routes,
      apiKeyRequired: s.api.apiKeyRequired,
      usagePlans: s.api.usagePlans.map((p) => ({
        name: p.name,
        ...(p.throttle ? { throttle: p.throttle } : {}),
        ...(p.quota ? { quota: p.quota } : {}),
        ...(p.routes && Object.keys(p.routes).length > 0 ? { routes: p.routes } : {}),
        ...(p.keys ? { keys: p.keys } : {}),
      })),
      integrationTimeout: s.api.integrationTimeout ?? (kind === 'function-url' ? l.timeout : INTEGRATION_TIMEOUT[kind]),
      ...(Object.keys(routeFunctions).length > 0 ? { routeFunctions } : {}),
    },
    ...(s.waf
      ? {
          waf: {
            rules: s.waf.rules,
            ...(s.waf.rateLimit
              ? {
                  rateLimit: {
                    limit: s.waf.rateLimit.limit,
                    windowSeconds: s.waf.rateLimit.window,
                    key: s.waf.rateLimit.key,
                    delaySeconds: s.waf.rateLimit.delay,
                  },
                }
              : {}),
          },
        }
      : {}),
    lambda: { ...normalizeFunction(l), accountConcurrency: l.accountConcurrency },
    ...(functions.length > 0 ? { functions } : {}),
    responseBytes: s.responseBytes,
    freeTier: s.freeTier,
    deployed: {
      apiName: s.deployed.apiName ?? s.name,
      apiId: s.deployed.apiId ?? s.name,
      stage: s.deployed.stage,
      functionName: s.deployed.functionName ?? s.name,
    },
    ...normalizeMonitoring(s),
  };
}

/** The keys `lambda` and every entry of `functions` share, normalized (durations in seconds). */
function normalizeFunction(l: Omit<StackFile['lambda'], 'accountConcurrency'>): Omit<LambdaConfig, 'accountConcurrency'> {
  return {
    memoryMb: l.memoryMb,
    architecture: l.architecture,
    duration: typeof l.duration === 'number' ? { p50: l.duration, p99: l.duration } : { ...l.duration },
    initDuration: l.initDuration,
    idleTimeout: l.idleTimeout,
    ...(l.reservedConcurrency !== undefined ? { reservedConcurrency: l.reservedConcurrency } : {}),
    timeout: l.timeout,
    logBytesPerInvocation: l.logBytesPerInvocation,
    errorRate: l.errorRate,
    scaling: { environments: l.scaling.environments, perSeconds: l.scaling.per },
  };
}
