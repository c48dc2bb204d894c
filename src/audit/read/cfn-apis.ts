/**
 * Plain CloudFormation API resources: AWS::ApiGateway::* (REST) and AWS::ApiGatewayV2::* (HTTP),
 * their stages, methods, routes, usage plans and WAF associations, onto ApiModel.
 */
import type { ApiModel, Location, RouteAuth } from '../model.ts';
import type { CfnContext } from './cfn-context.ts';
import { refsIn } from './cfn-context.ts';
import { functionIn } from './cfn-functions.ts';
import { numberOf, refTarget } from './cfn-values.ts';
import { openApiRoutes } from './openapi-routes.ts';
import { routeOfMethodPath } from '../method-path.ts';

type Obj = Record<string, unknown>;

function apiOf(ctx: CfnContext, v: unknown): ApiModel | undefined {
  const id = refTarget(v);
  return id ? ctx.model.apis.find((a) => a.id === id && a.loc.file === ctx.file) : undefined;
}

export function readRestApi(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const loc = ctx.loc(id);
  const body = ctx.values.choices(p.Body);
  const routes = openApiRoutes(body, loc, (uri) => functionIn(ctx, uri));
  const types = ctx.values.value((ctx.values.value(p.EndpointConfiguration) as Obj | undefined)?.Types);
  const isPrivate = Array.isArray(types) && types.some((t) => ctx.str(t) === 'PRIVATE');
  ctx.model.apis.push({ id, kind: 'rest', loc, routes, usagePlans: [], ...(isPrivate ? { private: true } : {}) });
}

export function readHttpApi(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const protocol = ctx.str(p.ProtocolType) ?? (p.Body || p.BodyS3Location ? 'HTTP' : undefined);
  if (protocol !== 'HTTP') {
    ctx.assume(ctx.loc(id), `${protocol ?? 'this'} API is not an HTTP or REST API; dowsim does not model it`);
    return;
  }
  const loc = ctx.loc(id);
  const routes = openApiRoutes(ctx.values.choices(p.Body), loc, (uri) => functionIn(ctx, uri));
  // quick create: Target makes a $default route to that function
  const target = functionIn(ctx, p.Target);
  if (p.Target !== undefined) routes.push({ key: ctx.str(p.RouteKey) ?? '$default', auth: 'none', apiKeyRequired: false, ...(target ? { function: target } : {}), loc });
  ctx.model.apis.push({ id, kind: 'http', loc, routes, usagePlans: [] });
}

/** AWS::ApiGateway::Resource paths, built from PathPart up the ParentId chain. */
function resourcePath(ctx: CfnContext, v: unknown, depth = 0): string {
  const id = refTarget(v);
  const r = id ? ctx.resources[id] : undefined;
  if (!r || r.Type !== 'AWS::ApiGateway::Resource' || depth > 30) return '';
  const p = ctx.props(id!);
  return `${resourcePath(ctx, p.ParentId, depth + 1)}/${ctx.str(p.PathPart) ?? '{unknown}'}`;
}

const AUTH_TYPES: Record<string, RouteAuth> = { NONE: 'none', AWS_IAM: 'iam', CUSTOM: 'authorizer', COGNITO_USER_POOLS: 'authorizer', JWT: 'authorizer' };

export function readMethod(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const api = apiOf(ctx, p.RestApiId);
  if (!api) return;
  const method = (ctx.str(p.HttpMethod) ?? 'ANY').toUpperCase();
  const path = resourcePath(ctx, p.ResourceId) || '/';
  const authType = (ctx.str(p.AuthorizationType) ?? 'NONE').toUpperCase();
  const fn = functionIn(ctx, (p.Integration as Obj | undefined)?.Uri);
  const key = `${method} ${path}`;
  api.routes = api.routes.filter((r) => r.key !== key);
  api.routes.push({ key, auth: AUTH_TYPES[authType] ?? 'unknown', apiKeyRequired: ctx.bool(p.ApiKeyRequired) === true, ...(fn ? { function: fn } : {}), loc: ctx.loc(id) });
}

