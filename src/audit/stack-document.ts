/**
 * One API of the resource model → a stack *document* (the shape of a stack file), which then goes
 * through the project's own stack parser, so a derived stack is validated exactly like a
 * hand-written one. What the stack format cannot say is an assumption with its location.
 */
import { accountDefaults } from '../stack/account-defaults.ts';
import { parseRouteKey, routeShape } from '../stack/route-key.ts';
import { stackSchema } from '../stack/schema.ts';
import { parseStack } from '../stack/parse.ts';
import type { Stack, Throttle } from '../stack/types.ts';
import { InputError } from '../model/errors.ts';
import type { ApiModel, Assumption, AuditModel, FunctionModel, Location, UsagePlanModel } from './model.ts';
import { monitoringDocument } from './monitoring-document.ts';

/** The stack schema grew `functions` (several functions, routes naming theirs) in "Real APIs". */
const MULTI_FUNCTION = 'functions' in stackSchema.shape;

type Doc = Record<string, unknown>;

export interface DerivedStack {
  api: ApiModel;
  stack: Stack;
  document: Doc;
  assumptions: Assumption[];
}

/** The function an API mostly invokes: its URL's function, else the first route's that is in the model. */
export function primaryFunction(model: AuditModel, api: ApiModel): FunctionModel | undefined {
  const ids = [api.urlFunction, ...api.routes.map((r) => r.function)].filter((x): x is string => !!x);
  for (const id of ids) {
    const f = model.functions.find((fn) => fn.id === id);
    if (f) return f;
  }
  return undefined;
}

function lambdaOf(f: FunctionModel | undefined): Doc {
  const memoryMb = f?.memoryMb !== undefined && f.memoryMb >= 128 && f.memoryMb <= 10240 ? Math.round(f.memoryMb) : 128; // AWS default 128 MB
  return {
    memoryMb,
    ...(f?.architecture ? { architecture: f.architecture } : {}),
    ...(f?.reservedConcurrency !== undefined && f.reservedConcurrency >= 0 && f.reservedConcurrency <= 1e6 ? { reservedConcurrency: Math.round(f.reservedConcurrency) } : {}),
    ...(f?.timeoutSeconds !== undefined && f.timeoutSeconds >= 1 && f.timeoutSeconds <= 900 ? { timeout: `${f.timeoutSeconds}s` } : {}),
  };
}

export function safeName(s: string, max: number): string {
  const clean = s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return (clean || 'api').slice(0, max);
}

/** What the parts of one API's document share while it is built. */
interface Build {
  model: AuditModel;
  api: ApiModel;
  primary?: FunctionModel;
  /** The other functions behind the routes (the primary one is the stack's `lambda`), by id → stack name. */
  fnNames: Map<string, string>;
  assume(message: string, loc?: Location): void;
  clamp(t: Throttle, where: string, loc?: Location): Throttle;
}

export function otherFunctions(model: AuditModel, api: ApiModel, primary: FunctionModel | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const id of api.routes.map((r) => r.function)) {
    if (!id || id === primary?.id || names.has(id) || !model.functions.some((f) => f.id === id)) continue;
    let name = id.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'function';
    if (name === 'lambda' || [...names.values()].includes(name)) name = `${name.slice(0, 56)}-${names.size + 2}`;
    names.set(id, name);
  }
  return names;
}

/** Routes as stack route keys (one per shape AWS tells apart), with their throttles and functions. */
function routesDocument(b: Build): Record<string, Doc> {
  const routes: Record<string, Doc> = {};
  const shapes = new Set<string>();
  for (const r of b.api.routes) {
    const parsed = parseRouteKey(r.key);
    if (typeof parsed === 'string' || (parsed.isDefault && b.api.kind !== 'http')) {
      b.assume(`route "${r.key}" cannot be written as a stack route (${typeof parsed === 'string' ? parsed : '$default is HTTP only'}); it is left out`, r.loc);
      continue;
    }
    if (shapes.has(routeShape(parsed))) continue;
    shapes.add(routeShape(parsed));
    const t = r.throttle ? b.clamp(r.throttle, `the throttle of ${r.key}`, r.loc) : undefined;
    const own = MULTI_FUNCTION && r.function && b.fnNames.has(r.function) ? { function: b.fnNames.get(r.function)! } : {};
    routes[r.key] = { ...(t ? { rate: t.rate, burst: t.burst } : {}), ...own };
  }
  return routes;
}

