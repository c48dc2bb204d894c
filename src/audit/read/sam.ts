/**
 * AWS SAM resources onto the model: Serverless::Function (with Globals, Events that build implicit
 * or explicit APIs, FunctionUrlConfig, Policies), Serverless::Api (Auth, UsagePlan, MethodSettings,
 * DefinitionBody) and Serverless::HttpApi (Auth, DefaultRouteSettings, RouteSettings), read the
 * way the SAM translator expands them (see the translator's own input/output pairs in the corpus).
 */
import type { ApiModel, RouteAuth } from '../model.ts';
import type { CfnContext } from './cfn-context.ts';
import { plainList, readMethodSettings, setRouteThrottle } from './cfn-apis.ts';
import { functionIn, readPolicyDocument } from './cfn-functions.ts';
import { numberOf, refTarget } from './cfn-values.ts';
import { openApiRoutes } from './openapi-routes.ts';

type Obj = Record<string, unknown>;

const IMPLICIT = { Api: 'ServerlessRestApi', HttpApi: 'ServerlessHttpApi' } as const;

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/**
 * SAM's Globals merge (samtranslator/plugins/globals/globals.py): maps merge key by key (the
 * resource wins), lists concatenate, the global entries first ("List merging is simply a
 * concatenation = global + local": a MethodSettings entry in Globals.Api stays beside the API's
 * own), anything else is replaced. A function's Architectures is replaced, not added to: it has one
 * (SAM makes it so, aws/serverless-application-model#3945).
 */
export function withGlobals(globals: unknown, own: unknown): Obj {
  const g = obj(globals);
  const o = obj(own);
  const out: Obj = { ...g };
  for (const [k, v] of Object.entries(o)) {
    const gv = g[k];
    const mergeable = gv && typeof gv === 'object' && !Array.isArray(gv) && v && typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).some((x) => x.startsWith('Fn::') || x === 'Ref');
    out[k] = mergeable ? withGlobals(gv, v) : Array.isArray(gv) && Array.isArray(v) && k !== 'Architectures' ? [...gv, ...v] : v;
  }
  return out;
}

