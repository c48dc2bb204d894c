import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { InputError } from '../model/errors.ts';
import type { Stack } from '../stack/types.ts';

/** A Lambda handler: async (event, context) or the older (event, context, callback). */
export type LambdaHandler = (event: unknown, context: LambdaContext, callback?: (err?: unknown, result?: unknown) => void) => unknown;

export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(err?: unknown, result?: unknown): void;
  fail(err: unknown): void;
  succeed(result: unknown): void;
}

/**
 * Loads `./path/to/module.js#export` (export defaults to `handler`; the path is relative to `cwd`)
 * and answers the function. A missing file or export is the user's mistake: InputError.
 */
export async function loadHandler(spec: string, cwd = process.cwd()): Promise<LambdaHandler> {
  const hash = spec.lastIndexOf('#');
  const file = hash > 0 ? spec.slice(0, hash) : spec;
  const name = hash > 0 ? spec.slice(hash + 1) : 'handler';
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  if (!existsSync(path)) throw new InputError([{ path: '--handler', message: `no such file: ${path}` }]);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new InputError([{ path: '--handler', message: `could not load ${file}: ${(err as Error)?.message ?? String(err)}` }]);
  }
  const fn = mod[name] ?? (name === 'handler' && typeof mod.default === 'object' ? (mod.default as Record<string, unknown>)?.handler : undefined);
  if (typeof fn !== 'function') {
    const exported = Object.keys(mod).join(', ') || 'nothing';
    const what = Object.hasOwn(mod, name) ? `: export "${name}" is ${fn === null ? 'null' : Array.isArray(fn) ? 'an array' : typeof fn === 'object' ? 'an object' : `a ${typeof fn}`}, not a function` : ` has no function export "${name}"`;
    throw new InputError([{ path: '--handler', message: `${file}${what} (it exports ${exported})` }]);
  }
  return fn as LambdaHandler;
}

export type HandlerOutcome = { kind: 'returned'; value: unknown } | { kind: 'threw'; error: unknown } | { kind: 'timedOut' };

/** The context object Lambda's Node.js runtime hands a handler. */
export function lambdaContext(
  stack: Stack,
  awsRequestId: string,
  deadlineMs: number,
  settle: (o: HandlerOutcome) => void,
  config: { functionName: string; memoryMb: number } = { functionName: stack.deployed.functionName, memoryMb: stack.lambda.memoryMb },
): LambdaContext {
  const fn = config.functionName;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${stack.region}:123456789012:function:${fn}`,
    memoryLimitInMB: String(config.memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${fn}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadlineMs - Date.now())),
    done: (err, result) => settle(err ? { kind: 'threw', error: err } : { kind: 'returned', value: result }),
    fail: (err) => settle({ kind: 'threw', error: err }),
    succeed: (result) => settle({ kind: 'returned', value: result }),
  };
}

/**
 * Runs a handler once with the function's `timeout` (seconds): whatever comes first — a returned
 * value (promise or callback), a thrown error, or the timeout. A handler past its timeout keeps
 * running in this process (JavaScript cannot stop it) but its answer is ignored, as Lambda would.
 */
export function invokeHandler(
  handler: LambdaHandler,
  event: unknown,
  stack: Stack,
  awsRequestId: string,
  timeoutSeconds: number,
  config?: { functionName: string; memoryMb: number },
): Promise<HandlerOutcome> {
  return new Promise<HandlerOutcome>((resolveOutcome) => {
    let settled = false;
    const settle = (o: HandlerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveOutcome(o);
    };
    const timer = setTimeout(() => settle({ kind: 'timedOut' }), Math.max(1, timeoutSeconds * 1000));
    timer.unref(); // a closing emulator must not wait for the timeouts of handlers still running
    const context = lambdaContext(stack, awsRequestId, Date.now() + timeoutSeconds * 1000, settle, config);
    const callback = (err?: unknown, result?: unknown) => settle(err ? { kind: 'threw', error: err } : { kind: 'returned', value: result });
    try {
      const r = handler(event, context, callback);
      if (r && typeof (r as Promise<unknown>).then === 'function') {
        (r as Promise<unknown>).then(
          (value) => settle({ kind: 'returned', value }),
          (error) => settle({ kind: 'threw', error }),
        );
      } else if (handler.length < 3) {
        settle({ kind: 'returned', value: r });
      }
    } catch (error) {
      settle({ kind: 'threw', error });
    }
  });
}
