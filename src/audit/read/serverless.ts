/**
 * Serverless Framework (`serverless.yml`) onto the resource model: `http` events (a REST API,
 * logical id ApiGatewayRestApi), `httpApi` events (an HTTP API, HttpApi), usage plans and keys
 * (`provider.apiGateway`, or the pre-v3 `provider.usagePlan` / `provider.apiKeys`), function
 * memory, architecture, timeout, reservedConcurrency, function URLs and IAM statements.
 * `${self:…}` and `${opt:…, default}` are resolved; `${env:…}`, `${ssm:…}` and the like are not.
 */
import type { ApiModel, AuditModel, RouteAuth, UsagePlanModel } from '../model.ts';
import { emptyModel } from '../model.ts';
import { readCfnText, type LineOf } from './cfn-yaml.ts';
import { numberOf, quoted, UNRESOLVED } from './cfn-values.ts';
import { readServerlessResources } from './cfn-monitoring.ts';

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
  ) {}

  loc(path: (string | number)[], resource: string) {
    return { file: this.file, line: this.lineOf(path), resource };
  }

  /** Resolves ${self:a.b}, ${opt:x, default} / ${sls:stage}; other sources stay unresolved. */
  value(v: unknown, depth = 0): unknown {
    if (typeof v !== 'string' || !v.includes('${') || depth > 10) return v;
    const whole = /^\$\{([^}]*)\}$/.exec(v);
    if (whole) return this.variable(whole[1], depth);
    let unresolved = false;
    const s = v.replace(/\$\{([^{}]*)\}/g, (_, e: string) => {
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
}

/** The service's REST API (http events) and HTTP API (httpApi events), made when the first event needs one. */
function slsApis(ctx: SlsContext, service: string): SlsApis {
  const provider = obj(ctx.doc.provider);
  let rest: ApiModel | undefined;
  let http: ApiModel | undefined;
  return {
    rest() {
      if (rest) return rest;
      rest = { id: 'ApiGatewayRestApi', kind: 'rest', loc: ctx.loc(['provider'], 'ApiGatewayRestApi'), routes: [], usagePlans: usagePlans(ctx, service), stageName: String(ctx.value(provider.stage ?? 'dev')) };
      if (obj(provider.apiGateway).restApiId !== undefined) {
        ctx.model.assumptions.push({ ...ctx.loc(['provider', 'apiGateway', 'restApiId'], 'ApiGatewayRestApi'), message: 'the REST API is defined in another stack (provider.apiGateway.restApiId); its stage throttles are not in this file and none are assumed' });
      }
      ctx.model.apis.push(rest);
      return rest;
    },
    http() {
      if (http) return http;
      http = { id: 'HttpApi', kind: 'http', loc: ctx.loc(['provider'], 'HttpApi'), routes: [], usagePlans: [], stageName: '$default' };
      ctx.model.apis.push(http);
      return http;
    },
  };
}

function authOf(a: unknown): RouteAuth {
  if (a === undefined) return 'none';
  return a === 'aws_iam' || obj(a).type === 'aws_iam' || obj(a).type === 'AWS_IAM' ? 'iam' : 'authorizer';
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
    if (kind === 'http') apis.rest().routes.push({ key: key === '$default' ? 'ANY /{proxy+}' : key, auth: authOf(h.authorizer), apiKeyRequired: h.private === true, function: name, loc });
    else apis.http().routes.push({ key, auth: authOf(h.authorizer), apiKeyRequired: false, function: name, loc });
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
  readEvents(ctx, name, Array.isArray(fn.events) ? fn.events : [], apis);
  const statements = Array.isArray(fn.iamRoleStatements) ? fn.iamRoleStatements : [];
  statements.forEach((st, i) => pushStatement(ctx, st, [...path, 'iamRoleStatements', i], name));
}

export function readServerless(text: string, file: string): AuditModel {
  const { data, lineOf } = readCfnText(text, file);
  const model = emptyModel(file, 'serverless');
  const ctx = new SlsContext(data, file, lineOf, model);
  const provider = obj(data.provider);
  const region = ctx.value(provider.region);
  if (typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) model.region = region;
  const serviceRaw = ctx.value(typeof data.service === 'object' ? obj(data.service).name : data.service);
  const apis = slsApis(ctx, typeof serviceRaw === 'string' ? serviceRaw : 'service');
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
  ctx.model.statements.push({ loc: ctx.loc(path, resource), effect: o.Effect === 'Deny' ? 'Deny' : 'Allow', actions: list(o.Action), resources: list(o.Resource) });
}