/** REST-only parts: API keys, usage plans, WAF. */
function restParts(b: Build, apiDoc: Doc, doc: Doc): void {
  const { api } = b;
  const keyed = api.routes.filter((r) => r.apiKeyRequired).length;
  apiDoc.apiKeyRequired = keyed > 0 && keyed === api.routes.length;
  if (keyed > 0 && keyed < api.routes.length) b.assume(`${keyed} of ${api.routes.length} routes require an API key; the stack models the API as not requiring one (the keyless routes are open)`);
  const names = new Set<string>();
  apiDoc.usagePlans = api.usagePlans
    .filter((p) => !names.has(p.name) && names.add(p.name))
    .map((p) => {
      const routes = planRoutes(b, p, apiDoc.routes as Record<string, Doc>);
      const quota = p.quota ? quotaOf(b, p) : undefined;
      return { name: safeName(p.name, 64), ...(p.throttle ? { throttle: b.clamp(p.throttle, `usage plan ${p.name}'s throttle`, p.loc) } : {}), ...(quota ? { quota } : {}), ...(routes ? { routes } : {}) };
    });
  if (api.waf) {
    const rl = api.waf.rateLimit;
    const windowOk = rl && [60, 120, 300, 600].includes(rl.windowSeconds) && rl.limit >= 10;
    doc.waf = { rules: api.waf.rules, ...(windowOk ? { rateLimit: { limit: rl.limit, window: `${rl.windowSeconds}s` } } : {}) };
  }
}

/** A plan's quota; an offset that names no day of its period (AWS: WEEK 0 = Sunday … 6, MONTH a day of the month) is read as 0, and said so. */
function quotaOf(b: Build, p: UsagePlanModel): NonNullable<UsagePlanModel['quota']> {
  const q = p.quota!;
  const most = q.period === 'WEEK' ? 6 : q.period === 'MONTH' ? 30 : Infinity;
  if (Number.isInteger(q.offset) && q.offset >= 0 && q.offset <= Math.min(most, 30)) return q;
  b.assume(`usage plan ${p.name}'s quota offset ${q.offset} is not a day of its ${q.period} period; 0 is assumed`, p.loc);
  return { ...q, offset: 0 };
}

/** A plan's per-method throttles on the stack's routes (as the routes document writes them); one on a route the API does not have is left out. */
function planRoutes(b: Build, p: UsagePlanModel, routes: Record<string, Doc>): Record<string, Throttle> | undefined {
  if (!p.routes) return undefined;
  const byShape = new Map<string, string>();
  for (const key of Object.keys(routes)) {
    const r = parseRouteKey(key);
    if (typeof r !== 'string') byShape.set(routeShape(r), key);
  }
  const out: Record<string, Throttle> = {};
  for (const [key, t] of Object.entries(p.routes)) {
    const r = parseRouteKey(key);
    const written = typeof r === 'string' ? undefined : byShape.get(routeShape(r));
    if (written === undefined) b.assume(`usage plan ${p.name}'s throttle of ${key}: the API has no such method; it is left out`, p.loc);
    else out[written] = b.clamp(t, `usage plan ${p.name}'s throttle of ${key}`, p.loc);
  }
  return Object.keys(out).length ? out : undefined;
}

/** `lambda`, `functions:`, and an account big enough for their reserved concurrency. */
function functionParts(b: Build, doc: Doc): void {
  doc.lambda = lambdaOf(b.primary);
  if (MULTI_FUNCTION && b.fnNames.size > 0) {
    doc.functions = [...b.fnNames].map(([id, name]) => ({ name, ...lambdaOf(b.model.functions.find((f) => f.id === id)) }));
  }
  // reserved concurrency of every function must leave 100 of the account unreserved (aws-facts.md)
  const reserved = [doc.lambda, ...((doc.functions as Doc[] | undefined) ?? [])].reduce<number>((n, f) => n + (((f as Doc).reservedConcurrency as number | undefined) ?? 0), 0);
  if (reserved > 900) {
    (doc.lambda as Doc).accountConcurrency = reserved + 100;
    b.assume(`the functions reserve ${reserved} concurrent executions in all, more than a default account (1,000) allows; an account limit of ${reserved + 100} is assumed`);
  }
}

