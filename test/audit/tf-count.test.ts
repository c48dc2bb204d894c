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
  burst = var.rate * 2
}
variable "rate" {
  default = 25
}
${settings('').replace('throttling_burst_limit = 50', 'throttling_burst_limit = local.burst')}`);
    expect(m.apis[0].stage).toEqual({ rate: 25, burst: 25 });
    const said = m.assumptions.map((a) => a.message).filter((t) => t.includes('throttling_burst_limit'));
    expect(said).toEqual(["aws_api_gateway_method_settings.s throttling_burst_limit cannot be determined from the configuration (${local.burst}); it is taken to be throttling_rate_limit's value, 25"]);
  });
});