export function readSamFunction(ctx: CfnContext, id: string): void {
  const p = withGlobals(ctx.t.Globals?.Function, ctx.props(id));
  const memoryMb = ctx.num(id, ['MemorySize'], p.MemorySize, 'MemorySize');
  const reservedConcurrency = ctx.num(id, ['ReservedConcurrentExecutions'], p.ReservedConcurrentExecutions, 'ReservedConcurrentExecutions');
  const timeoutSeconds = ctx.num(id, ['Timeout'], p.Timeout, 'Timeout');
  const resolved = ctx.values.value(p.Architectures);
  const arch = typeof resolved === 'string' ? [resolved] : resolved; // a !Ref to a String parameter
  if (p.Architectures !== undefined && !Array.isArray(arch)) ctx.assume(ctx.loc(id, 'Properties', 'Architectures'), 'Architectures cannot be determined from the template; x86_64 is assumed');
  ctx.model.functions.push({
    id,
    loc: ctx.loc(id),
    ...(memoryMb !== undefined ? { memoryMb } : {}),
    ...(Array.isArray(arch) && (arch[0] === 'arm64' || arch[0] === 'x86_64') ? { architecture: arch[0] } : {}),
    ...(reservedConcurrency !== undefined ? { reservedConcurrency } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  });
  const url = obj(p.FunctionUrlConfig);
  if (p.FunctionUrlConfig !== undefined) {
    const authType = ctx.str(url.AuthType) ?? 'unknown';
    const loc = ctx.loc(id, 'Properties', 'FunctionUrlConfig');
    ctx.model.functionUrls.push({ loc, function: id, authType });
    // SAM adds the public invoke permission an AuthType NONE URL needs
    if (authType === 'NONE') ctx.model.permissions.push({ loc, principal: '*', action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' });
  }
  const policies = ctx.values.choices(p.Policies);
  (Array.isArray(policies) ? policies : policies ? [policies] : []).forEach((pol, i) => {
    if (pol && typeof pol === 'object' && 'Statement' in (pol as Obj)) readPolicyDocument(ctx, id, pol, ['Properties', 'Policies', ...(Array.isArray(policies) ? [i] : [])]);
  });
  for (const [name, ev] of Object.entries(obj(ctx.props(id).Events))) readEvent(ctx, id, name, obj(ev));
}

function readEvent(ctx: CfnContext, fn: string, name: string, ev: Obj): void {
  const type = ev.Type;
  if (type !== 'Api' && type !== 'HttpApi') return;
  const p = obj(ev.Properties);
  const apiRef = refTarget(type === 'Api' ? p.RestApiId : p.ApiId) ?? IMPLICIT[type];
  const loc = ctx.loc(fn, 'Properties', 'Events', name);
  let api = ctx.model.apis.find((a) => a.id === apiRef && a.loc.file === ctx.file);
  if (!api && apiRef === IMPLICIT[type]) api = implicitApi(ctx, type, loc);
  if (!api) return;
  const apiProps = obj((api as ApiModel & { samProps?: Obj }).samProps);
  const auth = obj(apiProps.Auth);
  const evAuth = obj(p.Auth);
  const method = ctx.str(p.Method)?.toUpperCase();
  const path = ctx.str(p.Path);
  const key = method && path ? `${method} ${path}` : '$default';
  const authorizer = evAuth.Authorizer ?? auth.DefaultAuthorizer;
  const routeAuth: RouteAuth = authorizer === undefined || authorizer === 'NONE' ? 'none' : authorizer === 'AWS_IAM' ? 'iam' : 'authorizer';
  const apiKeyRequired = ctx.bool(evAuth.ApiKeyRequired ?? auth.ApiKeyRequired) === true;
  // the API's MethodSettings / RouteSettings (read with the API, before its events) may throttle this route already
  const throttle = api.routes.find((r) => r.key === key)?.throttle;
  api.routes = api.routes.filter((r) => r.key !== key);
  api.routes.push({ key: key === 'ANY /' ? 'ANY /' : key, auth: routeAuth, apiKeyRequired, function: fn, loc, ...(throttle ? { throttle } : {}) });
  if (type === 'HttpApi' && p.RouteSettings) {
    const merged = withGlobals(obj(apiProps.RouteSettings)[key], p.RouteSettings);
    const t = ctx.throttle(fn, ['Events', name, 'Properties', 'RouteSettings'], merged, 'ThrottlingRateLimit', 'ThrottlingBurstLimit');
    if (t) setRouteThrottle(api, key, t, loc);
  }
}

function implicitApi(ctx: CfnContext, type: 'Api' | 'HttpApi', loc: ApiModel['loc']): ApiModel {
  const id = IMPLICIT[type];
  const api: ApiModel = { id, kind: type === 'Api' ? 'rest' : 'http', loc: { ...loc, resource: id }, routes: [], usagePlans: [], stageName: type === 'Api' ? 'Prod' : '$default' };
  api.stageAt = { resource: id, via: 'sam-globals', ...(type === 'Api' ? plainList(obj(ctx.t.Globals?.Api).MethodSettings) : {}) };
  ctx.model.apis.push(api);
  applyApiProps(ctx, id, api, withGlobals(ctx.t.Globals?.[type], {}), type);
  return api;
}

export function readSamApi(ctx: CfnContext, id: string, type: 'Api' | 'HttpApi'): void {
  const api: ApiModel = { id, kind: type === 'Api' ? 'rest' : 'http', loc: ctx.loc(id), routes: [], usagePlans: [] };
  ctx.model.apis.push(api);
  const p = withGlobals(ctx.t.Globals?.[type], ctx.props(id));
  // a patch writes the API's own list (SAM adds Globals.Api's entries before it again)
  const globalList = type === 'Api' && Array.isArray(obj(ctx.t.Globals?.Api).MethodSettings) && (obj(ctx.t.Globals?.Api).MethodSettings as unknown[]).length > 0;
  api.stageAt = { resource: id, via: 'sam-api', ...(type === 'Api' ? plainList(ctx.props(id).MethodSettings) : {}), ...(globalList ? { globalMethodSettings: true } : {}) };
  applyApiProps(ctx, id, api, p, type);
}

function applyApiProps(ctx: CfnContext, id: string, api: ApiModel, p: Obj, type: 'Api' | 'HttpApi'): void {
  (api as ApiModel & { samProps?: Obj }).samProps = p;
  const stage = ctx.str(p.StageName);
  if (stage) api.stageName = stage;
  // without OpenApiVersion SAM also deploys a stage named "Stage", with none of the API's method
  // settings: where those throttle, it is an invoke URL they do not hold (AWS SAM, OpenApiVersion)
  const throttles = type === 'Api' && Array.isArray(ctx.values.value(p.MethodSettings)) && (ctx.values.value(p.MethodSettings) as unknown[]).some((m) => (m as Obj | null)?.ThrottlingRateLimit !== undefined);
  if (throttles && p.OpenApiVersion === undefined) {
    ctx.assume(ctx.loc(id), `SAM also deploys ${id} to a stage named "Stage" because OpenApiVersion is not set: an invoke URL of its own that none of ${api.stageName ?? 'its stage'}'s method settings throttle; the audit reads "${api.stageName ?? 'Prod'}" only. Set OpenApiVersion (e.g. '3.0.1') to remove that stage`);
  }
  const ref = (p.StageName as Obj | undefined)?.Ref;
  if (api.stageAt && typeof ref === 'string' && ctx.t.Parameters?.[ref] !== undefined) api.stageAt.stageNameRef = ref;
  // SAM's EndpointConfiguration: "PRIVATE", or { Type: PRIVATE }
  const endpoint = ctx.values.value(p.EndpointConfiguration);
  if (type === 'Api' && (ctx.str(endpoint) === 'PRIVATE' || ctx.str((endpoint as Obj | undefined)?.Type) === 'PRIVATE')) api.private = true;
  const body = ctx.values.choices(p.DefinitionBody);
  api.routes.push(...openApiRoutes(body, api.loc, (uri) => functionIn(ctx, uri)));
  if (type === 'Api') {
    readMethodSettings(ctx, id, api, p.MethodSettings, ['MethodSettings']);
    const plan = obj(obj(p.Auth).UsagePlan);
    const create = ctx.str(plan.CreateUsagePlan);
    if (create === 'PER_API' || create === 'SHARED') {
      const throttle = ctx.throttle(id, ['Auth', 'UsagePlan', 'Throttle'], plan.Throttle, 'RateLimit', 'BurstLimit');
      const q = obj(ctx.values.value(plan.Quota));
      const limit = numberOf(q.Limit);
      const quota = Number.isFinite(limit) && limit >= 1 && ['DAY', 'WEEK', 'MONTH'].includes(String(q.Period)) ? { limit, period: q.Period as 'DAY', offset: numberOf(q.Offset ?? 0) || 0 } : undefined;
      if (plan.Quota !== undefined && !quota) ctx.assume(ctx.loc(id, 'Properties', 'Auth', 'UsagePlan', 'Quota'), 'the usage plan\'s Quota cannot be determined from the template; no quota is assumed');
      const name = ctx.str(plan.UsagePlanName) ?? (create === 'SHARED' ? 'ServerlessUsagePlan' : `${id}UsagePlan`);
      api.usagePlans.push({ name, ...(throttle ? { throttle } : {}), ...(quota ? { quota } : {}), loc: ctx.loc(id, 'Properties', 'Auth', 'UsagePlan') });
    } else if (plan.CreateUsagePlan !== undefined && create === undefined) {
      ctx.assume(ctx.loc(id, 'Properties', 'Auth', 'UsagePlan'), 'CreateUsagePlan cannot be determined from the template; no usage plan is assumed');
    }
  } else {
    const d = obj(p.DefaultRouteSettings);
    const t = ctx.throttle(id, ['DefaultRouteSettings'], d, 'ThrottlingRateLimit', 'ThrottlingBurstLimit');
    if (t) api.stage = t;
    if (ctx.bool(d.DataTraceEnabled)) api.dataTrace = ctx.loc(id, 'Properties', 'DefaultRouteSettings');
    for (const [key, v] of Object.entries(obj(ctx.values.choices(p.RouteSettings)))) {
      if (ctx.bool(obj(v).DataTraceEnabled)) api.dataTrace = ctx.loc(id, 'Properties', 'RouteSettings', key);
      const rt = ctx.throttle(id, ['RouteSettings', key], v, 'ThrottlingRateLimit', 'ThrottlingBurstLimit');
      if (rt) setRouteThrottle(api, key, rt, ctx.loc(id, 'Properties', 'RouteSettings', key));
    }
  }
}