/** Builds the stack document of one API (not yet parsed). */
export function stackDocument(model: AuditModel, api: ApiModel): { document: Doc; assumptions: Assumption[] } {
  const assumptions: Assumption[] = [];
  const account = accountDefaults(model.region);
  const primary = primaryFunction(model, api);
  const b: Build = {
    model,
    api,
    primary,
    fnNames: otherFunctions(model, api, primary),
    assume: (message, loc = api.loc) => assumptions.push({ ...loc, message }),
    clamp(t, where, loc = api.loc) {
      if (t.rate <= account.rate && t.burst <= account.burst) return t;
      this.assume(`${where} ${t.rate}/${t.burst} is above the Region's account limit ${account.rate}/${account.burst}; the account limit applies`, loc);
      return { rate: Math.min(t.rate, account.rate), burst: Math.min(t.burst, account.burst) };
    },
  };
  if (!primary) b.assume('the function behind this API is not defined in this source; AWS defaults are assumed (128 MB, x86_64, no reserved concurrency)');
  // no public route: the attack is priced as a caller the routes let in
  if (api.kind !== 'function-url' && api.routes.length > 0 && api.routes.every((r) => r.auth !== 'none' || r.apiKeyRequired)) {
    const how = [...new Set(api.routes.map((r) => (r.auth === 'iam' ? 'valid AWS_IAM (SigV4) credentials' : r.auth === 'authorizer' ? 'tokens its authorizer accepts' : r.apiKeyRequired ? 'an API key' : 'what its routes require')))];
    b.assume(`no route of ${api.id} is public: the flood is priced as if the attacker holds ${how.join(' or ')} (a leaked secret, a compromised client); requests without them are refused with 403 before API Gateway or Lambda bills them`);
  }
  if (api.private) b.assume('a PRIVATE REST API is reachable only through interface VPC endpoints, not from the internet: its risk is priced as if a flood reached it from inside (a compromised or runaway client in the VPC); its routes are not called public');
  const doc: Doc = { name: safeName(api.id, 100), region: model.region };
  const apiDoc: Doc = { kind: api.kind };
  if (api.kind !== 'function-url') {
    if (api.stage) apiDoc.stage = b.clamp(api.stage, 'the stage throttle');
    apiDoc.routes = routesDocument(b);
  }
  if (api.kind === 'rest') restParts(b, apiDoc, doc);
  doc.api = apiDoc;
  functionParts(b, doc);
  if (api.stageName) doc.deployed = { stage: api.stageName.slice(0, 128) };
  const { alarms, budgets } = monitoringDocument(model, api, b.assume);
  if (alarms.length) doc.alarms = alarms;
  if (budgets.length) doc.budgets = budgets;
  return { document: doc, assumptions };
}

/** The API as a parsed Stack; a document the parser refuses is a bug in the reader, reported with the API's place. */
export function deriveStack(model: AuditModel, api: ApiModel): DerivedStack {
  const { document, assumptions } = stackDocument(model, api);
  const where = `${api.loc.file}#${api.id}`;
  try {
    return { api, stack: parseStack(JSON.stringify(document), where), document, assumptions };
  } catch (e) {
    // an alarm or budget the stack format refuses (a 45 s period, M > N) must not cost the API its price
    if (!(e instanceof InputError)) throw e;
    const keys = [...new Set(e.problems.map((p) => /^(alarms|budgets)\[(\d+)\]/.exec(p.path)?.[0]).filter((k): k is string => !!k))];
    if (!keys.length) throw e;
    const bad = keys.map((k) => /^(alarms|budgets)\[(\d+)\]/.exec(k)!).sort((a, b) => Number(b[2]) - Number(a[2]));
    for (const m of bad) {
      const list = document[m[1]] as Doc[];
      const entry = list[Number(m[2])];
      if (!entry) continue;
      assumptions.push({ ...api.loc, message: `${m[1] === 'alarms' ? 'alarm' : 'budget'} "${String(entry.name)}" cannot be modelled (${e.problems.filter((p) => p.path.startsWith(`${m[1]}[${m[2]}]`)).map((p) => `${p.path}: ${p.message}`).join('; ')}); it is not evaluated` });
      list.splice(Number(m[2]), 1);
    }
    for (const k of ['alarms', 'budgets']) if (Array.isArray(document[k]) && !(document[k] as Doc[]).length) delete document[k];
    return { api, stack: parseStack(JSON.stringify(document), where), document, assumptions };
  }
}
