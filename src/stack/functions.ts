/**
 * The functions behind a stack's routes: `lambda` (the default, for routes that name none) and
 * `functions:`. Account concurrency is one pool for all of them: a function with reserved
 * concurrency owns that much of it, the others share what is left (aws-facts.md, Lambda).
 */
import type { FunctionConfig, Stack } from './types.ts';

/** The name routes use for the stack's `lambda` (and the one they get when they name none). */
export const DEFAULT_FUNCTION = 'lambda';

const cache = new WeakMap<Stack, FunctionConfig[]>();

/** Every function of the stack, `lambda` first (named "lambda", deployed as deployed.functionName). */
export function stackFunctions(stack: Stack): FunctionConfig[] {
  let list = cache.get(stack);
  if (!list) {
    const l = stack.lambda;
    const main: FunctionConfig = {
      name: DEFAULT_FUNCTION,
      functionName: stack.deployed.functionName,
      memoryMb: l.memoryMb,
      architecture: l.architecture,
      duration: l.duration,
      initDuration: l.initDuration,
      idleTimeout: l.idleTimeout,
      ...(l.reservedConcurrency !== undefined ? { reservedConcurrency: l.reservedConcurrency } : {}),
      timeout: l.timeout,
      logBytesPerInvocation: l.logBytesPerInvocation,
      errorRate: l.errorRate,
      scaling: l.scaling,
    };
    list = [main, ...(stack.functions ?? [])];
    cache.set(stack, list);
  }
  return list;
}

/** True when the stack has functions besides `lambda`. */
export function hasSeveralFunctions(stack: Stack): boolean {
  return (stack.functions?.length ?? 0) > 0;
}

/** The name of the function behind a route key ("lambda" for routes naming none, and for no route). */
export function functionOfRoute(stack: Stack, routeKey: string | undefined): string {
  return (routeKey !== undefined ? stack.api.routeFunctions?.[routeKey] : undefined) ?? DEFAULT_FUNCTION;
}

/** Index in stackFunctions(stack) of the function behind a route key. */
export function functionIndexOfRoute(stack: Stack, routeKey: string | undefined): number {
  const name = functionOfRoute(stack, routeKey);
  const i = stackFunctions(stack).findIndex((f) => f.name === name);
  return i < 0 ? 0 : i;
}

/**
 * How the account's concurrency divides among the functions: each function's own ceiling
 * (its reserved concurrency, or the unreserved rest of the account), and which functions draw on
 * the unreserved rest together (`shared`, indices into stackFunctions; only when two or more do).
 */
export function concurrencyPlan(stack: Stack): { limits: number[]; unreserved: number; shared: number[] } {
  const fns = stackFunctions(stack);
  let reserved = 0;
  for (const f of fns) reserved += f.reservedConcurrency ?? 0;
  const unreserved = Math.max(0, stack.lambda.accountConcurrency - reserved);
  const limits = fns.map((f) => f.reservedConcurrency ?? unreserved);
  const drawing = fns.flatMap((f, i) => (f.reservedConcurrency === undefined ? [i] : []));
  return { limits, unreserved, shared: drawing.length > 1 ? drawing : [] };
}
