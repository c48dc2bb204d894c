/**
 * A `terraform show -json` plan (hand-written in the documented JSON output format, shaped like the
 * hashicorp learn-terraform-lambda-api-gateway tutorial): values come from planned_values,
 * the links between resources from configuration's references.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../src/audit/read/source.ts';
import { deriveStack } from '../../src/audit/stack-document.ts';

const PLAN = fileURLToPath(new URL('../fixtures/iac/tfplan.json', import.meta.url));

describe('terraform show -json plans', () => {
  it('read the HTTP API, its stage throttle, its route and the function behind it', () => {
    const m = readSource(PLAN);
    expect(m.format).toBe('terraform');
    expect(m.apis).toHaveLength(1);
    const a = m.apis[0];
    expect(a).toMatchObject({ id: 'aws_apigatewayv2_api.lambda', kind: 'http', stage: { rate: 20, burst: 40 }, stageName: 'prod' });
    expect(a.routes).toMatchObject([{ key: 'GET /hello', auth: 'none', function: 'aws_lambda_function.hello_world' }]);
    const { stack } = deriveStack(m, a);
    expect(stack.lambda).toMatchObject({ memoryMb: 512, architecture: 'arm64', reservedConcurrency: 25, timeout: 10 });
    expect(a.loc.line).toBeGreaterThan(1);
  });
});
