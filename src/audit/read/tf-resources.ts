/** Terraform resources (aws provider) onto the resource model. */
import { SSE_ALGORITHMS, type ApiModel, type RouteAuth, type StageAt } from '../model.ts';
import { numberOf, UNRESOLVED } from './cfn-values.ts';
import { planElsewhere, setRouteThrottle } from './cfn-apis.ts';
import { routeOfMethodPath } from '../method-path.ts';
import { all, first, type Obj, type TfBlock, type TfContext } from './tf-context.ts';
import { readTfLambdaFunction, readTfModule } from './tf-modules.ts';
import { tfStagesLeftOut } from './tf-stages.ts';
import { readTfAlarm, readTfBudget } from './tf-monitoring.ts';

const AUTH: Record<string, RouteAuth> = { NONE: 'none', AWS_IAM: 'iam', CUSTOM: 'authorizer', COGNITO_USER_POOLS: 'authorizer', JWT: 'authorizer' };

function apiOf(ctx: TfContext, v: unknown): ApiModel | undefined {
  for (const r of ctx.refs(v)) {
    const api = ctx.model.apis.find((a) => a.id === r);
    if (api) return api;
  }
  return undefined;
}

/** The function (its address) a value mentions, directly or through a module output. */
export function functionOf(ctx: TfContext, v: unknown): string | undefined {
  return ctx.refs(v).find((r) => ctx.model.functions.some((f) => f.id === r));
}

function resourcePath(ctx: TfContext, v: unknown, depth = 0): string {
  const r = ctx.refs(v)[0];
  const b = r ? ctx.block(r) : undefined;
  if (!b || b.type !== 'aws_api_gateway_resource' || depth > 30) return '';
  return `${resourcePath(ctx, b.body.parent_id, depth + 1)}/${ctx.str(b.body.path_part) ?? '{unknown}'}`;
}

type Reader = (ctx: TfContext, b: TfBlock) => void;

const FIRST: Record<string, Reader> = {
  aws_api_gateway_rest_api(ctx, b) {
    const types = ctx.value(first(b.body.endpoint_configuration)?.types);
    const isPrivate = Array.isArray(types) && types.includes('PRIVATE');
    ctx.model.apis.push({ id: b.address, kind: 'rest', loc: b.loc, routes: [], usagePlans: [], ...(isPrivate ? { private: true } : {}), ...repeatOf(b) });
  },
  aws_apigatewayv2_api(ctx, b) {
    const protocol = ctx.str(b.body.protocol_type);
    if (protocol !== 'HTTP') return ctx.assume(b.loc, `${protocol ?? 'this'} API is not an HTTP or REST API; dowsim does not model it`);
    const routes = b.body.target !== undefined ? [{ key: ctx.str(b.body.route_key) ?? '$default', auth: 'none' as const, apiKeyRequired: false, loc: b.loc }] : [];
    ctx.model.apis.push({ id: b.address, kind: 'http', loc: b.loc, routes, usagePlans: [], ...repeatOf(b) });
  },
  aws_lambda_function: readTfLambdaFunction,
  module: readTfModule,
};

const SECOND: Record<string, Reader> = {
  aws_api_gateway_method(ctx, b) {
    const api = apiOf(ctx, b.body.rest_api_id);
    if (!api) return;
    const method = (ctx.str(b.body.http_method) ?? 'ANY').toUpperCase();
    const key = `${method} ${resourcePath(ctx, b.body.resource_id) || '/'}`;
    const auth = (ctx.str(b.body.authorization) ?? 'NONE').toUpperCase();
    api.routes = api.routes.filter((r) => r.key !== key);
    api.routes.push({ key, auth: AUTH[auth] ?? 'unknown', apiKeyRequired: ctx.bool(b.body.api_key_required) === true, loc: b.loc });
  },
  aws_apigatewayv2_route(ctx, b) {
    const api = apiOf(ctx, b.body.api_id);
    if (!api) return;
    const key = ctx.str(b.body.route_key) ?? '$default';
    const integ = ctx.refs(b.body.target).map((r) => ctx.block(r)).find((x) => x?.type === 'aws_apigatewayv2_integration');
    const fn = integ ? functionOf(ctx, integ.body.integration_uri) : undefined;
    const auth = (ctx.str(b.body.authorization_type) ?? 'NONE').toUpperCase();
    api.routes = api.routes.filter((r) => r.key !== key);
    api.routes.push({ key, auth: AUTH[auth] ?? 'unknown', apiKeyRequired: false, ...(fn ? { function: fn } : {}), loc: b.loc });
  },
};

