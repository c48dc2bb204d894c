/**
 * Serverless Framework (`serverless.yml`) onto the resource model: `http` events (a REST API,
 * logical id ApiGatewayRestApi), `httpApi` events (an HTTP API, HttpApi), usage plans and keys
 * (`provider.apiGateway`, or the pre-v3 `provider.usagePlan` / `provider.apiKeys`), function
 * memory, architecture, timeout, reservedConcurrency, function URLs and IAM statements. The
 * Framework itself sets no stage or route throttle (it makes no Stage resource for a REST API);
 * two plugins that do are read: serverless-api-gateway-throttling (`custom.apiGatewayThrottling`,
 * an event's `throttling`) and serverless-associate-waf (`custom.associateWaf`, the web ACL named
 * there when `resources.Resources` defines it).
 * `${self:…}` and `${opt:…, default}` are resolved; `${env:…}`, `${ssm:…}` and the like are not.
 */
import type { ApiModel, AuditModel, RouteAuth, ServerlessFacts, UsagePlanModel } from '../model.ts';
import { emptyModel } from '../model.ts';
import { readCfnText, type LineOf } from './cfn-yaml.ts';
import { numberOf, quoted, UNRESOLVED } from './cfn-values.ts';
import { readServerlessResources } from './cfn-monitoring.ts';
import { CfnContext } from './cfn-context.ts';
import { webAclOf } from './cfn-apis.ts';
import type { Template } from './cfn-values.ts';
import type { Throttle } from '../../stack/types.ts';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

class SlsContext {
  constructor(
    readonly doc: Obj,
    readonly file: string,
    readonly lineOf: LineOf,
    readonly model: AuditModel,
    readonly facts: ServerlessFacts,
  ) {}

  loc(path: (string | number)[], resource: string) {
    return { file: this.file, line: this.lineOf(path), resource };
  }

  /** Resolves ${self:a.b}, ${opt:x, default} / ${sls:stage}; other sources stay unresolved. */
  value(v: unknown, depth = 0): unknown {
    if (typeof v !== 'string' || !v.includes('${') || depth > 10) return v;
    // nested variables, ${self:custom.limits.${sls:stage}.rps}: the inner ones first, each to its
    // text; one that does not resolve leaves a key nothing has, so the outer one falls back to its
    // default (${self:custom.rps.${sls:stage}, 50} → 50) or stays unresolved
    let text: string = v;
    for (let i = 0; i < 20 && /\$\{[^}]*\$\{/.test(text); i++) {
      text = text.replace(/\$\{([^{}]*)\}/, (_: string, e: string) => {
        const r = this.variable(e, depth);
        return r === UNRESOLVED || typeof r === 'object' || r === null ? '\u0000' : String(r);
      });
    }
    const whole = /^\$\{([^}]*)\}$/.exec(text);
    if (whole) return this.variable(whole[1], depth);
    let unresolved = false;
    const s = text.replace(/\$\{([^{}]*)\}/g, (_: string, e: string) => {
      const r = this.variable(e, depth);
      if (r === UNRESOLVED || typeof r === 'object') unresolved = true;
      return String(r);
    });
    return unresolved ? UNRESOLVED : s;
  }

