import { planMethodKey } from '../audit/method-path.ts';
import { stringify } from 'yaml';
import type { Stack, Throttle, UsagePlan } from '../stack/types.ts';
import type { IacTargets } from '../audit/targets.ts';
import { methodSettingKey } from '../audit/read/cfn-apis.ts';
import { CATCH_ALL_ROUTE } from '../stack/routes.ts';
import { changedParts, newRouteNotes } from './changed-parts.ts';
import { DEFAULT_FUNCTION, stackFunctions } from '../stack/functions.ts';
import { RATE_RULE_NAME, deleteLines, keepOthersNote, rateRuleSlot, wafChange, webAclName } from './waf-change.ts';

const CFN_WAF_NAMES = { acl: 'RateLimitWebAcl', association: 'RateLimitWebAclAssociation', aclType: 'AWS::WAFv2::WebACL', associationType: 'AWS::WAFv2::WebACLAssociation' };

type Props = Record<string, unknown>;

/** The patch being written: resources (and SAM Globals) whose properties merge as a user merges them. */
class CfnPatch {
  // keyed by the user's logical ids, which may be any key ("toString", "__proto__")
  readonly resources: Record<string, { Type: string; Properties: Props; DependsOn?: string }> = Object.create(null);
  readonly globals: Record<string, Props> = Object.create(null);
  readonly notes: string[] = [];
  /** The user's resources the patch writes onto (their other properties stay). */
  readonly merged = new Set<string>();

  put(id: string, type: string, props: Props, mine = false): void {
    const r = (this.resources[id] ??= { Type: type, Properties: {} });
    deepMerge(r.Properties, props);
    if (mine) this.merged.add(id);
  }

  global(section: 'Api' | 'HttpApi', props: Props): void {
    deepMerge((this.globals[section] ??= {}), props);
    this.merged.add(`Globals.${section}`);
  }
}