const THIRD: Record<string, Reader> = {
  /** A REST method's integration: which function the route invokes (uri = aws_lambda_function.x.invoke_arn). */
  aws_api_gateway_integration(ctx, b) {
    const api = apiOf(ctx, b.body.rest_api_id);
    const fn = functionOf(ctx, b.body.uri);
    if (!api || !fn) return;
    // http_method is usually a reference to the method's own: read it there
    const viaMethod = ctx.refs(b.body.http_method).map((r) => ctx.block(r)).find((x) => x?.type === 'aws_api_gateway_method');
    const method = (ctx.str(b.body.http_method) ?? ctx.str(viaMethod?.body.http_method) ?? 'ANY').toUpperCase();
    const key = `${method} ${resourcePath(ctx, b.body.resource_id) || '/'}`;
    const route = api.routes.find((r) => r.key === key);
    if (route && !route.function) route.function = fn;
  },
  aws_api_gateway_stage(ctx, b) {
    const api = apiOf(ctx, b.body.rest_api_id);
    if (!api) return;
    api.stageName = ctx.str(b.body.stage_name) ?? api.stageName;
    api.stageAt = { resource: b.address, via: 'stage', ...repeatOf(b) };
  },
  aws_api_gateway_method_settings(ctx, b) {
    const api = apiOf(ctx, b.body.rest_api_id);
    const s = first(b.body.settings);
    const written = ctx.str(b.body.method_path);
    // a path built from expressions the reader cannot evaluate names some method, not every one:
    // its settings are left out (read as the stage's, they would throttle every route)
    if (written === undefined && b.body.method_path !== undefined) {
      if (api && s && ctx.throttle(b, s, 'throttling_rate_limit', 'throttling_burst_limit')) ctx.assume(b.loc, `method_path cannot be determined from the configuration; the throttle of ${b.address} applies to one method the audit cannot name, and is left out`);
      return;
    }
    const path = written ?? '*/*';
    const route = path === '*/*' ? '*/*' : routeOfMethodPath(path);
    if (api) (api.methodSettingsAt ??= Object.create(null) as NonNullable<ApiModel['methodSettingsAt']>)[route] = { resource: b.address, methodPath: path };
    if (!api || !s) return;
    if (ctx.bool(s.data_trace_enabled)) api.dataTrace = b.loc;
    const t = ctx.throttle(b, s, 'throttling_rate_limit', 'throttling_burst_limit');
    if (!t) return;
    if (route === '*/*') api.stage = t;
    else setRouteThrottle(api, route, t, b.loc);
  },
  aws_apigatewayv2_stage(ctx, b) {
    const api = apiOf(ctx, b.body.api_id);
    if (!api) return;
    api.stageName = ctx.str(b.body.name) ?? api.stageName;
    api.stageAt = { resource: b.address, via: 'stage', ...repeatOf(b) };
    const d = first(b.body.default_route_settings) ?? ctx.dynamicContent(b, 'default_route_settings');
    const t = ctx.throttle(b, d, 'throttling_rate_limit', 'throttling_burst_limit');
    if (t) api.stage = t;
    if (d && ctx.bool(d.data_trace_enabled)) api.dataTrace = b.loc;
    for (const rs of all(b.body.route_settings)) {
      const rt = ctx.throttle(b, rs, 'throttling_rate_limit', 'throttling_burst_limit');
      const key = ctx.str(rs.route_key);
      if (rt && key) setRouteThrottle(api, key, rt, b.loc);
    }
  },
  aws_lambda_function_url(ctx, b) {
    const fn = functionOf(ctx, b.body.function_name) ?? ctx.str(b.body.function_name) ?? b.address;
    ctx.model.functionUrls.push({ loc: b.loc, function: fn, authType: ctx.str(b.body.authorization_type) ?? 'unknown' });
  },
  aws_lambda_permission(ctx, b) {
    ctx.model.permissions.push({
      loc: b.loc,
      principal: ctx.str(b.body.principal) ?? 'unknown',
      action: ctx.str(b.body.action) ?? 'unknown',
      ...(b.body.function_url_auth_type !== undefined ? { functionUrlAuthType: ctx.str(b.body.function_url_auth_type) ?? 'unknown' } : {}),
      ...(b.body.source_arn !== undefined || b.body.source_account !== undefined ? { sourceArn: true } : {}),
    });
  },
  aws_s3_bucket: readBucket,
  aws_cloudwatch_log_group(ctx, b) {
    const days = ctx.num(b, b.body.retention_in_days, 'retention_in_days');
    ctx.model.logGroups.push({ loc: b.loc, ...(days !== undefined ? { retentionDays: days } : {}) });
  },
  aws_cloudwatch_metric_alarm: readTfAlarm,
  aws_budgets_budget: readTfBudget,
  aws_iam_policy_document(ctx, b) {
    for (const s of all(b.body.statement)) {
      const list = (v: unknown) => (Array.isArray(ctx.value(v)) ? (ctx.value(v) as unknown[]) : []).map(String);
      ctx.model.statements.push({ loc: b.loc, effect: ctx.str(s.effect) === 'Deny' ? 'Deny' : 'Allow', actions: list(s.actions), ...(s.not_actions !== undefined ? { notActions: list(s.not_actions) } : {}), resources: list(s.resources) });
    }
  },
  aws_iam_policy: readInlinePolicy,
  aws_iam_role_policy: readInlinePolicy,
};

