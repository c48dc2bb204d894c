/**
 * The two module families the corpus (and many real repositories) use, read from their inputs:
 * terraform-aws-modules/apigateway-v2 (an HTTP API: routes map, stage_default_route_settings)
 * and terraform-aws-modules/lambda (a function, optionally with a function URL). Other modules
 * are opaque: their resources live in another folder, read that folder to audit them.
 */
import type { ApiModel, RouteAuth } from '../model.ts';
import type { Obj, TfBlock, TfContext } from './tf-context.ts';

const AUTH: Record<string, RouteAuth> = { NONE: 'none', AWS_IAM: 'iam', CUSTOM: 'authorizer', JWT: 'authorizer' };

function isApiGatewayV2(b: Obj): boolean {
  return /apigateway-v2/.test(String(b.source)) || 'routes' in b || 'stage_default_route_settings' in b;
}

function isLambda(b: Obj): boolean {
  return (/lambda/.test(String(b.source)) || 'handler' in b || 'function_name' in b) && !('create_layer' in b) && !('create_function' in b && b.create_function === false);
}

export function readTfModule(ctx: TfContext, b: TfBlock): void {
  if (ctx.bool(b.body.create) === false) return;
  if (isApiGatewayV2(b.body)) readApiModule(ctx, b);
  else if (isLambda(b.body)) readLambdaModule(ctx, b);
}

function readApiModule(ctx: TfContext, b: TfBlock): void {
  const protocol = ctx.str(b.body.protocol_type) ?? 'HTTP'; // the module's default
  if (protocol !== 'HTTP') return ctx.assume(b.loc, `${protocol} API is not an HTTP or REST API; dowsim does not model it`);
  const defaults = ctx.value(b.body.stage_default_route_settings);
  const stage = defaults && typeof defaults === 'object' ? ctx.throttle(b, defaults as Obj, 'throttling_rate_limit', 'throttling_burst_limit') : undefined;
  const api: ApiModel = { id: b.address, kind: 'http', loc: b.loc, routes: [], usagePlans: [], ...(stage ? { stage } : {}) };
  ctx.model.apis.push(api);
  const raw = (b.body.routes ?? {}) as Obj; // as written: integration URIs keep their references
  const routes = ctx.value(raw);
  if (!routes || typeof routes !== 'object') return;
  for (const [key, value] of Object.entries(routes as Obj)) {
    const r = (value ?? {}) as Obj;
    const own = ctx.throttle(b, r, 'throttling_rate_limit', 'throttling_burst_limit');
    const fn = ctx.refs((raw[key] as Obj | undefined)?.integration).find((x) => x.startsWith('module.') || x.startsWith('aws_lambda_function.'));
    const auth = (ctx.str(r.authorization_type) ?? 'NONE').toUpperCase();
    api.routes.push({ key, auth: AUTH[auth] ?? 'unknown', apiKeyRequired: false, ...(own ? { throttle: own } : {}), ...(fn ? { function: fn } : {}), loc: b.loc });
  }
}

/**
 * A Lambda function from `aws_lambda_function` or the lambda module, which take the same inputs
 * (memory_size, reserved_concurrent_executions, timeout, architectures).
 */
export function readTfLambdaFunction(ctx: TfContext, b: TfBlock): void {
  const memoryMb = ctx.num(b, b.body.memory_size, 'memory_size');
  const reserved = ctx.num(b, b.body.reserved_concurrent_executions, 'reserved_concurrent_executions');
  const timeout = ctx.num(b, b.body.timeout, 'timeout');
  const arch = ctx.value(b.body.architectures);
  ctx.model.functions.push({
    id: b.address,
    loc: b.loc,
    ...(memoryMb !== undefined ? { memoryMb } : {}),
    ...(Array.isArray(arch) && (arch[0] === 'arm64' || arch[0] === 'x86_64') ? { architecture: arch[0] } : {}),
    ...(reserved !== undefined && reserved >= 0 ? { reservedConcurrency: reserved } : {}), // -1: unreserved
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
  });
}

function readLambdaModule(ctx: TfContext, b: TfBlock): void {
  readTfLambdaFunction(ctx, b);
  if (ctx.bool(b.body.create_lambda_function_url) === true) {
    // the module's authorization_type defaults to "NONE"
    ctx.model.functionUrls.push({ loc: b.loc, function: b.address, authType: ctx.str(b.body.authorization_type) ?? 'NONE' });
  }
}