/** Maps merge key by key; anything else (a list, a value) replaces. */
function deepMerge(into: Props, from: Props): void {
  for (const [k, v] of Object.entries(from)) {
    const cur = Object.hasOwn(into, k) ? into[k] : undefined;
    if (isMap(cur) && isMap(v)) deepMerge(cur, v);
    else Object.defineProperty(into, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
}

function isMap(v: unknown): v is Props {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The tuned settings as CloudFormation/SAM would say them, for what changed. With `targets` (the
 * stack was read from the user's template), each setting is written onto the user's own resource,
 * by its logical id and type: a Stage's, a Deployment's StageDescription's or a SAM API's
 * MethodSettings (their other entries kept), SAM Globals for an implicit API, the function's
 * ReservedConcurrentExecutions, the usage plan or the SAM API's Auth.UsagePlan, the web ACL. To be
 * merged property by property. Without them (a stack file), complete minimal resources refer to
 * the API, deployment and function as `Api`, `ApiDeployment`, `Function`, to be matched to the
 * user's own. Long-form intrinsics (`Ref:`, `Fn::Sub:`) keep it plain YAML any parser reads.
 */
export function cloudFormationPatch(base: Stack, tuned: Stack, targets?: IacTargets): string {
  const t = targets?.language === 'cloudformation' ? targets : undefined;
  const parts = changedParts(base, tuned);
  const out = new CfnPatch();
  const apiId = t?.api.id ?? 'Api';
  if (parts.throttles && tuned.api.kind === 'rest') restThrottles(out, base, tuned, t);
  if (parts.throttles && tuned.api.kind === 'http') httpThrottles(out, base, tuned, t);
  for (const i of parts.usagePlans) usagePlan(out, tuned.api.usagePlans[i], base.api.usagePlans[i], tuned, t);
  const waf = wafChange(base, tuned);
  const acl = t?.webAcl && waf.kind !== 'new-acl' ? t.webAcl.id : CFN_WAF_NAMES.acl;
  const names = { ...CFN_WAF_NAMES, acl, association: acl === CFN_WAF_NAMES.acl ? CFN_WAF_NAMES.association : (t?.webAclAssociation?.id ?? CFN_WAF_NAMES.association) };
  const slot = rateRuleSlot(acl === CFN_WAF_NAMES.acl ? undefined : t?.webAcl);
  if (waf.kind === 'set-rule' && acl !== CFN_WAF_NAMES.acl) {
    out.put(acl, t!.webAcl!.type, { Rules: [rateRule(tuned, slot)] }, true);
    out.notes.push(...slot.notes);
  }
  else if (waf.kind === 'new-acl' || waf.kind === 'set-rule') Object.assign(out.resources, wafResources(tuned, apiId, associationDependsOn(tuned, t), arnStageName(tuned, t)));
  const baseFns = new Map(stackFunctions(base).map((f) => [f.name, f]));
  for (const f of stackFunctions(tuned).filter((x) => parts.reservedConcurrency.includes(x.name))) {
    const mine = t?.functions[f.name];
    if (mine && f.reservedConcurrency !== undefined) out.put(mine.id, mine.type, { ReservedConcurrentExecutions: f.reservedConcurrency }, true);
    else if (mine) out.notes.push(`# note: ${mine.id}: remove ReservedConcurrentExecutions (${baseFns.get(f.name)?.reservedConcurrency} now): the tuned stack reserves none`);
    else {
      out.put(f.name === DEFAULT_FUNCTION ? 'Function' : `Function${logicalSuffix(f.name)}`, 'AWS::Lambda::Function', {
        FunctionName: f.functionName,
        MemorySize: f.memoryMb,
        ...(f.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: f.reservedConcurrency } : {}),
      });
    }
  }
  const notes = [...sourceNotes(t, out), ...newRouteNotes(base, tuned), ...out.notes, ...deleteLines(waf, names, slot.name), ...keepOthersNote(waf, names.acl, slot.name)].map((n) => n.replace(/[\r\n]/g, ' '));
  const hasBody = Object.keys(out.resources).length > 0 || Object.keys(out.globals).length > 0;
  if (!hasBody && !notes.length) return '# dowsim tune: no change to the stack\n';
  const other = targets && !t ? ` (the API is written ${targets.language === 'serverless' ? 'for the Serverless Framework' : 'in Terraform'}: this is the same change for a CloudFormation template of it, the names to be matched)` : '';
  const into = t ? `merge into ${t.file.replace(/[\r\n]/g, ' ')} (property by property: maps merge, lists replace)` : `merge into your template${other}`;
  const head = `# dowsim tune: the changed settings of ${tuned.deployed.apiName.replace(/[\r\n]/g, ' ')}; ${into}\n${notes.map((n) => `${n}\n`).join('')}`;
  if (!hasBody) return head;
  const body = { ...(Object.keys(out.globals).length ? { Globals: out.globals } : {}), ...(Object.keys(out.resources).length ? { Resources: out.resources } : {}) };
  return `${head}${stringify(body, { lineWidth: 0 })}`;
}

/** Which of the user's resources the patch writes onto, and what a CDK app must say instead. */
function sourceNotes(t: IacTargets | undefined, out: CfnPatch): string[] {
  if (!t) return [];
  const notes: string[] = [];
  if (out.merged.size) notes.push(`# note: written onto your own ${[...out.merged].join(', ')}: only the properties shown change; keep the others`);
  if (t.format === 'cdk') notes.push('# note: this template is synthesized by the AWS CDK: make the change in the CDK app (the logical ids are the synthesized ones)');
  return notes;
}

/** REST stage and route throttles: MethodSettings where the user's stage is written (or a new Stage). */
function restThrottles(out: CfnPatch, base: Stack, tuned: Stack, t: IacTargets | undefined): void {
  const st = t?.stage;
  if (!st) {
    out.put('ApiStage', 'AWS::ApiGateway::Stage', { RestApiId: { Ref: t?.api.id ?? 'Api' }, DeploymentId: { Ref: 'ApiDeployment' }, StageName: tuned.deployed.stage, MethodSettings: restMethodSettings(tuned) });
    if (t) out.notes.push(`# note: ${t.file} defines no stage of ${t.api.id}: ApiStage is new; point its DeploymentId at your deployment of ${t.api.id}`);
    return;
  }
  // a deployment's stage-wide throttle is StageDescription's own (which a "/*" entry would not override)
  const viaDeployment = st.via === 'deployment';
  const list = mergedMethodSettings(tuned, st.methodSettings ?? [], !viaDeployment);
  if (!st.methodSettings) out.notes.push(`# note: the MethodSettings of ${st.resource} could not be read as a list: the list below replaces it; add your other entries to it`);
  if (st.via === 'sam-globals') {
    out.global('Api', { MethodSettings: list });
    out.notes.push(...globalsNote('Api', st.sharedWith));
  }
  else if (viaDeployment) {
    const throttle = tuned.api.stage ? { ThrottlingRateLimit: tuned.api.stage.rate, ThrottlingBurstLimit: tuned.api.stage.burst } : {};
    out.put(st.resource, st.type, { StageDescription: { ...throttle, MethodSettings: list } }, true);
    if (!tuned.api.stage && base.api.stage) out.notes.push(`# note: ${st.resource}: remove StageDescription's ThrottlingRateLimit and ThrottlingBurstLimit if it has them: the tuned stack has no stage throttle`);
  } else {
    out.put(st.resource, st.type, { MethodSettings: list }, true);
    if (st.globalMethodSettings) out.notes.push(`# note: SAM puts Globals.Api's MethodSettings before ${st.resource}'s: remove the throttles of the entries there that set the same paths`);
  }
}

/**
 * The user's MethodSettings with the tuned throttles: each entry keeps its other settings (logging,
 * metrics) and gets the throttle of its path and method, or loses its throttle; throttles no entry
 * carries yet are added. `stageInList`: the stage throttle is the "/*" "*" entry's.
 */
function mergedMethodSettings(tuned: Stack, kept: Props[], stageInList: boolean): Props[] {
  const STAGE = '*';
  const want = new Map<string, Throttle>(routeThrottles(tuned));
  if (stageInList && tuned.api.stage) want.set(STAGE, tuned.api.stage);
  const out: Props[] = [];
  const done = new Set<string>();
  for (const entry of kept) {
    const { ThrottlingRateLimit: _r, ThrottlingBurstLimit: _b, ...rest } = entry;
    const rp = entry.ResourcePath ?? '/*';
    const hm = entry.HttpMethod ?? '*';
    if (typeof rp !== 'string' || typeof hm !== 'string') {
      out.push(entry); // a path or method the template computes: left as written
      continue;
    }
    const key = rp === '/*' && hm === '*' ? STAGE : methodSettingKey(rp, hm);
    const th = want.get(key);
    done.add(key);
    if (th) out.push({ ...rest, ThrottlingRateLimit: th.rate, ThrottlingBurstLimit: th.burst });
    else if (Object.keys(rest).some((k) => k !== 'ResourcePath' && k !== 'HttpMethod')) out.push(rest);
  }
  const added = restMethodSettings(tuned).filter((e) => {
    const key = e.ResourcePath === '/*' && e.HttpMethod === '*' ? STAGE : methodSettingKey(String(e.ResourcePath), String(e.HttpMethod));
    return !done.has(key) && (key !== STAGE || stageInList);
  });
  return [...out, ...added];
}

/** HTTP API stage and route throttles: DefaultRouteSettings and RouteSettings. */
function httpThrottles(out: CfnPatch, base: Stack, tuned: Stack, t: IacTargets | undefined): void {
  const routeSettings = Object.fromEntries(routeThrottles(tuned).map(([k, th]) => [k, { ThrottlingRateLimit: th.rate, ThrottlingBurstLimit: th.burst }]));
  const props = {
    ...(tuned.api.stage ? { DefaultRouteSettings: { ThrottlingRateLimit: tuned.api.stage.rate, ThrottlingBurstLimit: tuned.api.stage.burst } } : {}),
    ...(Object.keys(routeSettings).length ? { RouteSettings: routeSettings } : {}),
  };
  const st = t?.stage;
  if (!st) {
    out.put('ApiStage', 'AWS::ApiGatewayV2::Stage', { ApiId: { Ref: t?.api.id ?? 'Api' }, StageName: tuned.deployed.stage, ...props });
    if (t) out.notes.push(`# note: ${t.file} defines no stage of ${t.api.id}: ApiStage is new`);
    return;
  }
  if (st.via === 'sam-globals') {
    out.global('HttpApi', props);
    out.notes.push(...globalsNote('HttpApi', st.sharedWith));
  }
  else out.put(st.resource, st.type, props, true);
  const where = st.via === 'sam-globals' ? 'Globals.HttpApi' : st.resource;
  if (base.api.stage && !tuned.api.stage) out.notes.push(`# note: ${where}: remove DefaultRouteSettings' ThrottlingRateLimit and ThrottlingBurstLimit: the tuned stack has no stage throttle`);
  for (const [key] of routeThrottles(base)) {
    if (!tuned.api.routes[key]) out.notes.push(`# note: ${where}: remove RouteSettings' ${JSON.stringify(key)} throttle: the tuned stack does not throttle it`);
  }
}

/** SAM Globals reach the template's explicit APIs as well, unless they set the property themselves. */
function globalsNote(section: 'Api' | 'HttpApi', sharedWith: string[] | undefined): string[] {
  if (!sharedWith?.length) return [];
  return [`# note: Globals.${section} applies to ${sharedWith.join(', ')} too, unless they set these properties themselves`];
}

/** A changed usage plan: on the user's plan (or SAM API's Auth.UsagePlan), else a complete plan. */
function usagePlan(out: CfnPatch, p: UsagePlan, was: UsagePlan | undefined, tuned: Stack, t: IacTargets | undefined): void {
  const settings = {
    ...(p.throttle ? { Throttle: { RateLimit: p.throttle.rate, BurstLimit: p.throttle.burst } } : {}),
    ...(p.quota ? { Quota: { Limit: p.quota.limit, Period: p.quota.period, Offset: p.quota.offset } } : {}),
  };
  const mine = t?.usagePlans[p.name];
  if (!mine) {
    // the plan's per-method throttles live in its ApiStages entry, keyed "/path/METHOD"
    const methods = p.routes ? { Throttle: Object.fromEntries(Object.entries(p.routes).map(([k, x]) => [planMethodKey(k), { RateLimit: x.rate, BurstLimit: x.burst }])) } : {};
    out.put(`UsagePlan${logicalSuffix(p.name)}`, 'AWS::ApiGateway::UsagePlan', { UsagePlanName: p.name, ApiStages: [{ ApiId: { Ref: t?.api.id ?? 'Api' }, Stage: tuned.deployed.stage, ...methods }], ...settings });
    return;
  }
  const sam = mine.type === 'AWS::Serverless::Api';
  out.put(mine.id, mine.type, sam ? { Auth: { UsagePlan: settings } } : settings, true);
  const where = sam ? `${mine.id} Auth.UsagePlan` : mine.id;
  if (was?.throttle && !p.throttle) out.notes.push(`# note: ${where}: remove Throttle: the tuned plan has none`);
  if (was?.quota && !p.quota) out.notes.push(`# note: ${where}: remove Quota: the tuned plan has none`);
}

/**
 * A new web ACL's association waits for the user's stage. SAM names the stage it makes
 * <Api><StageName>Stage for a name of letters and digits, <Api>Stage for one given by an intrinsic
 * (its translator: stage_name_prefix is the name only when it is a string); other names get a
 * hashed id, which the patch does not guess.
 */
function associationDependsOn(tuned: Stack, t: IacTargets | undefined): string | undefined {
  const st = t?.stage;
  if (!st) return undefined;
  if (st.via === 'stage' || st.via === 'deployment') return st.resource;
  if (st.stageNameRef) return `${t!.api.id}Stage`;
  const stage = tuned.deployed.stage;
  return /^[A-Za-z0-9]+$/.test(stage) ? `${t!.api.id}${stage}Stage` : undefined;
}

/** The stage in the association's ARN: the user's Stage resource (its Ref is its name) or the parameter that names it, else the name itself. */
function arnStageName(tuned: Stack, t: IacTargets | undefined): string {
  const st = t?.stage;
  if (st?.via === 'stage' && st.type === 'AWS::ApiGateway::Stage') return `\${${st.resource}}`;
  if (st?.stageNameRef) return `\${${st.stageNameRef}}`;
  return tuned.deployed.stage;
}

/** The rate-based rule tune writes (a web ACL's one rule of its own). */
export function rateRule(tuned: Stack, slot: { name: string; priority: number } = { name: RATE_RULE_NAME, priority: 0 }): Props {
  const r = tuned.waf!.rateLimit!;
  return {
    Name: slot.name,
    Priority: slot.priority,
    Action: { Block: {} },
    Statement: {
      RateBasedStatement: {
        Limit: r.limit,
        EvaluationWindowSec: r.windowSeconds,
        AggregateKeyType: r.key === 'ip' ? 'IP' : 'FORWARDED_IP',
        ...(r.key === 'forwarded-ip' ? { ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' } } : {}),
      },
    },
    VisibilityConfig: visibility(slot.name),
  };
}

/** A web ACL with the rate-based rule, and its association with the API's stage. */
function wafResources(tuned: Stack, apiId: string, dependsOn: string | undefined, stageName: string): CfnPatch['resources'] {
  return {
    RateLimitWebAcl: {
      Type: 'AWS::WAFv2::WebACL',
      Properties: {
        Name: webAclName(tuned.deployed.apiName),
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility(`${tuned.deployed.apiName}-web-acl`),
        Rules: [rateRule(tuned)],
      },
    },
    RateLimitWebAclAssociation: {
      Type: 'AWS::WAFv2::WebACLAssociation',
      ...(dependsOn ? { DependsOn: dependsOn } : {}),
      Properties: {
        ResourceArn: { 'Fn::Sub': `arn:aws:apigateway:\${AWS::Region}::/restapis/\${${apiId}}/stages/${stageName}` },
        WebACLArn: { 'Fn::GetAtt': ['RateLimitWebAcl', 'Arn'] },
      },
    },
  };
}

/** MethodSettings: the stage default on every method ("/*", "*"), then each throttled route. */
function restMethodSettings(stack: Stack): Props[] {
  const out: Record<string, unknown>[] = [];
  if (stack.api.stage) {
    out.push({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: stack.api.stage.rate, ThrottlingBurstLimit: stack.api.stage.burst });
  }
  for (const [key, t] of routeThrottles(stack)) {
    const [method, path] = key.split(' ');
    // CloudFormation encodes the resource path's slashes as ~1 ("/items/{id}" → "/~1items~1{id}")
    // ... and the root resource is "/" alone
    out.push({ ResourcePath: path === '/' ? '/' : `/${path.replace(/\//g, '~1')}`, HttpMethod: method === 'ANY' ? '*' : method, ThrottlingRateLimit: t.rate, ThrottlingBurstLimit: t.burst });
  }
  return out;
}

/** The routes carrying a throttle of their own ("METHOD /path" → throttle). */
export function routeThrottles(stack: Stack): [string, Throttle][] {
  return Object.entries(stack.api.routes).filter((e): e is [string, Throttle] => e[1] !== null && e[0] !== CATCH_ALL_ROUTE);
}

export function visibility(name: string) {
  return { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128) };
}

function logicalSuffix(name: string): string {
  const s = name.replace(/[^A-Za-z0-9]/g, '');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
