import type { Stack } from '../stack/types.ts';
import { changedParts, newRouteNotes } from './changed-parts.ts';
import { DEFAULT_FUNCTION, stackFunctions } from '../stack/functions.ts';
import { routeThrottles } from './patch-cloudformation.ts';
import { RATE_RULE_NAME, deleteLines, keepOthersNote, wafChange } from './waf-change.ts';

const TF_WAF_NAMES = { acl: 'aws_wafv2_web_acl.rate_limit', association: 'aws_wafv2_web_acl_association.rate_limit', aclType: 'aws_wafv2_web_acl', associationType: 'aws_wafv2_web_acl_association' };

/**
 * The tuned settings as Terraform would say them: complete, minimal resources for what changed,
 * referring to the user's API and function as `aws_api_gateway_rest_api.api` /
 * `aws_apigatewayv2_api.api` and `aws_lambda_function.function` (rename to match).
 */
export function terraformPatch(base: Stack, tuned: Stack): string {
  const parts = changedParts(base, tuned);
  const blocks: string[] = [];
  const stage = tuned.deployed.stage;
  if (parts.throttles && tuned.api.kind === 'rest') {
    if (tuned.api.stage) blocks.push(methodSettings('all', '*/*', tuned.api.stage.rate, tuned.api.stage.burst, stage));
    for (const [key, t] of routeThrottles(tuned)) {
      const [method, path] = key.split(' ');
      // method_path is "{resource_path}/{http_method}" without the leading slash
      blocks.push(methodSettings(tfName(`${method}_${path}`), `${path.replace(/^\//, '')}/${method === 'ANY' ? '*' : method}`, t.rate, t.burst, stage));
    }
  }
  if (parts.throttles && tuned.api.kind === 'http') {
    const lines = [`resource "aws_apigatewayv2_stage" "api" {`, `  api_id = aws_apigatewayv2_api.api.id`, `  name   = ${str(stage)}`];
    if (tuned.api.stage) lines.push(`  default_route_settings {`, `    throttling_rate_limit  = ${tuned.api.stage.rate}`, `    throttling_burst_limit = ${tuned.api.stage.burst}`, `  }`);
    for (const [key, t] of routeThrottles(tuned)) {
      lines.push(`  route_settings {`, `    route_key              = ${str(key)}`, `    throttling_rate_limit  = ${t.rate}`, `    throttling_burst_limit = ${t.burst}`, `  }`);
    }
    blocks.push([...lines, '}'].join('\n'));
  }
  for (const i of parts.usagePlans) {
    const p = tuned.api.usagePlans[i];
    const lines = [`resource "aws_api_gateway_usage_plan" ${str(tfName(p.name))} {`, `  name = ${str(p.name)}`, `  api_stages {`, `    api_id = aws_api_gateway_rest_api.api.id`, `    stage  = ${str(stage)}`, `  }`];
    if (p.throttle) lines.push(`  throttle_settings {`, `    rate_limit  = ${p.throttle.rate}`, `    burst_limit = ${p.throttle.burst}`, `  }`);
    if (p.quota) lines.push(`  quota_settings {`, `    limit  = ${p.quota.limit}`, `    period = ${str(p.quota.period)}`, `    offset = ${p.quota.offset}`, `  }`);
    blocks.push([...lines, '}'].join('\n'));
  }
  const waf = wafChange(base, tuned);
  if (waf.kind === 'new-acl' || waf.kind === 'set-rule') blocks.push(...wafBlocks(tuned, stage));
  for (const f of stackFunctions(tuned).filter((x) => parts.reservedConcurrency.includes(x.name))) {
    const name = f.name === DEFAULT_FUNCTION ? 'function' : tfName(f.name);
    const lines = [`resource "aws_lambda_function" ${str(name)} {`, `  function_name = ${str(f.functionName)}`, `  memory_size   = ${f.memoryMb}`];
    if (f.reservedConcurrency !== undefined) lines.push(`  reserved_concurrent_executions = ${f.reservedConcurrency}`);
    blocks.push([...lines, '}'].join('\n'));
  }
  const notes = [...newRouteNotes(base, tuned), ...deleteLines(waf, TF_WAF_NAMES), ...keepOthersNote(waf, TF_WAF_NAMES.acl)];
  if (!blocks.length && !notes.length) return '# dowsim tune: no change to the stack\n';
  const head = `# dowsim tune: the changed settings of ${tuned.deployed.apiName.replace(/[\r\n]/g, ' ')}; merge into your configuration\n${notes.map((n) => `${n}\n`).join('')}`;
  return blocks.length ? `${head}\n${blocks.join('\n\n')}\n` : head;
}

function methodSettings(name: string, methodPath: string, rate: number, burst: number, stage: string): string {
  return [
    `resource "aws_api_gateway_method_settings" ${str(name)} {`,
    `  rest_api_id = aws_api_gateway_rest_api.api.id`,
    `  stage_name  = ${str(stage)}`,
    `  method_path = ${str(methodPath)}`,
    `  settings {`,
    `    throttling_rate_limit  = ${rate}`,
    `    throttling_burst_limit = ${burst}`,
    `  }`,
    `}`,
  ].join('\n');
}

function wafBlocks(stack: Stack, stage: string): string[] {
  const r = stack.waf!.rateLimit!;
  const name = `${stack.deployed.apiName}-rate-limit`;
  const acl = [
    `resource "aws_wafv2_web_acl" "rate_limit" {`,
    `  name  = ${str(name)}`,
    `  scope = "REGIONAL"`,
    `  default_action {`,
    `    allow {}`,
    `  }`,
    `  rule {`,
    `    name     = ${str(RATE_RULE_NAME)}`,
    `    priority = 0`,
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
    ...visibility(RATE_RULE_NAME, '    '),
    `  }`,
    ...visibility(`${stack.deployed.apiName}-web-acl`, '  '),
    `}`,
  ].join('\n');
  const association = [
    `resource "aws_wafv2_web_acl_association" "rate_limit" {`,
    `  resource_arn = "arn:aws:apigateway:\${data.aws_region.current.name}::/restapis/\${aws_api_gateway_rest_api.api.id}/stages/${tfEscape(stage)}"`,
    `  web_acl_arn  = aws_wafv2_web_acl.rate_limit.arn`,
    `}`,
  ].join('\n');
  return [acl, association, `data "aws_region" "current" {}`];
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
