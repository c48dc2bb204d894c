import type { Stack, UsagePlan } from '../stack/types.ts';
import type { IacTargets } from '../audit/targets.ts';
import { methodPathOfRoute, planMethodKey } from '../audit/method-path.ts';
import { changedParts, newRouteNotes } from './changed-parts.ts';
import { DEFAULT_FUNCTION, stackFunctions } from '../stack/functions.ts';
import { routeThrottles } from './patch-cloudformation.ts';
import { RATE_RULE_NAME, deleteLines, keepOthersNote, rateRuleSlot, wafChange, webAclName } from './waf-change.ts';

const TF_WAF_NAMES = { acl: 'aws_wafv2_web_acl.rate_limit', association: 'aws_wafv2_web_acl_association.rate_limit', aclType: 'aws_wafv2_web_acl', associationType: 'aws_wafv2_web_acl_association' };

/** Where the patch's blocks point: the user's API, stage and names, or placeholders. */
interface TfRefs {
  t?: IacTargets;
  api: string; // an expression for the API's id
  stage: string; // an expression for the stage's name
  /** The user's resources the patch writes blocks onto (their other arguments stay). */
  merged: string[];
  notes: string[];
  /**
   * The user's stage has `count` or `for_each` (`meta`, `expr`: as written): a block of ours made
   * per instance of it repeats that and refers to the instance `each` (`aws_api_gateway_stage.s[each.key]`);
   * a single reference takes `one` (`aws_api_gateway_stage.s[0]`, `values(aws_api_gateway_stage.s)[0]`).
   */
  repeated?: { meta: 'count' | 'for_each'; expr: string; each: string; one: string };
  /** The API's id in a block made per stage instance, when the API has the stage's own count or for_each. */
  apiEach?: string;
}

/**
 * The tuned settings as Terraform would say them, for what changed. With `targets` (the stack was
 * read from the user's configuration), blocks take the user's addresses: their
 * aws_api_gateway_method_settings per method_path, stage, usage plan, function and web ACL, and
 * refer to their API and stage; blocks at an address the user has are merged argument by argument.
 * Without them (a stack file), complete minimal resources refer to the API and function as
 * `aws_api_gateway_rest_api.api` / `aws_apigatewayv2_api.api` and `aws_lambda_function.function`
 * (rename to match).
 */
