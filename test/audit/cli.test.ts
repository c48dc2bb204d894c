/** `dowsim audit` and `--stack <IaC>` end to end: the real CLI in a child process. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditDocument } from '../../src/audit/document.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import { runCli } from '../support/cli.ts';

const URL_NONE = 'test/fixtures/iac-corpus/sam-translator/function_with_function_url_config.input.yaml';
const USAGE_PLANS = 'test/fixtures/iac-corpus/sam-translator/api_with_usageplans.input.yaml';
const TF_HTTP = 'test/fixtures/iac-corpus/terraform/hashicorp-learn-lambda-api-gateway';

describe('dowsim audit', () => {
  it('--json prints only dowsim.audit/1; findings alone exit 0; reports are written; gates exit 3', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dowsim-audit-'));
    const r = await runCli(['audit', URL_NONE, TF_HTTP, '--json', '--format', 'sarif,html,md,csv,json', '--out', out], { timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as AuditDocument;
    expect(doc.schema).toBe('dowsim.audit/1');
    expect(doc.stacks.map((s) => [s.source.resource, (s.stack.api as { kind: string }).kind])).toEqual([
      ['MyFunctionUrl', 'function-url'],
      ['aws_apigatewayv2_api.lambda', 'http'],
    ]);
    expect(doc.findings.filter((f) => f.severity === 'error').length).toBeGreaterThan(0);
    expect(readdirSync(out).sort()).toEqual(['audit.csv', 'audit.html', 'audit.json', 'audit.md', 'audit.sarif']);
    expect(readFileSync(join(out, 'audit.html'), 'utf8')).toMatch(/<svg[^>]*aria-label="\$\/hour under attack per API"/);
    expect(readFileSync(join(out, 'audit.csv'), 'utf8').split('\n')[0]).toBe('severity,rule,category,file,line,resource,message,atRiskPerHour,scenario,perHourAfterFix,fix');

    const gated = await runCli(['audit', URL_NONE, '--fail-if', 'findings.error>0', '--fail-if', 'risk.perHour>5'], { timeoutMs: 120_000 });
    expect(gated.code).toBe(3);
    expect(gated.stderr).toMatch(/gate tripped: --fail-if "findings.error>0"/);
    expect(gated.stdout).toMatch(/MyFunctionUrl\s+function-url/);
    expect(gated.stdout).toMatch(/DOW102 .*function_with_function_url_config\.input\.yaml:13/);
  }, 240_000);

  it('an unparseable template is one clear error with its path and line, exit 1, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-audit-bad-'));
    const bad = join(dir, 'template.yaml');
    writeFileSync(bad, 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { MemorySize: 128\n  Other: x\n');
    const r = await runCli(['audit', bad, '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line \\d+, column \\d+: invalid YAML/JSON`));
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    // an empty --format writes nothing: refused before the template is read, naming the formats
    const empty = await runCli(['audit', bad, '--format', '']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/--format: expected one or more of json, md, html, sarif, csv/);
    const tf = join(dir, 'main.tf');
    writeFileSync(tf, 'resource "aws_lambda_function" "f" {\n  memory_size = \n}\n');
    const t = await runCli(['audit', tf]);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/main\.tf: line 2, column \d+: invalid Terraform/);
  }, 120_000);

  it('--stack template.yaml#Api works for simulate; a template with several APIs asks which one', async () => {
    const r = await runCli(['simulate', 'quick-flood', '--stack', `${USAGE_PLANS}#MyApiTwo`, '--stack', `${TF_HTTP}`, '--horizon', '20s', '--json'], { timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as ResultDocument;
    expect(doc.stacks.map((s) => [s.name, s.apiKind])).toEqual([
      ['MyApiTwo', 'rest'],
      ['aws_apigatewayv2_api.lambda', 'http'],
    ]);
    const which = await runCli(['simulate', 'quick-flood', '--stack', USAGE_PLANS]);
    expect(which.code).toBe(1);
    expect(which.stderr).toMatch(/defines 4 APIs; choose one with ".*#<id>"; APIs: MyApiOne, MyApiTwo, MyApiThree, ServerlessRestApi/);
  }, 240_000);
});
