/**
 * A PRIVATE REST API is reachable only through interface VPC endpoints (AWS: "private REST APIs
 * … accessible only from within your VPC"). Its routes are not public on the internet, and a WAF
 * in front of it is no internet shield: DOW101 and DOW004 do not apply. Its risk is still priced,
 * with an assumption that says how (a flood from inside the VPC).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readSource } from '../../src/audit/read/source.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { cfnRestTemplate } from '../support/cfn-rest.ts';

const run = (m: AuditModel) => audit([m], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') });

const cfn = (endpoint: string) => cfnRestTemplate({ apiProps: endpoint });

describe('a PRIVATE REST API', () => {
  it('CloudFormation: no DOW101, no DOW004; still priced, with an assumption; the same API as REGIONAL gets both', () => {
    const priv = run(readCloudFormation(cfn(', EndpointConfiguration: { Types: [PRIVATE] }'), '/repo/t.yaml'));
    const rules = (d: ReturnType<typeof run>) => d.findings.map((f) => f.rule);
    expect(rules(priv)).not.toContain('DOW101');
    expect(rules(priv)).not.toContain('DOW004');
    expect(rules(priv)).toContain('DOW001');
    expect(priv.assumptions.map((a) => a.message).join('\n')).toMatch(/a PRIVATE REST API is reachable only through interface VPC endpoints/);
    const regional = run(readCloudFormation(cfn(', EndpointConfiguration: { Types: [REGIONAL] }'), '/repo/t.yaml'));
    expect(rules(regional)).toEqual(expect.arrayContaining(['DOW101', 'DOW004']));
  });

  it('SAM (EndpointConfiguration: PRIVATE, or { Type: PRIVATE }) and Terraform (endpoint_configuration { types = ["PRIVATE"] }) are read as private', () => {
    for (const endpoint of ['PRIVATE', '{ Type: PRIVATE }']) {
      const m = readCloudFormation(
        `Transform: AWS::Serverless-2016-10-31
Resources:
  Api: { Type: AWS::Serverless::Api, Properties: { StageName: prod, EndpointConfiguration: ${endpoint} } }
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, Events: { Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /items, Method: get } } } }
`,
        '/repo/t.yaml',
      );
      expect(m.apis.find((a) => a.id === 'Api')?.private).toBe(true);
    }
    const dir = mkdtempSync(join(tmpdir(), 'private-tf-'));
    writeFileSync(join(dir, 'main.tf'), 'resource "aws_api_gateway_rest_api" "api" {\n  name = "demo"\n  endpoint_configuration {\n    types = ["PRIVATE"]\n  }\n}\n');
    expect(readSource(dir).apis[0].private).toBe(true);
  });
});
