/**
 * Terraform's `count` and `for_each`: a resource with none to make is not in the configuration
 * that applies. `count = 0`, `count = var.enabled ? 1 : 0` with enabled false, or an empty
 * for_each made a method settings block throttle an API that terraform leaves unthrottled.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../src/audit/read/source.ts';
import { evalHcl, UNKNOWN } from '../../src/audit/read/hcl-expr.ts';

function read(extra: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tf-count-'));
  writeFileSync(
    join(dir, 'main.tf'),
    `variable "enable_throttle" {
  default = false
}
variable "on" {
  default = true
}
resource "aws_api_gateway_rest_api" "api" {
  name = "demo"
}
${extra}
`,
  );
  return readSource(dir);
}

const settings = (meta: string, path = '*/*') => `resource "aws_api_gateway_method_settings" "s" {
  ${meta}
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
  method_path = "${path}"
  settings {
    throttling_rate_limit  = 25
    throttling_burst_limit = 50
  }
}`;

describe('count and for_each', () => {
  it.each([
    ['count = 0', undefined],
    ['count = var.enable_throttle ? 1 : 0', undefined],
    ['for_each = {}', undefined],
    ['count = 1', { rate: 25, burst: 50 }],
    ['count = var.on ? 1 : 0', { rate: 25, burst: 50 }],
    ['', { rate: 25, burst: 50 }],
  ])('%s → stage throttle %j', (meta, stage) => {
    expect(read(settings(meta)).apis[0].stage).toEqual(stage);
  });

  it('a count the reader cannot evaluate keeps the resource, with an assumption naming it', () => {
    const m = read(settings('count = length(var.stages)'));
    expect(m.apis[0].stage).toEqual({ rate: 25, burst: 50 });
    expect(m.assumptions.map((a) => a.message).join('\n')).toMatch(/count cannot be determined from the configuration \(.*\); aws_api_gateway_method_settings\.s is assumed to exist/);
  });
});

describe('a throttle one of whose limits cannot be evaluated', () => {
  it('says so once, with what it uses instead (it said "cannot be determined; the default is used" and "only one is set" for the same limit)', () => {
    const m = read(`locals {
  burst = aws_ssm_parameter.burst.value * 2
}
${settings('').replace('throttling_burst_limit = 50', 'throttling_burst_limit = local.burst')}`);
    expect(m.apis[0].stage).toEqual({ rate: 25, burst: 25 });
    const said = m.assumptions.map((a) => a.message).filter((t) => t.includes('throttling_burst_limit'));
    expect(said).toEqual(["aws_api_gateway_method_settings.s throttling_burst_limit cannot be determined from the configuration (${local.burst}); it is taken to be throttling_rate_limit's value, 25"]);
  });
});

describe("expressions of the configuration's own values are evaluated (they were assumptions)", () => {
  const vars = `variable "rate" {
  default = 25
}
variable "limits" {
  default = { prod = 40, dev = 5 }
}
locals {
  envs  = ["prod", "dev", "prod"]
  scale = 1.5
}`;
  it.each([
    // hand-evaluated: rate 25
    ['var.rate * 2', 50],
    ['var.rate + 5 * 3', 40],
    ['(var.rate + 5) * 3', 90],
    ['max(var.rate, 60)', 60],
    ['min(var.rate, 60, 30)', 25],
    ['floor(var.rate / 3)', 8],
    ['ceil(var.rate * local.scale)', 38],
    ['var.rate > 20 ? 100 : 10', 100],
    ['var.rate >= 30 || false ? 100 : 10', 10],
    ['lookup(var.limits, "prod", 1)', 40],
    ['lookup(var.limits, "qa", 7)', 7],
    ['var.limits["dev"] * 4', 20],
    ['var.limits.prod - 1', 39],
    ['length(local.envs) * 10', 30],
    ['length(toset(local.envs)) * 10', 20],
    ['tonumber("12") + 1', 13],
    ['-var.rate + 100', 75],
    // a set of numbers is ordered by value (it was ordered as strings: 100 first)
    ['tolist(toset([30, 4, 100]))[0] * 10', 40],
    ['tolist(toset(["30", "4", "100"]))[0]', 100],
    ['"10" + 5', 15],
  ])('throttling_burst_limit = %s → %d', (expr, burst) => {
    const m = read(`${vars}\n${settings('').replace('throttling_burst_limit = 50', `throttling_burst_limit = ${expr}`)}`);
    expect(m.apis[0].stage).toEqual({ rate: 25, burst });
    expect(m.assumptions.map((a) => a.message).filter((t) => t.includes('throttling_burst_limit'))).toEqual([]);
  });

  it.each([
    ['aws_ssm_parameter.b.value * 2'],
    ['var.missing * 2'],
    ['var.rate / 0'],
    ['lookup(var.limits, "qa")'],
    ['jsondecode("{}")'],
    ['var.rate * "x"'],
    // Terraform reads numbers from strings in base 10 with nothing around them
    ['tonumber("0x10")'],
    ['tonumber(" 5 ")'],
  ])('throttling_burst_limit = %s cannot be evaluated: the rate stands for it, said once', (expr) => {
    const m = read(`${vars}\n${settings('').replace('throttling_burst_limit = 50', `throttling_burst_limit = ${expr}`)}`);
    expect(m.apis[0].stage).toEqual({ rate: 25, burst: 25 });
    expect(m.assumptions.map((a) => a.message).filter((t) => t.includes('throttling_burst_limit'))).toHaveLength(1);
  });

  it('count = length(toset(local.envs)) and for_each = toset(local.envs) make the resource; an empty one none', () => {
    expect(read(`${vars}\n${settings('count = length(toset(local.envs))')}`).apis[0].stage).toEqual({ rate: 25, burst: 50 });
    expect(read(`${vars}\n${settings('for_each = toset(local.envs)')}`).apis[0].stage).toEqual({ rate: 25, burst: 50 });
    const m = read(`${vars}\n${settings('for_each = toset([])')}`);
    expect(m.apis[0].stage).toBeUndefined();
    expect(m.assumptions.map((a) => a.message).join('\n')).not.toMatch(/for_each cannot be determined/);
  });
});

describe('the expression evaluator on any input', () => {
  it('never throws: 20,000 random token strings give a value or UNKNOWN', () => {
    const parts = ['var.rate', 'local.x', '(', ')', '[', ']', '+', '-', '*', '/', '%', '?', ':', '==', '!=', '<', '>=', '&&', '||', '!', '1', '0', '2.5', '"s"', 'true', 'null', 'min(', 'length(', 'lookup(', ',', '.', 'toset(', 'aws_x.y', '${', '}', '"', '\\'];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 20_000; n++) {
      const expr = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => parts[Math.floor(rnd() * parts.length)]).join(rnd() < 0.5 ? ' ' : '');
      const v = evalHcl(expr, (root, name) => (root === 'var' && name === 'rate' ? 25 : root === 'local' && name === 'x' ? [1, 2] : UNKNOWN));
      expect(v === UNKNOWN || v === null || ['number', 'string', 'boolean', 'object'].includes(typeof v)).toBe(true);
    }
  });
});