export function readV2Route(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const api = apiOf(ctx, p.ApiId);
  if (!api) return;
  const key = ctx.str(p.RouteKey) ?? '$default';
  const authType = (ctx.str(p.AuthorizationType) ?? 'NONE').toUpperCase();
  let fn: string | undefined;
  for (const ref of refsIn(p.Target)) {
    if (ctx.resources[ref]?.Type === 'AWS::ApiGatewayV2::Integration') fn = functionIn(ctx, ctx.props(ref).IntegrationUri);
  }
  api.routes = api.routes.filter((r) => r.key !== key);
  api.routes.push({ key, auth: AUTH_TYPES[authType] ?? 'unknown', apiKeyRequired: false, ...(fn ? { function: fn } : {}), loc: ctx.loc(id) });
}

/**
 * MethodSettings paths → route keys: AWS writes the resource path after a leading "/" with its own
 * slashes escaped as "~1" ("/~1items~1{id}" is /items/{id}: AWS::ApiGateway::Stage MethodSetting
 * ResourcePath). An unescaped "/items" is read as written.
 */
export function methodSettingKey(resourcePath: string, httpMethod: string): string {
  const path = resourcePath.replace(/^\/(?=~1)/, '').replace(/~1/g, '/');
  return `${httpMethod === '*' ? 'ANY' : httpMethod.toUpperCase()} ${path.startsWith('/') ? path : `/${path}`}`;
}

export function readMethodSettings(ctx: CfnContext, id: string, api: ApiModel, settings: unknown, path: (string | number)[]): void {
  const list = ctx.values.value(settings);
  if (!Array.isArray(list)) return;
  list.forEach((raw, i) => {
    const s = raw as Obj;
    if (!s || typeof s !== 'object') return;
    const at = [...path, i];
    if (s.DataTraceEnabled === true || s.DataTraceEnabled === 'true') api.dataTrace = ctx.loc(id, 'Properties', ...at, 'DataTraceEnabled');
    const t = ctx.throttle(id, at, s, 'ThrottlingRateLimit', 'ThrottlingBurstLimit');
    if (!t) return;
    const rp = String(s.ResourcePath ?? '/*');
    const hm = String(s.HttpMethod ?? '*');
    if (rp === '/*' && hm === '*') api.stage = t;
    else setRouteThrottle(api, methodSettingKey(rp, hm), t, ctx.loc(id, 'Properties', ...at));
  });
}

export function setRouteThrottle(api: ApiModel, key: string, t: { rate: number; burst: number }, loc: ApiModel['loc']): void {
  const r = api.routes.find((x) => x.key === key);
  if (r) r.throttle = t;
  else api.routes.push({ key, throttle: t, auth: 'unknown', apiKeyRequired: false, loc });
}

export function readRestStage(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const api = apiOf(ctx, p.RestApiId);
  if (!api || ctx.leftOut.has(id)) return;
  resetStage(ctx, api);
  api.stageName = ctx.str(p.StageName) ?? api.stageName;
  api.stageAt = { resource: id, via: 'stage', ...plainList(p.MethodSettings) };
  readMethodSettings(ctx, id, api, p.MethodSettings, ['MethodSettings']);
}

/** A MethodSettings value as the list a patch keeps (`methodSettings`), when it is a plain list of maps; absent: none. */
export function plainList(v: unknown): { methodSettings?: Record<string, unknown>[] } {
  if (v === undefined) return { methodSettings: [] };
  return Array.isArray(v) && v.every((x) => x && typeof x === 'object' && !Array.isArray(x)) ? { methodSettings: v as Record<string, unknown>[] } : {};
}

