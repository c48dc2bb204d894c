import { stringify } from 'yaml';
import type { IacTargets } from '../audit/targets.ts';
import type { ServerlessFacts } from '../audit/model.ts';
import { THROTTLING_PLUGIN, WAF_PLUGINS } from '../audit/read/serverless.ts';
import type { Stack, Throttle, UsagePlan } from '../stack/types.ts';
import { matchRoute } from '../stack/routes.ts';
import { stackFunctions } from '../stack/functions.ts';
import { changedParts } from './changed-parts.ts';
import { rateRule, visibility } from './patch-cloudformation.ts';
import { deleteLines, keepOthersNote, rateRuleSlot, wafChange } from './waf-change.ts';

type Obj = Record<string, unknown>;

function isMap(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Sets `value` at `path` of `into`, making the maps on the way (own properties only: a key the user chose may be "__proto__"). */
function put(into: Obj, path: string[], value: unknown): void {
  let cur = into;
  for (const k of path.slice(0, -1)) {
    if (!isMap(Object.hasOwn(cur, k) ? cur[k] : undefined)) Object.defineProperty(cur, k, { value: {}, enumerable: true, writable: true, configurable: true });
    cur = cur[k] as Obj;
  }
  Object.defineProperty(cur, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The tuned settings as a Serverless Framework serverless.yml says them, for what changed, to be
 * merged into the file key by key (maps merge, a list replaces yours; the header says so). The
 * Framework makes the API and its stage itself and has no setting of its own for their throttles
 * or for a web ACL, so the patch uses the two plugins the audit also reads (audit/read/serverless.ts):
 * - stage and route throttles: serverless-api-gateway-throttling, `custom.apiGatewayThrottling`
 *   (`maxRequestsPerSecond`, `maxConcurrentRequests`) and an event's `throttling`; the function's
 *   `events` list is written whole, yours with the throttling set (a new route: an event copied
 *   from the one that serves its path now);
 * - a new web ACL: `resources.Resources` and serverless-associate-waf's `custom.associateWaf`
 *   (by name, WAFv2); a web ACL of yours there gets its rate rule in place;
 * and the Framework's own keys for the rest: `provider.apiGateway.usagePlan` (or the pre-v3
 * `provider.usagePlan`), `functions.<name>.reservedConcurrency`.
 */
export function serverlessPatch(base: Stack, tuned: Stack, targets: IacTargets & { serverless: ServerlessFacts }): string {
  const sls = targets.serverless;
  const out: Obj = {};
  const notes: string[] = [];
  const plugins: string[] = [];
  const parts = changedParts(base, tuned);
  if (parts.throttles) throttles(out, notes, plugins, base, tuned, sls);
  for (const i of parts.usagePlans) usagePlan(out, notes, tuned.api.usagePlans[i], base.api.usagePlans[i], targets);
  const baseFns = new Map(stackFunctions(base).map((f) => [f.name, f]));
  for (const f of stackFunctions(tuned).filter((x) => parts.reservedConcurrency.includes(x.name))) {
    const fn = targets.functions[f.name]?.id;
    if (fn === undefined) notes.push(`# note: function ${f.name} is not one of ${targets.file}'s functions: set its reserved concurrency to ${f.reservedConcurrency ?? 'none'} where it is defined`);
    else if (f.reservedConcurrency !== undefined) put(out, ['functions', fn, 'reservedConcurrency'], f.reservedConcurrency);
    else notes.push(`# note: functions.${fn}: remove reservedConcurrency (${baseFns.get(f.name)?.reservedConcurrency} now): the tuned stack reserves none`);
  }
  waf(out, notes, plugins, base, tuned, targets);
  if (plugins.length) {
    const list = [...sls.plugins, ...plugins.filter((p) => !sls.plugins.includes(p))];
    if (sls.pluginsAt === 'plugins.modules') put(out, ['plugins', 'modules'], list);
    else out.plugins = list;
    notes.unshift(`# note: ${plugins.join(' and ')} ${plugins.length > 1 ? 'are plugins' : 'is a plugin'} the Framework needs installed: npm install --save-dev ${plugins.join(' ')}; ${plugins.length > 1 ? 'they apply' : 'it applies'} the settings after each deploy`);
  }
  const clean = notes.map((n) => n.replace(/[\r\n]/g, ' '));
  if (!Object.keys(out).length && !clean.length) return '# dowsim tune: no change to the stack\n';
  const file = targets.file.replace(/[\r\n]/g, ' ');
  const head = `# dowsim tune: the changed settings of ${tuned.deployed.apiName.replace(/[\r\n]/g, ' ')}; merge into ${file} (key by key: maps merge, lists replace)\n${clean.map((n) => `${n}\n`).join('')}`;
  const order = ['plugins', 'custom', 'provider', 'functions', 'resources'];
  const body = Object.fromEntries(order.filter((k) => Object.hasOwn(out, k)).map((k) => [k, out[k]]));
  return Object.keys(body).length ? `${head}${stringify(body, { lineWidth: 0 })}` : head;
}

/** Stage and route throttles, through serverless-api-gateway-throttling. */
function throttles(out: Obj, notes: string[], plugins: string[], base: Stack, tuned: Stack, sls: ServerlessFacts): void {
  const keys = [...new Set([...Object.keys(base.api.routes), ...Object.keys(tuned.api.routes)])];
  const changedRoutes = keys.filter((k) => !same(base.api.routes[k], tuned.api.routes[k]));
  const active = sls.throttling !== undefined && sls.throttling.enabled !== false && sls.plugins.includes(THROTTLING_PLUGIN);
  if (!sls.plugins.includes(THROTTLING_PLUGIN)) plugins.push(THROTTLING_PLUGIN);
  // the plugin acts only with its custom block: it sets the stage, and each event's throttling on top
  if (!same(base.api.stage, tuned.api.stage) || !active) {
    const st = tuned.api.stage ?? tuned.api.account;
    put(out, ['custom', 'apiGatewayThrottling'], { ...(sls.throttling?.enabled === false ? { enabled: true } : {}), maxRequestsPerSecond: st.rate, maxConcurrentRequests: st.burst });
    if (!tuned.api.stage) notes.push(`# note: custom.apiGatewayThrottling: the plugin always sets a stage throttle; the account's limits (${st.rate}/s, burst ${st.burst}) stand for none`);
  }
  const edited = new Map<string, unknown[]>();
  const eventsOf = (fn: string) => {
    let list = edited.get(fn);
    if (!list) edited.set(fn, (list = [...(sls.functionEvents[fn] ?? [])]));
    return list;
  };
  for (const key of changedRoutes) {
    const t = tuned.api.routes[key] ?? undefined;
    const ev = sls.events.find((e) => e.key === key);
    if (ev) {
      const list = eventsOf(ev.fn);
      list[ev.index] = withThrottling(list[ev.index], t);
      continue;
    }
    if (!t) continue; // a route only the base stack had, and no event makes it: nothing to undo
    const [method, path] = key.split(' ');
    const servedBy = matchRoute(base, method, path)?.key;
    const from = servedBy === undefined ? undefined : sls.events.find((e) => e.key === servedBy);
    if (!from) {
      notes.push(`# note: ${key}: no event of ${tuned.api.kind === 'rest' ? 'http' : 'httpApi'} kind serves it in the file; add one for it, with throttling: { maxRequestsPerSecond: ${t.rate}, maxConcurrentRequests: ${t.burst} }`);
      continue;
    }
    const list = eventsOf(from.fn);
    const copy = withThrottling(sls.functionEvents[from.fn]?.[from.index], t, { method: method === 'ANY' ? 'any' : method.toLowerCase(), path: path === '/' ? '/' : path.replace(/^\//, '') });
    list.push(copy);
    notes.push(`# note: ${key} is a route of its own only in the tuned stack (${servedBy} serves it now): functions.${from.fn}.events gets an event for it, copied from that of ${servedBy}; the plugin throttles only the events a file declares`);
  }
  for (const [fn, list] of edited) {
    put(out, ['functions', fn, 'events'], list);
    notes.push(`# note: functions.${fn}.events is your list with the throttling changed (the list replaces yours)`);
  }
  if (changedRoutes.some((k) => k.startsWith('ANY ') && tuned.api.routes[k])) notes.push('# note: for an event of method any, the plugin sets the throttle on GET, DELETE, HEAD, OPTIONS, PATCH, POST and PUT, a bucket each');
}

/** An http / httpApi event with its throttling set to `t` (or removed), its method and path replaced by `at`. */
function withThrottling(event: unknown, t: Throttle | undefined, at?: { method: string; path: string }): Obj {
  const e = isMap(event) ? event : {};
  const kind = e.httpApi !== undefined ? 'httpApi' : 'http';
  const given = e[kind];
  let inner: Obj;
  if (typeof given === 'string') {
    const [method, path] = given.trim().split(/\s+/);
    inner = { method, path };
  } else inner = isMap(given) ? { ...given } : {};
  if (at) Object.assign(inner, at);
  delete inner.throttling;
  if (t) inner.throttling = { maxRequestsPerSecond: t.rate, maxConcurrentRequests: t.burst };
  return { ...e, [kind]: inner };
}

/** A usage plan: its `throttle` and `quota` where the file writes the plan (one plan, or the list of named plans). */
function usagePlan(out: Obj, notes: string[], tuned: UsagePlan, base: UsagePlan | undefined, targets: IacTargets & { serverless: ServerlessFacts }): void {
  const at = targets.serverless.usagePlan;
  const name = targets.usagePlans[tuned.name]?.id ?? tuned.name;
  if (!at) {
    notes.push(`# note: usage plan ${name} is not in the file: set its throttle and quota where it is defined`);
    return;
  }
  const throttle = tuned.throttle ? { rateLimit: tuned.throttle.rate, burstLimit: tuned.throttle.burst } : undefined;
  const quota = tuned.quota ? { limit: tuned.quota.limit, period: tuned.quota.period, offset: tuned.quota.offset } : undefined;
  const dotted = at.path.join('.');
  if (Array.isArray(at.value)) {
    // a list of { name: plan }: written whole, the changed plan's keys set
    const list = at.value.map((item) => {
      if (!isMap(item) || !Object.hasOwn(item, name)) return item;
      const plan: Obj = { ...(isMap(item[name]) ? item[name] : {}) };
      delete plan.throttle;
      delete plan.quota;
      return { ...item, [name]: { ...plan, ...(throttle ? { throttle } : {}), ...(quota ? { quota } : {}) } };
    });
    put(out, at.path, list);
    notes.push(`# note: ${dotted} is your list with plan ${name}'s throttle and quota changed (the list replaces yours)`);
    return;
  }
  if (throttle) put(out, [...at.path, 'throttle'], throttle);
  else if (base?.throttle) notes.push(`# note: ${dotted}: remove throttle (rate ${base.throttle.rate}, burst ${base.throttle.burst} now): the tuned stack has none`);
  if (quota) put(out, [...at.path, 'quota'], quota);
  else if (base?.quota) notes.push(`# note: ${dotted}: remove quota (${base.quota.limit} a ${base.quota.period.toLowerCase()} now): the tuned stack has none`);
}

/** The web ACL: its rate rule in place when resources.Resources defines it, else a new one associated by serverless-associate-waf. */
function waf(out: Obj, notes: string[], plugins: string[], base: Stack, tuned: Stack, targets: IacTargets & { serverless: ServerlessFacts }): void {
  const change = wafChange(base, tuned);
  if (change.kind === 'none') return;
  const sls = targets.serverless;
  const mine = targets.webAcl;
  const names = { acl: mine?.id ?? 'RateLimitWebAcl', association: 'custom.associateWaf', aclType: 'AWS::WAFv2::WebACL', associationType: "serverless-associate-waf's setting" };
  const slot = rateRuleSlot(mine);
  if (change.kind === 'set-rule' && mine) {
    put(out, ['resources', 'Resources', mine.id, 'Properties', 'Rules'], [rateRule(tuned, slot)]);
    notes.push(...slot.notes, ...keepOthersNote(change, mine.id, slot.name));
    return;
  }
  if (change.kind === 'new-acl' || change.kind === 'set-rule') {
    const name = `${sls.service}-\${sls:stage}-rate-limit`;
    put(out, ['resources', 'Resources', 'RateLimitWebAcl'], {
      Type: 'AWS::WAFv2::WebACL',
      Properties: { Name: name, Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: visibility(`${sls.service}-web-acl`), Rules: [rateRule(tuned)] },
    });
    put(out, ['custom', 'associateWaf'], { name, version: 'V2' });
    if (!WAF_PLUGINS.some((p) => sls.plugins.includes(p))) plugins.push(WAF_PLUGINS[0]);
    const theirs = sls.associateWaf?.name;
    if (theirs !== undefined) notes.push(`# note: custom.associateWaf named ${JSON.stringify(theirs)}, a web ACL not defined in the file: a stage has one web ACL; add the rate rule to that one instead if you keep it`);
    return;
  }
  if (change.kind === 'delete-acl' && mine) {
    notes.push(`# delete: ${mine.id} — AWS::WAFv2::WebACL: its only rule was the rate-based rule, and a web ACL without rules still bills $5 a month`);
    notes.push('# note: custom.associateWaf: remove its name (keep its version, and the plugin for that deploy: it disassociates the web ACL then)');
    return;
  }
  if (mine) notes.push(...deleteLines(change, names, slot.name));
}