/** Blocks written directly or through `dynamic "<name>" { content { … } }`. */
function blocks(body: Obj | undefined, name: string): Obj[] {
  const dyn = all(((body?.dynamic as Obj | undefined) ?? {})[name]).flatMap((d) => all(d.content));
  return [...all(body?.[name]), ...dyn];
}

/** A bucket's encryption: inline (plain or dynamic) or a separate aws_s3_bucket_server_side_encryption_configuration; its algorithm must be one S3 accepts. */
function readBucket(ctx: TfContext, b: TfBlock): void {
  const configs = [
    ...blocks(b.body, 'server_side_encryption_configuration'),
    ...ctx.blocks.filter((x) => x.type === 'aws_s3_bucket_server_side_encryption_configuration' && ctx.refs(x.body.bucket).includes(b.address)).map((x) => x.body),
  ];
  let invalid: string | undefined;
  for (const rule of configs.flatMap((c) => blocks(c, 'rule'))) {
    const raw = blocks(rule, 'apply_server_side_encryption_by_default')[0]?.sse_algorithm;
    const alg = ctx.value(raw);
    if (alg === UNRESOLVED) ctx.assume(b.loc, `sse_algorithm cannot be determined from the configuration (${String(raw)}); taken to be valid`);
    else if (typeof alg !== 'string' || !SSE_ALGORITHMS.includes(alg)) invalid = typeof alg === 'string' ? alg : '(none)';
  }
  if (configs.length && !configs.some((c) => blocks(c, 'rule').length)) invalid = '(none)';
  ctx.model.buckets.push({ loc: b.loc, encrypted: configs.length > 0, ...(invalid ? { invalidAlgorithm: invalid } : {}) });
}

/** A block's `count` or `for_each` as HCL (hcl2json gives an expression as "${…}", a literal as JSON, which HCL reads as is). */
function repeatOf(b: TfBlock): Pick<StageAt, 'repeat'> {
  const hcl = (v: unknown) => (typeof v === 'string' && /^\$\{[\s\S]*\}$/.test(v) && !v.slice(2).includes('${') ? v.slice(2, -1).trim() : JSON.stringify(v));
  if (b.body.count !== undefined) return { repeat: { meta: 'count', expr: hcl(b.body.count) } };
  if (b.body.for_each !== undefined) return { repeat: { meta: 'for_each', expr: hcl(b.body.for_each) } };
  return {};
}

/** What attaches to a stage once every stage is read: a usage plan, a web ACL's association. */
const LAST: Record<string, Reader> = {
  aws_api_gateway_usage_plan(ctx, b) {
    const throttle = ctx.throttle(b, first(b.body.throttle_settings), 'rate_limit', 'burst_limit');
    const q = first(b.body.quota_settings);
    const limit = q ? ctx.num(b, q.limit, 'quota limit') : undefined;
    const period = q ? ctx.str(q.period) : undefined;
    const quota = limit !== undefined && limit >= 1 && (period === 'DAY' || period === 'WEEK' || period === 'MONTH') ? { limit, period: period as 'DAY', offset: ctx.num(b, q!.offset, 'quota offset') ?? 0 } : undefined;
    const elsewhere = new Map<ApiModel, string[]>();
    for (const s of all(b.body.api_stages)) {
      const api = apiOf(ctx, s.api_id);
      if (!api || api.usagePlans.some((u) => u.loc.resource === b.address)) continue;
      // a plan applies to the stages its api_stages name: another stage's keys get 403 on this one
      const stage = ctx.blockRefs(b, s.stage).map((r) => ctx.block(r)).find((x) => x?.type === 'aws_api_gateway_stage');
      const named = stage ? ctx.str(stage.body.stage_name) : ctx.str(s.stage);
      if (named !== undefined && api.stageName !== undefined && named !== api.stageName) {
        elsewhere.set(api, [...(elsewhere.get(api) ?? []), named]);
        continue;
      }
      // per-method throttles: throttle { path = "/path/METHOD", rate_limit, burst_limit }
      const routes: Record<string, { rate: number; burst: number }> = {};
      for (const m of all(s.throttle)) {
        const t = ctx.throttle(b, m, 'rate_limit', 'burst_limit');
        const path = ctx.str(m.path);
        const key = path?.includes('/') ? routeOfMethodPath(path) : undefined;
        if (t && key) routes[key] = t;
      }
      const hasRoutes = Object.keys(routes).length > 0;
      api.usagePlans.push({ name: ctx.str(b.body.name) ?? b.name, ...(throttle ? { throttle } : {}), ...(quota ? { quota } : {}), ...(hasRoutes ? { routes } : {}), loc: b.loc });
    }
    for (const [api, names] of elsewhere) if (!api.usagePlans.some((u) => u.loc.resource === b.address)) ctx.assume(b.loc, planElsewhere(b.address, names, api.stageName!));
  },
  aws_wafv2_web_acl_association: readWafAssociation,
  aws_wafregional_web_acl_association: readWafAssociation,
};

