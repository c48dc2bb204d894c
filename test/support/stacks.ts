import type { Stack } from '../../src/stack/types.ts';

/** A normalized stack built in code (tests that must not depend on the file parser). */
type StackOverrides = Omit<Partial<Stack>, 'api' | 'lambda'> & { api?: Partial<Stack['api']>; lambda?: Partial<Stack['lambda']> };

export function makeStack(over: StackOverrides = {}): Stack {
  const base: Stack = {
    name: 'test-stack',
    region: 'us-east-1',
    api: {
      kind: 'rest',
      account: { rate: 10_000, burst: 5_000 },
      routes: {},
      apiKeyRequired: false,
      usagePlans: [],
      integrationTimeout: 29,
    },
    lambda: {
      memoryMb: 512,
      architecture: 'x86_64',
      duration: { p50: 0.12, p99: 0.12 },
      initDuration: 0.4,
      idleTimeout: 600,
      accountConcurrency: 1000,
      timeout: 29,
      logBytesPerInvocation: 300,
      errorRate: 0,
      scaling: { environments: 1000, perSeconds: 10 },
    },
    responseBytes: 2048,
    freeTier: false,
    deployed: { apiName: 'test-stack', apiId: 'test-stack', stage: 'prod', functionName: 'test-stack' },
  };
  return {
    ...base,
    ...over,
    api: { ...base.api, ...(over.api ?? {}) },
    lambda: { ...base.lambda, ...(over.lambda ?? {}) },
  } as Stack;
}