/** A Deployment's StageDescription makes a stage too, with the same settings. */
export function readDeployment(ctx: CfnContext, id: string): void {
  if (ctx.leftOut.has(id)) return;
  const p = ctx.props(id);
  const api = apiOf(ctx, p.RestApiId);
  const sd = p.StageDescription as Obj | undefined;
  if (api && p.StageName !== undefined) resetStage(ctx, api);
  // a Stage resource is where a stage's settings are written; else the deployment that makes it
  if (api && api.stageAt?.via !== 'stage' && (p.StageName !== undefined || sd)) {
    api.stageAt = { resource: id, via: 'deployment', ...plainList(sd && typeof sd === 'object' ? sd.MethodSettings : undefined) };
    api.stageName = ctx.str(p.StageName) ?? api.stageName;
  }
  if (!api || !sd || typeof sd !== 'object') return;
  readMethodSettings(ctx, id, api, sd.MethodSettings, ['StageDescription', 'MethodSettings']);
  const t = ctx.throttle(id, ['StageDescription'], sd, 'ThrottlingRateLimit', 'ThrottlingBurstLimit');
  if (t) api.stage = t;
  if (sd.DataTraceEnabled === true) api.dataTrace = ctx.loc(id, 'Properties', 'StageDescription', 'DataTraceEnabled');
}

export function readV2Stage(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const api = apiOf(ctx, p.ApiId);
  if (!api || ctx.leftOut.has(id)) return;
  resetStage(ctx, api);
  api.stageName = ctx.str(p.StageName) ?? api.stageName;
  api.stageAt = { resource: id, via: 'stage' };
  const d = p.DefaultRouteSettings as Obj | undefined;
  const t = ctx.throttle(id, ['DefaultRouteSettings'], d, 'ThrottlingRateLimit', 'ThrottlingBurstLimit');
  if (t) api.stage = t;
  if (d && ctx.bool(d.DataTraceEnabled)) api.dataTrace = ctx.loc(id, 'Properties', 'DefaultRouteSettings', 'DataTraceEnabled');
  const rs = ctx.values.choices(p.RouteSettings) as Obj | undefined;
  for (const [key, v] of Object.entries(rs && typeof rs === 'object' ? rs : {})) {
    const rt = ctx.throttle(id, ['RouteSettings', key], v, 'ThrottlingRateLimit', 'ThrottlingBurstLimit');
    if (rt) setRouteThrottle(api, key, rt, ctx.loc(id, 'Properties', 'RouteSettings', key));
    if (v && typeof v === 'object' && ctx.bool((v as Obj).DataTraceEnabled)) api.dataTrace = ctx.loc(id, 'Properties', 'RouteSettings', key);
  }
}

export function readUsagePlan(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const throttle = ctx.throttle(id, ['Throttle'], p.Throttle, 'RateLimit', 'BurstLimit');
  const q = p.Quota as Obj | undefined;
  const limit = q ? ctx.num(id, ['Quota', 'Limit'], q.Limit, 'Quota.Limit') : undefined;
  const period = q ? ctx.str(q.Period) : undefined;
  const offset = q ? (ctx.num(id, ['Quota', 'Offset'], q.Offset, 'Quota.Offset') ?? 0) : 0;
  const quota = limit !== undefined && limit >= 1 && (period === 'DAY' || period === 'WEEK' || period === 'MONTH') ? { limit, period: period as 'DAY' | 'WEEK' | 'MONTH', offset } : undefined;
  const stages = ctx.values.choices(p.ApiStages);
  const elsewhere = new Map<ApiModel, string[]>();
  (Array.isArray(stages) ? stages : []).forEach((s, i) => {
    const api = apiOf(ctx, (s as Obj)?.ApiId);
    if (!api || api.usagePlans.some((u) => u.loc.resource === id)) return; // one plan over several stages
    // a plan applies to the stages its ApiStages name: another stage's keys get 403 on this one
    const stage = (s as Obj).Stage;
    const ref = (stage as Obj | undefined)?.Ref;
    const named = typeof stage === 'string' ? stage : typeof ref === 'string' ? stageOfRef(ctx, ref) : undefined;
    if (named !== undefined && api.stageName !== undefined && named !== api.stageName) {
      // said once, after the list, unless another entry names the stage read
      elsewhere.set(api, [...(elsewhere.get(api) ?? []), named]);
      return;
    }
    const routes: Record<string, { rate: number; burst: number }> = {};
    const perMethod = ctx.values.value((s as Obj).Throttle);
    for (const [k, v] of Object.entries(perMethod && typeof perMethod === 'object' && !Array.isArray(perMethod) ? perMethod : {})) {
      const t = ctx.throttle(id, ['ApiStages', i, 'Throttle', k], v, 'RateLimit', 'BurstLimit');
      // "/path/METHOD" (aws-cdk writes `${resource.path}/${httpMethod}`: the root is "//GET")
      const key = k.includes('/') ? routeOfMethodPath(k) : undefined;
      if (t && key) routes[key] = t;
      else if (t) ctx.assume(ctx.loc(id, 'Properties', 'ApiStages', i, 'Throttle', k), `"${k}" is not a "/path/METHOD" key; its throttle is left out`);
    }
    const hasRoutes = Object.keys(routes).length > 0;
    api.usagePlans.push({ name: ctx.str(p.UsagePlanName) ?? id, ...(throttle ? { throttle } : {}), ...(quota ? { quota } : {}), ...(hasRoutes ? { routes } : {}), loc: ctx.loc(id) });
  });
  for (const [api, names] of elsewhere) {
    if (!api.usagePlans.some((u) => u.loc.resource === id)) ctx.assume(ctx.loc(id, 'Properties', 'ApiStages'), planElsewhere(id, names, api.stageName!));
  }
}