export function terraformPatch(base: Stack, tuned: Stack, targets?: IacTargets): string {
  const t = targets?.language === 'terraform' ? targets : undefined;
  const parts = changedParts(base, tuned);
  const blocks: string[] = [];
  const rest = tuned.api.kind === 'rest';
  const repeated = t?.stage?.via === 'stage' ? repeatedStage(t.stage.resource, t.stage.repeat) : undefined;
  const stageRef = t?.stage?.via === 'stage' ? `${repeated?.one ?? t.stage.resource}.stage_name` : undefined;
  const apiOne = instanceOf(t?.api.id ?? (rest ? 'aws_api_gateway_rest_api.api' : 'aws_apigatewayv2_api.api'), t?.api.repeat);
  const refs: TfRefs = { t, api: `${apiOne}.id`, stage: stageRef ?? str(tuned.deployed.stage), merged: [], notes: [], ...(repeated ? { repeated } : {}) };
  // blocks made per instance of the stage name the API's instance alike when the API repeats the same way
  if (repeated && t?.api.repeat && t.api.repeat.meta === repeated.meta && t.api.repeat.expr === repeated.expr) refs.apiEach = `${t.api.id}${repeated.each.slice(repeated.each.indexOf('['))}.id`;
  if (t?.api.repeat) refs.notes.push(`# note: ${t.api.id} has ${t.api.repeat.meta}: ${refs.apiEach ? `a block made per stage instance refers to the API's instance of the same key (${refs.apiEach.replace(/\.id$/, '')})` : `the blocks below refer to its first instance (${apiOne})`}`);
  if (parts.throttles && rest) blocks.push(...restThrottles(refs, base, tuned));
  if (parts.throttles && tuned.api.kind === 'http') blocks.push(httpStage(refs, base, tuned));
  for (const i of parts.usagePlans) blocks.push(usagePlan(refs, tuned.api.usagePlans[i], base.api.usagePlans[i]));
  const waf = wafChange(base, tuned);
  const userAcl = t?.webAcl && waf.kind !== 'new-acl' ? t.webAcl.id : undefined;
  const names = { ...TF_WAF_NAMES, ...(userAcl ? { acl: userAcl, association: t!.webAclAssociation?.id ?? TF_WAF_NAMES.association } : {}) };
  const slot = rateRuleSlot(userAcl ? t!.webAcl : undefined);
  if (waf.kind === 'set-rule' && userAcl) {
    blocks.push([`resource ${str(userAcl.split('.')[0])} ${str(userAcl.split('.')[1])} {`, ...rateRuleLines(tuned, slot), `}`].join('\n'));
    refs.merged.push(userAcl);
    refs.notes.push(...slot.notes);
  } else if (waf.kind === 'new-acl' || waf.kind === 'set-rule') blocks.push(...wafBlocks(tuned, tuned.deployed.stage, refs));
  const baseFns = new Map(stackFunctions(base).map((f) => [f.name, f]));
  for (const f of stackFunctions(tuned).filter((x) => parts.reservedConcurrency.includes(x.name))) {
    const mine = t?.functions[f.name];
    if (mine) {
      const [type, name] = mine.id.split('.');
      if (f.reservedConcurrency === undefined) refs.notes.push(`# note: ${mine.id}: remove reserved_concurrent_executions (${baseFns.get(f.name)?.reservedConcurrency} now): the tuned stack reserves none`);
      else {
        blocks.push([`resource ${str(type)} ${str(name)} {`, `  reserved_concurrent_executions = ${f.reservedConcurrency}`, `}`].join('\n'));
        refs.merged.push(mine.id);
      }
      continue;
    }
    const name = f.name === DEFAULT_FUNCTION ? 'function' : tfName(f.name);
    const lines = [`resource "aws_lambda_function" ${str(name)} {`, `  function_name = ${str(f.functionName)}`, `  memory_size   = ${f.memoryMb}`];
    if (f.reservedConcurrency !== undefined) lines.push(`  reserved_concurrent_executions = ${f.reservedConcurrency}`);
    else refs.notes.push(`# note: aws_lambda_function.${name}: no reserved_concurrent_executions (remove yours, ${baseFns.get(f.name)?.reservedConcurrency} now): the tuned stack reserves none`);
    blocks.push([...lines, '}'].join('\n'));
  }
  const source = refs.merged.length ? [`# note: written onto your own ${refs.merged.join(', ')}: only the arguments shown change; keep the others`] : [];
  const notes = [...source, ...newRouteNotes(base, tuned), ...refs.notes, ...deleteLines(waf, names, slot.name), ...keepOthersNote(waf, names.acl, slot.name)].map((n) => n.replace(/[\r\n]/g, ' '));
  if (!blocks.length && !notes.length) return '# dowsim tune: no change to the stack\n';
  const other = targets && !t ? ` (the API is written ${targets.language === 'serverless' ? 'for the Serverless Framework' : 'in CloudFormation'}: this is the same change for a Terraform configuration of it, the names to be matched)` : '';
  const into = t ? `merge into your configuration (the API is in ${t.file.replace(/[\r\n]/g, ' ')}; a block at an address you have merges into yours)` : `merge into your configuration${other}`;
  const head = `# dowsim tune: the changed settings of ${tuned.deployed.apiName.replace(/[\r\n]/g, ' ')}; ${into}\n${notes.map((n) => `${n}\n`).join('')}`;
  return blocks.length ? `${head}\n${blocks.join('\n\n')}\n` : head;
}

/** REST throttles: one aws_api_gateway_method_settings per method_path (the user's own where they have one). */
function restThrottles(refs: TfRefs, base: Stack, tuned: Stack): string[] {
  const mine = refs.t?.methodSettings ?? {};
  const blocks: string[] = [];
  // each route's method_path, and the name a new block of it gets ("*/*": the stage default)
  const methodPathOf = (route: string) => (route === '*/*' ? route : methodPathOfRoute(route));
  const newName = (route: string) => (route === '*/*' ? 'all' : tfName(route.replace(' ', '_')));
  /** The block for `route`: the user's own, named as theirs, or a new one. */
  const block = (route: string, rate: number, burst: number) => {
    const methodPath = methodPathOf(route);
    const at = Object.hasOwn(mine, route) ? mine[route] : undefined;
    if (at) {
      refs.merged.push(at.id);
      if (at.methodPath !== methodPath) {
        refs.notes.push(`# note: ${at.id}: method_path "${at.methodPath}" becomes "${methodPath}", the key API Gateway keeps the setting under (the resource path's slashes escaped as ~1, as \`aws apigateway get-stages\` lists it); Terraform replaces the resource`);
      }
    }
    blocks.push(methodSettings(at ? at.id.split('.')[1] : newName(route), methodPath, rate, burst, refs, at !== undefined));
  };
  const wanted = new Set<string>();
  if (tuned.api.stage) {
    wanted.add('*/*');
    block('*/*', tuned.api.stage.rate, tuned.api.stage.burst);
  }
  for (const [key, th] of routeThrottles(tuned)) {
    wanted.add(key);
    block(key, th.rate, th.burst);
  }
  // the user's method settings of a route the tuned stack no longer throttles
  const throttledBefore = new Set([...(base.api.stage ? ['*/*'] : []), ...routeThrottles(base).map(([k]) => k)]);
  for (const [route, at] of Object.entries(mine)) {
    if (!wanted.has(route) && throttledBefore.has(route)) refs.notes.push(`# note: ${at.id}: remove throttling_rate_limit and throttling_burst_limit (or the resource): the tuned stack does not throttle ${at.methodPath}`);
  }
  // a throttle the stack had and the tuned one drops, where the user's block is not known: the
  // block this patch would have written for it goes
  for (const route of throttledBefore) {
    if (wanted.has(route) || Object.hasOwn(mine, route)) continue;
    refs.notes.push(`# delete: aws_api_gateway_method_settings.${newName(route)} (method_path "${methodPathOf(route)}", or the throttling_rate_limit and throttling_burst_limit of yours) — the tuned stack does not throttle ${route === '*/*' ? 'the stage' : route}`);
  }
  return blocks;
}

/**
 * One method_path's throttle. Onto the user's own block of a stage with count or for_each, the API
 * and stage are left as they wrote them; a new one for such a stage is made per instance of it.
 */
function methodSettings(name: string, methodPath: string, rate: number, burst: number, refs: TfRefs, theirs: boolean): string {
  const r = refs.repeated;
  const target = !r ? [`  rest_api_id = ${refs.api}`, `  stage_name  = ${refs.stage}`] : theirs ? [] : [`  ${r.meta.padEnd(11)} = ${r.expr}`, `  rest_api_id = ${refs.apiEach ?? refs.api}`, `  stage_name  = ${r.each}.stage_name`];
  return [
    `resource "aws_api_gateway_method_settings" ${str(name)} {`,
    ...target,
    `  method_path = ${str(methodPath)}`,
    `  settings {`,
    `    throttling_rate_limit  = ${rate}`,
    `    throttling_burst_limit = ${burst}`,
    `  }`,
    `}`,
  ].join('\n');
}

/** HTTP API throttles: the stage's default_route_settings and route_settings (the user's stage where they have one). */
function httpStage(refs: TfRefs, base: Stack, tuned: Stack): string {
  const st = refs.t?.stage;
  const name = st ? st.resource.split('.')[1] : 'api';
  if (st) refs.merged.push(st.resource);
  // onto a stage with count or for_each, its API and names stay as written (one name would be every instance's)
  const lines = [`resource "aws_apigatewayv2_stage" ${str(name)} {`, ...(refs.repeated ? [] : [`  api_id = ${refs.api}`, `  name   = ${str(tuned.deployed.stage)}`])];
  if (tuned.api.stage) lines.push(`  default_route_settings {`, `    throttling_rate_limit  = ${tuned.api.stage.rate}`, `    throttling_burst_limit = ${tuned.api.stage.burst}`, `  }`);
  for (const [key, th] of routeThrottles(tuned)) {
    lines.push(`  route_settings {`, `    route_key              = ${str(key)}`, `    throttling_rate_limit  = ${th.rate}`, `    throttling_burst_limit = ${th.burst}`, `  }`);
  }
  if (st && base.api.stage && !tuned.api.stage) refs.notes.push(`# note: ${st.resource}: remove default_route_settings' throttling_rate_limit and throttling_burst_limit: the tuned stack has no stage throttle`);
  if (st) {
    for (const [key] of routeThrottles(base)) {
      if (!tuned.api.routes[key]) refs.notes.push(`# note: ${st.resource}: remove the route_settings block of ${str(key)}: the tuned stack does not throttle it`);
    }
  }
  return [...lines, '}'].join('\n');
}

/** A changed usage plan, at the user's address when they have it. */
function usagePlan(refs: TfRefs, p: UsagePlan, was: UsagePlan | undefined): string {
  const mine = refs.t?.usagePlans[p.name];
  if (mine) refs.merged.push(mine.id);
  const methods = Object.entries(p.routes ?? {}).flatMap(([k, x]) => [`    throttle {`, `      path        = ${str(planMethodKey(k))}`, `      rate_limit  = ${x.rate}`, `      burst_limit = ${x.burst}`, `    }`]);
  // onto the user's own plan, its api_stages stay as written unless its per-method throttles (written there) change
  const stages = !mine || JSON.stringify(p.routes ?? {}) !== JSON.stringify(was?.routes ?? {});
  const lines = [`resource "aws_api_gateway_usage_plan" ${str(mine ? mine.id.split('.')[1] : tfName(p.name))} {`, `  name = ${str(p.name)}`, ...(stages ? [`  api_stages {`, `    api_id = ${refs.api}`, `    stage  = ${refs.stage}`, ...methods, `  }`] : [])];
  if (stages && refs.repeated) refs.notes.push(`# note: ${refs.t!.stage!.resource} has ${refs.repeated.meta}: ${tfName(p.name)}'s api_stages names its first instance (${refs.repeated.one}); add an api_stages block for each other instance the plan covers`);
  if (p.throttle) lines.push(`  throttle_settings {`, `    rate_limit  = ${p.throttle.rate}`, `    burst_limit = ${p.throttle.burst}`, `  }`);
  if (p.quota) lines.push(`  quota_settings {`, `    limit  = ${p.quota.limit}`, `    period = ${str(p.quota.period)}`, `    offset = ${p.quota.offset}`, `  }`);
  if (mine && was?.throttle && !p.throttle) refs.notes.push(`# note: ${mine.id}: remove throttle_settings: the tuned plan has none`);
  if (mine && was?.quota && !p.quota) refs.notes.push(`# note: ${mine.id}: remove quota_settings: the tuned plan has none`);
  return [...lines, '}'].join('\n');
}

/** The rate-based rule tune writes, as a web ACL's `rule` block. */
function rateRuleLines(stack: Stack, slot: { name: string; priority: number } = { name: RATE_RULE_NAME, priority: 0 }): string[] {
  const r = stack.waf!.rateLimit!;
  return [
    `  rule {`,
    `    name     = ${str(slot.name)}`,
    `    priority = ${slot.priority}`,
    `    action {`,
    `      block {}`,
    `    }`,
    `    statement {`,
    `      rate_based_statement {`,
    `        limit                 = ${r.limit}`,
    `        evaluation_window_sec = ${r.windowSeconds}`,
    `        aggregate_key_type    = ${str(r.key === 'ip' ? 'IP' : 'FORWARDED_IP')}`,
    ...(r.key === 'forwarded-ip' ? [`        forwarded_ip_config {`, `          header_name       = "X-Forwarded-For"`, `          fallback_behavior = "MATCH"`, `        }`] : []),
    `      }`,
    `    }`,
    ...visibility(slot.name, '    '),
    `  }`,
  ];
}

/** A web ACL with the rate rule, and its association with the stage (the user's stage's ARN when the configuration has the stage). */
function wafBlocks(stack: Stack, stage: string, refs: TfRefs): string[] {
  const name = webAclName(stack.deployed.apiName);
  const acl = [
    `resource "aws_wafv2_web_acl" "rate_limit" {`,
    `  name  = ${str(name)}`,
    `  scope = "REGIONAL"`,
    `  default_action {`,
    `    allow {}`,
    `  }`,
    ...rateRuleLines(stack),
    ...visibility(`${stack.deployed.apiName}-web-acl`, '  '),
    `}`,
  ].join('\n');
  const st = refs.t?.stage;
  // without the user's aws_api_gateway_stage: the REST API's ARN ("arn:aws:apigateway:<region>::/restapis/<id>") and the
  // stage, which needs no aws_region data source (whose `name` provider v6 deprecates for `region`, which v5 lacks)
  // a stage with count or for_each: one association per instance
  const r = refs.repeated;
  const arn = st?.via === 'stage' ? `${r?.each ?? st.resource}.arn` : `"\${${refs.api.replace(/\.id$/, '.arn')}}/stages/${tfEscape(stage)}"`;
  const association = [`resource "aws_wafv2_web_acl_association" "rate_limit" {`, ...(r ? [`  ${r.meta.padEnd(12)} = ${r.expr}`] : []), `  resource_arn = ${arn}`, `  web_acl_arn  = aws_wafv2_web_acl.rate_limit.arn`, `}`].join('\n');
  return [acl, association];
}

/** A resource's address as a single reference names it: its first instance when it has count (`[0]`) or for_each (`values(…)[0]`). */
function instanceOf(address: string, repeat: { meta: 'count' | 'for_each' } | undefined): string {
  return !repeat ? address : repeat.meta === 'count' ? `${address}[0]` : `values(${address})[0]`;
}

/** How blocks of ours refer to a stage with count or for_each (TfRefs.repeated); undefined for a single stage. */
function repeatedStage(resource: string, repeat: { meta: 'count' | 'for_each'; expr: string } | undefined): TfRefs['repeated'] {
  if (!repeat) return undefined;
  const count = repeat.meta === 'count';
  // an expression over several lines (comments and all) stays as written, in parentheses: HCL reads newlines inside them
  const expr = /[\r\n]/.test(repeat.expr) ? `(\n    ${repeat.expr.trim().replace(/\r?\n\s*/g, '\n    ')}\n  )` : repeat.expr;
  return { meta: repeat.meta, expr, each: `${resource}[${count ? 'count.index' : 'each.key'}]`, one: instanceOf(resource, repeat) };
}

function visibility(metric: string, indent: string): string[] {
  return [
    `${indent}visibility_config {`,
    `${indent}  cloudwatch_metrics_enabled = true`,
    `${indent}  metric_name                = ${str(metric.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128))}`,
    `${indent}  sampled_requests_enabled   = true`,
    `${indent}}`,
  ];
}

/** An HCL string literal (escapes quotes, backslashes and interpolation markers). */
function str(s: string): string {
  return `"${tfEscape(s)}"`;
}

function tfEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{').replace(/[\r\n]/g, ' ');
}

/** A Terraform resource name from free text: letters, digits, underscores, not starting with a digit. */
function tfName(s: string): string {
  const n = s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(n) ? n : `r_${n}`;
}