  private variable(expr: string, depth: number): unknown {
    const [main, ...fallbacks] = expr.split(',').map((s) => s.trim());
    let r: unknown = UNRESOLVED;
    const self = /^self:(.*)$/.exec(main);
    if (self) {
      let cur: unknown = this.doc;
      for (const k of self[1].split('.').filter(Boolean)) cur = obj(cur)[k];
      r = cur === undefined ? UNRESOLVED : this.value(cur, depth + 1);
    } else if (main === 'sls:stage' || main === 'opt:stage') {
      r = fallbacks.length ? UNRESOLVED : this.value(obj(this.doc.provider).stage ?? 'dev', depth + 1);
    }
    if (r !== UNRESOLVED) return r;
    for (const f of fallbacks) {
      const q = /^['"](.*)['"]$/.exec(f);
      if (q) return q[1];
      if (/^-?\d+(\.\d+)?$/.test(f)) return Number(f);
      const inner = this.value(`\${${f}}`, depth + 1);
      if (inner !== UNRESOLVED) return inner;
    }
    return UNRESOLVED;
  }

  num(v: unknown, path: (string | number)[], resource: string, what: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    const r = this.value(v);
    const n = numberOf(r);
    if (!Number.isFinite(n)) {
      this.model.assumptions.push({ ...this.loc(path, resource), message: `${what} cannot be determined from the file (${quoted(v)}); the default is used` });
      return undefined;
    }
    return n;
  }
}

/** provider.apiGateway.usagePlan (v3) or provider.usagePlan (pre-v3): one plan, or a list of { name: plan }. */
function usagePlans(ctx: SlsContext, service: string): UsagePlanModel[] {
  const provider = obj(ctx.doc.provider);
  const inApiGw = obj(provider.apiGateway).usagePlan !== undefined;
  const raw = inApiGw ? obj(provider.apiGateway).usagePlan : provider.usagePlan;
  const base = inApiGw ? ['provider', 'apiGateway', 'usagePlan'] : ['provider', 'usagePlan'];
  if (raw === undefined) return [];
  const entries: [string, Obj, (string | number)[]][] = Array.isArray(raw)
    ? raw.flatMap((item, i) => Object.entries(obj(item)).map(([name, p]) => [name, obj(p), [...base, i, name]] as [string, Obj, (string | number)[]]))
    : [[`${service}-usage-plan`, obj(raw), base]];
  return entries.map(([name, p, path]) => {
    const t = obj(p.throttle);
    const rate = ctx.num(t.rateLimit, [...path, 'throttle', 'rateLimit'], name, 'throttle.rateLimit');
    const burst = ctx.num(t.burstLimit, [...path, 'throttle', 'burstLimit'], name, 'throttle.burstLimit');
    const q = obj(p.quota);
    const limit = ctx.num(q.limit, [...path, 'quota', 'limit'], name, 'quota.limit');
    const period = ctx.value(q.period);
    return {
      name,
      ...(rate !== undefined || burst !== undefined ? { throttle: { rate: rate ?? burst!, burst: Math.round(burst ?? rate!) } } : {}),
      ...(limit !== undefined && limit >= 1 && ['DAY', 'WEEK', 'MONTH'].includes(String(period)) ? { quota: { limit, period: period as 'DAY', offset: numberOf(ctx.value(q.offset) ?? 0) || 0 } } : {}),
      loc: ctx.loc(path, name),
    };
  });
}

function parseEventShorthand(v: unknown): { method?: string; path?: string } {
  if (typeof v !== 'string') return {};
  if (v.trim() === '*') return {};
  const [method, path] = v.trim().split(/\s+/);
  return { method, path };
}

function routeKey(method: unknown, path: unknown): string {
  const m = String(method ?? '*').toUpperCase();
  if (m === '*' && (path === undefined || path === '*')) return '$default';
  const p = `/${String(path ?? '').replace(/^\/+/, '')}`.replace(/\/+$/, '') || '/';
  return `${m === '*' ? 'ANY' : m} ${p}`;
}

interface SlsApis {
  rest(): ApiModel;
  http(): ApiModel;
  /** The stage throttle the throttling plugin sets on both (undefined: none). */
  stage?: Throttle;
}

/** The service's REST API (http events) and HTTP API (httpApi events), made when the first event needs one. */
function slsApis(ctx: SlsContext, service: string): SlsApis {
  const provider = obj(ctx.doc.provider);
  let rest: ApiModel | undefined;
  let http: ApiModel | undefined;
  const stage = pluginThrottle(ctx);
  const staged = stage ? { stage } : {};
  return {
    stage,
    rest() {
      if (rest) return rest;
      const stageName = ctx.value(provider.stage ?? 'dev');
      if (typeof stageName !== 'string') ctx.model.assumptions.push({ ...ctx.loc(['provider', 'stage'], 'ApiGatewayRestApi'), message: `the stage name cannot be determined from the file (${quoted(provider.stage)}); read as dev, the Framework's default` });
      rest = { id: 'ApiGatewayRestApi', kind: 'rest', loc: ctx.loc(['provider'], 'ApiGatewayRestApi'), ...staged, routes: [], usagePlans: usagePlans(ctx, service), stageName: typeof stageName === 'string' ? stageName : 'dev' };
      readAssociatedWaf(ctx, rest);
      if (obj(provider.apiGateway).restApiId !== undefined) {
        ctx.model.assumptions.push({ ...ctx.loc(['provider', 'apiGateway', 'restApiId'], 'ApiGatewayRestApi'), message: 'the REST API is defined in another stack (provider.apiGateway.restApiId); its stage throttles are not in this file and none are assumed' });
      }
      ctx.model.apis.push(rest);
      return rest;
    },
    http() {
      if (http) return http;
      http = { id: 'HttpApi', kind: 'http', loc: ctx.loc(['provider'], 'HttpApi'), ...staged, routes: [], usagePlans: [], stageName: '$default' };
      ctx.model.apis.push(http);
      return http;
    },
  };
}

function authOf(a: unknown): RouteAuth {
  if (a === undefined) return 'none';
  return a === 'aws_iam' || obj(a).type === 'aws_iam' || obj(a).type === 'AWS_IAM' ? 'iam' : 'authorizer';
}

/** The plugins the file lists: `plugins: [a, b]` or `plugins: { modules: [a, b] }`. */
export function slsPlugins(doc: Obj): string[] {
  const p = doc.plugins;
  const list = Array.isArray(p) ? p : Array.isArray(obj(p).modules) ? (obj(p).modules as unknown[]) : [];
  return list.filter((x): x is string => typeof x === 'string');
}

/** The throttling plugin's name (npm), and the defaults it uses for what `custom.apiGatewayThrottling` leaves out (its ApiGatewayThrottlingSettings.js). */
export const THROTTLING_PLUGIN = 'serverless-api-gateway-throttling';
const PLUGIN_DEFAULT_RATE = 10_000;
const PLUGIN_DEFAULT_BURST = 5_000;
/** serverless-associate-waf, and its fork for Framework v3. */
export const WAF_PLUGINS = ['serverless-associate-waf', 'serverless-associate-waf-v3'];

/**
 * The stage throttle serverless-api-gateway-throttling sets (`custom.apiGatewayThrottling`), when
 * the file lists the plugin: its `maxRequestsPerSecond` / `maxConcurrentRequests`, each 10,000 /
 * 5,000 when left out (the plugin's `||` defaults). The plugin sets it on the REST API's stage and
 * the HTTP API's `$default` stage alike, after each deploy (UpdateStage).
 */
function pluginThrottle(ctx: SlsContext): Throttle | undefined {
  const custom = obj(ctx.doc.custom);
  if (custom.apiGatewayThrottling === undefined) return undefined;
  const listed = slsPlugins(ctx.doc).includes(THROTTLING_PLUGIN);
  const path = ['custom', 'apiGatewayThrottling'];
  if (!listed) {
    ctx.model.assumptions.push({ ...ctx.loc(path, 'custom'), message: `custom.apiGatewayThrottling is set but plugins does not list ${THROTTLING_PLUGIN}: nothing applies it, read as no throttle` });
    return undefined;
  }
  const g = obj(custom.apiGatewayThrottling);
  if (g.enabled === false) return undefined;
  const rate = ctx.num(g.maxRequestsPerSecond, [...path, 'maxRequestsPerSecond'], 'custom', 'apiGatewayThrottling.maxRequestsPerSecond');
  const burst = ctx.num(g.maxConcurrentRequests, [...path, 'maxConcurrentRequests'], 'custom', 'apiGatewayThrottling.maxConcurrentRequests');
  return { rate: rate || PLUGIN_DEFAULT_RATE, burst: burst || PLUGIN_DEFAULT_BURST };
}

/**
 * An event's own throttle under the plugin (its `throttling`; what it leaves out comes from the
 * stage's settings); undefined when the event has none (the plugin's "inherited from stage
 * settings") or disables it (`disabled: true`: the plugin sets -1 for that method, which, its author
 * observed (PR #11), makes the method inherit the stage's values, not lift them; an assumption).
 */
function eventThrottle(ctx: SlsContext, stage: Throttle | undefined, h: Obj, path: (string | number)[], name: string): Throttle | undefined {
  if (h.throttling === undefined) return undefined;
  if (!stage) {
    ctx.model.assumptions.push({ ...ctx.loc([...path, 'throttling'], name), message: `throttling is a setting of ${THROTTLING_PLUGIN}, which the file does not set up (plugins and custom.apiGatewayThrottling): nothing applies it, read as no throttle` });
    return undefined;
  }
  const t = obj(h.throttling);
  if (t.disabled === true) {
    ctx.model.assumptions.push({ ...ctx.loc([...path, 'throttling'], name), message: "throttling.disabled sets this method's limits to -1, which leaves the method the stage's throttle (as the plugin's author observed), not none: dowsim applies the stage's" });
    return undefined;
  }
  const rate = ctx.num(t.maxRequestsPerSecond, [...path, 'throttling', 'maxRequestsPerSecond'], name, 'throttling.maxRequestsPerSecond');
  const burst = ctx.num(t.maxConcurrentRequests, [...path, 'throttling', 'maxConcurrentRequests'], name, 'throttling.maxConcurrentRequests');
  if (rate === undefined && burst === undefined) return undefined;
  return { rate: rate ?? stage.rate, burst: burst ?? stage.burst };
}

/**
 * The web ACL serverless-associate-waf associates with the REST API's stage after each deploy:
 * `custom.associateWaf.name` (WAFv2 with `version: V2`), read when `resources.Resources` defines
 * the AWS::WAFv2::WebACL of that Name.
 */
function readAssociatedWaf(ctx: SlsContext, rest: ApiModel): void {
  const assoc = obj(obj(ctx.doc.custom).associateWaf);
  const path = ['custom', 'associateWaf'];
  const name = ctx.value(assoc.name);
  if (name === undefined || !WAF_PLUGINS.some((p) => slsPlugins(ctx.doc).includes(p))) return;
  const loc = ctx.loc(path, 'custom');
  if (typeof name !== 'string') {
    ctx.model.assumptions.push({ ...loc, message: `the name of the web ACL custom.associateWaf associates cannot be determined from the file (${quoted(assoc.name)}); no web ACL is read` });
    return;
  }
  const version = ctx.value(assoc.version ?? 'Regional');
  if (version !== 'V2') {
    const message = typeof version === 'string' ? `custom.associateWaf names a WAF Classic web ACL (version ${version}); its rules are not read` : `the WAF version of custom.associateWaf cannot be determined from the file (${quoted(assoc.version)}); its web ACL's rules are not read`;
    ctx.model.assumptions.push({ ...loc, message });
    return;
  }
  const res = obj(obj(ctx.doc.resources).Resources);
  const acl = Object.keys(res).find((id) => obj(res[id]).Type === 'AWS::WAFv2::WebACL' && ctx.value(obj(obj(res[id]).Properties).Name) === name);
  if (!acl) {
    ctx.model.assumptions.push({ ...loc, message: `web ACL "${name}" (custom.associateWaf) is not defined in resources.Resources; its rules are not read` });
    return;
  }
  const cfn = new CfnContext(ctx.file, { Resources: res } as Template, (p) => ctx.lineOf(['resources', ...p]), ctx.model);
  rest.waf = webAclOf(cfn, acl, loc);
}

function readEvents(ctx: SlsContext, name: string, events: unknown[], apis: SlsApis): void {
  events.forEach((ev, i) => {
    const e = obj(ev);
    const loc = ctx.loc(['functions', name, 'events', i], name);
    const kind = e.http !== undefined ? 'http' : e.httpApi !== undefined ? 'httpApi' : undefined;
    if (!kind) return;
    const given = e[kind];
    const h: Obj = typeof given === 'string' ? parseEventShorthand(given) : obj(given);
    const [method, path] = [ctx.value(h.method), ctx.value(h.path)];
    // a method or path the file leaves open (an unresolved variable) or that is not text names no route
    if ((method !== undefined && typeof method !== 'string') || (path !== undefined && typeof path !== 'string')) {
      ctx.model.assumptions.push({ ...loc, message: `the ${kind} event's method or path cannot be determined from the file; the route is left out` });
      return;
    }
    const key = routeKey(method, path);
    ctx.facts.events.push({ api: kind === 'http' ? 'rest' : 'http', key: kind === 'http' && key === '$default' ? 'ANY /{proxy+}' : key, fn: name, index: i });
    const throttle = eventThrottle(ctx, apis.stage, h, ['functions', name, 'events', i, kind], name);
    const own = throttle ? { throttle } : {};
    if (kind === 'http') apis.rest().routes.push({ key: key === '$default' ? 'ANY /{proxy+}' : key, ...own, auth: authOf(h.authorizer), apiKeyRequired: h.private === true, function: name, loc });
    else apis.http().routes.push({ key, ...own, auth: authOf(h.authorizer), apiKeyRequired: false, function: name, loc });
  });
}

function readFunction(ctx: SlsContext, name: string, fn: Obj, apis: SlsApis): void {
  const provider = obj(ctx.doc.provider);
  const path = ['functions', name];
  const memoryMb = ctx.num(fn.memorySize ?? provider.memorySize, [...path, 'memorySize'], name, 'memorySize');
  const reserved = ctx.num(fn.reservedConcurrency, [...path, 'reservedConcurrency'], name, 'reservedConcurrency');
  const timeout = ctx.num(fn.timeout ?? provider.timeout, [...path, 'timeout'], name, 'timeout');
  const arch = ctx.value(fn.architecture ?? provider.architecture);
  ctx.model.functions.push({
    id: name,
    loc: ctx.loc(path, name),
    ...(memoryMb !== undefined ? { memoryMb } : {}),
    ...(arch === 'arm64' || arch === 'x86_64' ? { architecture: arch } : {}),
    ...(reserved !== undefined ? { reservedConcurrency: reserved } : {}),
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
  });
  if (fn.url !== undefined && fn.url !== false) {
    ctx.model.functionUrls.push({ loc: ctx.loc([...path, 'url'], name), function: name, authType: obj(fn.url).authorizer === 'aws_iam' ? 'AWS_IAM' : 'NONE' });
  }
  const events = Array.isArray(fn.events) ? fn.events : [];
  ctx.facts.functionEvents[name] = events;
  readEvents(ctx, name, events, apis);
  const statements = Array.isArray(fn.iamRoleStatements) ? fn.iamRoleStatements : [];
  statements.forEach((st, i) => pushStatement(ctx, st, [...path, 'iamRoleStatements', i], name));
}

export function readServerless(text: string, file: string): AuditModel {
  const { data, lineOf } = readCfnText(text, file);
  const model = emptyModel(file, 'serverless');
  const provider = obj(data.provider);
  const plugins = data.plugins;
  const custom = obj(data.custom);
  const planAt = obj(provider.apiGateway).usagePlan !== undefined ? ['provider', 'apiGateway', 'usagePlan'] : provider.usagePlan !== undefined ? ['provider', 'usagePlan'] : undefined;
  const facts: ServerlessFacts = {
    service: '',
    plugins: slsPlugins(data),
    ...(Array.isArray(plugins) ? { pluginsAt: 'plugins' as const } : Array.isArray(obj(plugins).modules) ? { pluginsAt: 'plugins.modules' as const } : {}),
    ...(custom.apiGatewayThrottling !== undefined ? { throttling: obj(custom.apiGatewayThrottling) } : {}),
    ...(custom.associateWaf !== undefined ? { associateWaf: obj(custom.associateWaf) } : {}),
    events: [],
    functionEvents: Object.create(null) as Record<string, unknown[]>,
    ...(planAt ? { usagePlan: { path: planAt, value: planAt.length === 3 ? obj(provider.apiGateway).usagePlan : provider.usagePlan } } : {}),
  };
  model.serverless = facts;
  const ctx = new SlsContext(data, file, lineOf, model, facts);
  const region = ctx.value(provider.region);
  if (typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) model.region = region;
  const serviceRaw = ctx.value(typeof data.service === 'object' ? obj(data.service).name : data.service);
  facts.service = typeof serviceRaw === 'string' ? serviceRaw : 'service';
  const apis = slsApis(ctx, facts.service);
  for (const [name, raw] of Object.entries(obj(data.functions))) readFunction(ctx, name, obj(raw), apis);
  const roleStatements = obj(obj(provider.iam).role).statements;
  const iam = roleStatements ?? provider.iamRoleStatements;
  const base = roleStatements ? ['provider', 'iam', 'role', 'statements'] : ['provider', 'iamRoleStatements'];
  (Array.isArray(iam) ? iam : []).forEach((st, i) => pushStatement(ctx, st, [...base, i], 'IamRoleLambdaExecution'));
  // the Framework makes a log group per function; without logRetentionInDays it keeps logs forever
  if (provider.logRetentionInDays === undefined) model.logGroups.push(...model.functions.map((f) => ({ loc: f.loc })));
  readServerlessResources(data, file, lineOf, model);
  return model;
}

function pushStatement(ctx: SlsContext, s: unknown, path: (string | number)[], resource: string): void {
  const o = obj(s);
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  ctx.model.statements.push({ loc: ctx.loc(path, resource), effect: o.Effect === 'Deny' ? 'Deny' : 'Allow', actions: list(o.Action), ...(o.NotAction !== undefined ? { notActions: list(o.NotAction) } : {}), resources: list(o.Resource) });
}