/** The assumption for a usage plan that names only other stages of the API the audit reads. */
export function planElsewhere(plan: string, names: string[], read: string): string {
  return `${plan} applies to stage${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')} of the API, not "${read}", the stage the audit reads (a key of it gets 403 there): left out`;
}

/** A WAFv2 association: which API stage gets which web ACL, and whether that ACL has a rate rule. */
export function readWafAssociation(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const api = refsIn(p.ResourceArn).map((r) => ctx.model.apis.find((a) => a.id === r && a.loc.file === ctx.file)).find(Boolean);
  if (!api) return;
  // a web ACL protects the one stage its association names ("…/stages/<name>")
  const named = arnStage(ctx, p.ResourceArn);
  if (named !== undefined && api.stageName !== undefined && named !== api.stageName) {
    ctx.assume(ctx.loc(id, 'Properties', 'ResourceArn'), `${id} associates its web ACL with stage "${named}", not "${api.stageName}", the stage the audit reads: it does not protect that one, and is left out`);
    return;
  }
  const aclId = refsIn(p.WebACLArn).find((r) => ctx.resources[r]?.Type === 'AWS::WAFv2::WebACL');
  if (!aclId) ctx.assume(ctx.loc(id, 'Properties', 'WebACLArn'), `the web ACL that ${id} associates is not defined in this template: its rules are unknown, so it is read as a web ACL without a rate-based rule (WAF's per-request price is counted, no rule's)`);
  api.waf = aclId ? webAclOf(ctx, aclId, ctx.loc(id)) : { rules: 0, loc: ctx.loc(id) };
}

/** The stage name a Ref names: an AWS::ApiGateway::Stage (its StageName), a SAM API's `.Stage`, or a parameter. */
function stageOfRef(ctx: CfnContext, ref: string): string | undefined {
  const [target, attr] = ref.split('.');
  const type = ctx.resources[target]?.Type;
  if (type === 'AWS::ApiGateway::Stage' && attr === undefined) return ctx.str(ctx.props(target).StageName);
  if (type === 'AWS::Serverless::Api' && attr === 'Stage') return ctx.str(ctx.props(target).StageName);
  return type === undefined && attr === undefined ? ctx.str({ Ref: target }) : undefined;
}

/**
 * The stage name a stage's ARN ends in (".../stages/<name>", in Fn::Sub or Fn::Join), when the
 * template says it: written out, or a Ref (or `${…}`) of an AWS::ApiGateway::Stage (its StageName),
 * a SAM API's `.Stage`, or a parameter. undefined when it cannot tell.
 */