function readWafAssociation(ctx: TfContext, b: TfBlock): void {
  const stage = ctx.blockRefs(b, b.body.resource_arn).map((r) => ctx.block(r)).find((x) => x?.type === 'aws_api_gateway_stage');
  const api = stage ? apiOf(ctx, stage.body.rest_api_id) : apiOf(ctx, b.body.resource_arn);
  if (!api) return;
  // a web ACL protects the one stage its association names ("…/stages/<name>")
  const named = stage ? ctx.str(stage.body.stage_name) : /\/stages\/([\w-]+)"?$/.exec(String(b.body.resource_arn ?? ''))?.[1];
  if (named !== undefined && api.stageName !== undefined && named !== api.stageName) {
    ctx.assume(b.loc, `${b.address} associates its web ACL with stage "${named}", not "${api.stageName}", the stage the audit reads: it does not protect that one, and is left out`);
    return;
  }
  const acl = ctx.refs(b.body.web_acl_arn ?? b.body.web_acl_id).map((r) => ctx.block(r)).find(Boolean);
  if (!acl) ctx.assume(b.loc, `the web ACL that ${b.address} associates is not defined in this configuration: its rules are unknown, so it is read as a web ACL without a rate-based rule (WAF's per-request price is counted, no rule's)`);
  const rules = all(acl?.body.rule);
  let rateLimit: { limit: number; windowSeconds: number } | undefined;
  let rateRule: { name: string; priority: number } | undefined;
  const priorities: number[] = [];
  for (const r of rules) {
    const rb = first(first(r.statement)?.rate_based_statement);
    const limit = rb ? numberOf(ctx.value(rb.limit)) : NaN;
    const named = { name: ctx.str(r.name) ?? '', priority: numberOf(ctx.value(r.priority)) };
    // a rule whose action is count only counts: it blocks nothing (it is still a rule WAF bills)
    if (rb && first(r.action)?.count !== undefined) {
      ctx.assume(acl!.loc, `rate-based rule ${named.name || '(unnamed)'} counts, it does not block (action count); it is read as no rate rule`);
      if (Number.isFinite(named.priority)) priorities.push(named.priority);
      continue;
    }
    if (Number.isFinite(limit)) {
      rateLimit = { limit, windowSeconds: numberOf(ctx.value(rb!.evaluation_window_sec ?? 300)) || 300 };
      rateRule = named;
      continue;
    }
    if (rb) ctx.assume(acl!.loc, `the limit of rate-based rule ${named.name || '(unnamed)'} cannot be determined from the configuration; it is read as no rate rule`);
    if (Number.isFinite(named.priority)) priorities.push(named.priority);
  }
  api.waf = { rules: rules.length, ...(rateLimit ? { rateLimit } : {}), loc: b.loc, ...(acl ? { acl: acl.address, priorities, ...(rateRule ? { rateRule } : {}) } : {}) };
}

/** A policy written as a JSON string (heredoc or literal); jsonencode(...) is HCL, read as unknown. */
function readInlinePolicy(ctx: TfContext, b: TfBlock): void {
  const text = ctx.value(b.body.policy);
  if (typeof text !== 'string') return;
  let doc: Obj;
  try {
    doc = JSON.parse(text) as Obj;
  } catch {
    return;
  }
  for (const s of all(doc.Statement)) {
    const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
    ctx.model.statements.push({ loc: b.loc, effect: s.Effect === 'Deny' ? 'Deny' : 'Allow', actions: list(s.Action), ...(s.NotAction !== undefined ? { notActions: list(s.NotAction) } : {}), resources: list(s.Resource) });
  }
}

/** Reads every block: APIs and functions first, then what attaches to them. */
export function readTfBlocks(ctx: TfContext): void {
  let leftOut = new Set<TfBlock>();
  for (const pass of [FIRST, SECOND, THIRD, LAST]) {
    // before the stages: which of an API's several stages is read (tf-stages.ts)
    if (pass === THIRD) leftOut = tfStagesLeftOut(ctx, (v) => apiOf(ctx, v));
    for (const b of ctx.blocks) {
      const read = pass[b.kind === 'module' ? 'module' : b.type];
      if (read && !leftOut.has(b) && !(b.kind === 'data' && b.type !== 'aws_iam_policy_document')) read(ctx, b);
    }
  }
}