export function arnStage(ctx: CfnContext, arn: unknown): string | undefined {
  const tail = (text: string): string | undefined => {
    const m = /\/stages\/(.+)$/.exec(text);
    if (!m) return undefined;
    const ref = /^\$\{([\w.:]+)\}$/.exec(m[1]);
    return ref ? stageOfRef(ctx, ref[1]) : m[1].includes('${') || m[1].includes('/') ? undefined : m[1];
  };
  if (typeof arn === 'string') return tail(arn);
  const o = arn && typeof arn === 'object' ? (arn as Obj) : {};
  const sub = o['Fn::Sub'];
  const text = Array.isArray(sub) ? sub[0] : sub;
  if (typeof text === 'string') return tail(text);
  const join = o['Fn::Join'];
  const parts = Array.isArray(join) && Array.isArray(join[1]) ? (join[1] as unknown[]) : undefined;
  if (!parts || (join as unknown[])[0] !== '') return undefined;
  const at = parts.findIndex((x) => typeof x === 'string' && /\/stages\/$/.test(x));
  const next = at >= 0 ? parts[at + 1] : undefined;
  if (at < 0 || at + 2 < parts.length) return undefined;
  if (typeof next === 'string') return next;
  const ref = next && typeof next === 'object' ? (next as Obj).Ref : undefined;
  return typeof ref === 'string' ? stageOfRef(ctx, ref) : undefined;
}

/** What the audit reads of web ACL `aclId` (a resource of the template) associated at `loc`: its rules, its rate-based rule's limit and window, their names and priorities. */
export function webAclOf(ctx: CfnContext, aclId: string, loc: Location): NonNullable<ApiModel['waf']> {
  const rules = ctx.values.choices(ctx.props(aclId).Rules);
  const list = Array.isArray(rules) ? (rules as Obj[]) : [];
  let rateLimit: { limit: number; windowSeconds: number } | undefined;
  let rateRule: { name: string; priority: number } | undefined;
  const priorities: number[] = [];
  for (const r of list) {
    const rb = (r?.Statement as Obj | undefined)?.RateBasedStatement as Obj | undefined;
    const named = { name: ctx.str(r?.Name) ?? '', priority: numberOf(ctx.values.value(r?.Priority)) };
    // a rule whose action is Count only counts: it blocks nothing (it is still a rule WAF bills)
    const counts = !!(ctx.values.value(r?.Action) as Obj | undefined)?.Count;
    if (rb && counts) ctx.assume(ctx.loc(aclId, 'Properties', 'Rules'), `rate-based rule ${named.name || '(unnamed)'} counts, it does not block (Action: Count); it is read as no rate rule`);
    if (rb && !counts) {
      const limit = numberOf(ctx.values.value(rb.Limit));
      const win = numberOf(ctx.values.value(rb.EvaluationWindowSec ?? 300));
      if (Number.isFinite(limit)) {
        rateLimit = { limit, windowSeconds: Number.isFinite(win) ? win : 300 };
        rateRule = named;
        continue;
      }
      ctx.assume(ctx.loc(aclId, 'Properties', 'Rules'), `the limit of rate-based rule ${named.name || '(unnamed)'} cannot be determined from the template; it is read as no rate rule`);
    }
    if (Number.isFinite(named.priority)) priorities.push(named.priority);
  }
  return { rules: list.length, ...(rateLimit ? { rateLimit } : {}), loc, acl: aclId, priorities, ...(rateRule ? { rateRule } : {}) };
}

/**
 * Before the stage the audit reads is read onto a SAM API whose own stage was left out: the
 * settings that stage gave the API (its throttles, data trace and Auth.UsagePlan) go.
 */
function resetStage(ctx: CfnContext, api: ApiModel): void {
  if (!ctx.leftOut.has(api.id)) return;
  delete api.stage;
  delete api.dataTrace;
  for (const r of api.routes) delete r.throttle;
  api.usagePlans = api.usagePlans.filter((u) => u.loc.resource !== api.id);
}
