/**
 * Each rule against a failing and a passing snippet (Checkov-style), read through the real
 * CloudFormation/SAM reader and priced by the real simulator with the embedded price book.
 * Dollar expectations are hand bounds (computed in the comments), not dowsim's own output.
 */
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import type { AuditDocument } from '../../src/audit/document.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { functionUrlApis } from '../../src/audit/read/function-url-apis.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { cfnRestTemplate } from '../support/cfn-rest.ts';

function auditText(text: string): AuditDocument {
  const m = readCloudFormation(text, '/repo/template.yaml');
  functionUrlApis(m);
  return audit([m], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') });
}
const rules = (doc: AuditDocument) => [...new Set(doc.findings.map((f) => f.rule))].sort();

const HTTP_API = (extra: string) => `
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
${extra}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      MemorySize: 128
      Runtime: nodejs20.x
      Handler: index.handler
      Events:
        Get:
          Type: HttpApi
          Properties: { ApiId: !Ref Api, Method: GET, Path: /items }
`;

describe('DoS rules, priced under the standard account-limit flood', () => {
  it('an HTTP API without throttles is an error priced at least $36/hour, and a 100 rps stage throttle brings it under $1/hour', () => {
    const doc = auditText(HTTP_API('      StageName: prod'));
    const f = doc.findings.find((x) => x.rule === 'DOW001')!;
    expect(f).toMatchObject({ category: 'dos', severity: 'error', file: '/repo/template.yaml', line: 4, resource: 'Api' });
    // 10,000 rps for 3,600 s = 36,000,000 attack requests; an HTTP API bills every one that reaches it
    // (lambdaThrottled included) at $1.00 per million: ≥ $36.00 for the hour.
    expect(f.atRisk!.perHour).toBeGreaterThan(36);
    expect(f.atRisk!.scenario).toBe('account-limit-flood');
    // with rate 100 / burst 200 at most 100 × 3,600 + 200 = 360,200 requests pass; all-in each costs
    // under $2 per million (API $1.00 + Lambda $0.20 + 0.1 s × 0.125 GB × $16.67/M GB-s + logs + data) → < $0.73.
    expect(f.fix!.perHourAfterFix!).toBeLessThan(1);
    expect(doc.stacks[0].risk.perHour.throttled).toBe(f.atRisk!.perHour);
  });

  it('a stage throttle near the account limit is present but too loose; a 100 rps one is not', () => {
    const loose = auditText(HTTP_API('      StageName: prod\n      DefaultRouteSettings: { ThrottlingRateLimit: 9000, ThrottlingBurstLimit: 5000 }'));
    expect(rules(loose)).toContain('DOW002');
    expect(rules(loose)).not.toContain('DOW001');
    const f = loose.findings.find((x) => x.rule === 'DOW002')!;
    // 9,000 of 10,000 rps still pass: the throttle saves about 10%, far from the 50% the rule asks
    expect(f.atRisk!.perHour).toBeGreaterThan(0.8 * loose.stacks[0].risk.perHour.unthrottled);
    expect(f.fix!.perHourAfterFix!).toBeLessThan(1);
    const tight = auditText(HTTP_API('      StageName: prod\n      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }'));
    expect(rules(tight)).not.toContain('DOW001');
    expect(rules(tight)).not.toContain('DOW002');
  });

  it('--scenario prices under the user\'s scenario, and says so when its paths miss every route of the API', () => {
    const m = readCloudFormation(HTTP_API('      StageName: prod'), '/repo/template.yaml');
    const doc = audit([m], { bookFor: embeddedPriceBook, scenarios: [loadScenario('constant-flood')] });
    expect(doc.stacks[0].risk.scenario).toBe('constant-flood');
    // constant-flood sends GET /items, which is this API's route: nothing to warn about
    expect(doc.assumptions.filter((a) => /scenario constant-flood/.test(a.message))).toEqual([]);
    const other = readCloudFormation(HTTP_API('      StageName: prod').replace('Path: /items', 'Path: /orders'), '/repo/template.yaml');
    const missed = audit([other], { bookFor: embeddedPriceBook, scenarios: [loadScenario('constant-flood')] });
    expect(missed.assumptions.some((a) => /scenario constant-flood: .*GET \/items.*matches no route/.test(a.message))).toBe(true);
  });

  it('a function without reserved concurrency is a DoS warning with its price before and after', () => {
    const doc = auditText(HTTP_API('      StageName: prod'));
    const f = doc.findings.find((x) => x.rule === 'DOW003')!;
    expect(f).toMatchObject({ severity: 'warning', resource: 'Fn' });
    expect(f.fix!.perHourAfterFix!).toBeLessThan(f.atRisk!.perHour);
  });
});

describe('auth rules', () => {
  it('a function URL with AuthType NONE is an error, and so is the public permission SAM adds for it; AWS_IAM is neither', () => {
    const url = (auth: string) => `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      MemorySize: 256
      ReservedConcurrentExecutions: 10
      Runtime: nodejs20.x
      Handler: index.handler
      FunctionUrlConfig:
        AuthType: ${auth}
`;
    const open = auditText(url('NONE'));
    expect(rules(open)).toEqual(expect.arrayContaining(['DOW102', 'DOW103']));
    expect(open.findings.find((f) => f.rule === 'DOW102')).toMatchObject({ category: 'auth', severity: 'error', line: 10 });
    expect(open.stacks[0].stack).toMatchObject({ api: { kind: 'function-url' }, lambda: { memoryMb: 256, reservedConcurrency: 10 } });
    const iam = auditText(url('AWS_IAM'));
    expect(rules(iam)).not.toContain('DOW102');
    expect(rules(iam)).not.toContain('DOW103');
  });

  it('a route with no authorizer is public; AWS_IAM and API-key routes are not, nor are OPTIONS preflights', () => {
    const doc = auditText(`
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Open:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: NONE }
  Signed:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: POST, AuthorizationType: AWS_IAM }
  Keyed:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: PUT, AuthorizationType: NONE, ApiKeyRequired: true }
  Preflight:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: OPTIONS, AuthorizationType: NONE }
`);
    const pub = doc.findings.filter((f) => f.rule === 'DOW101');
    expect(pub.map((f) => [f.resource, f.line])).toEqual([['Open', 5]]);
  });
});

describe('permissions, deployment and monitoring rules', () => {
  const doc = auditText(`
Parameters:
  Retention: { Type: Number, Default: 14 }
Conditions:
  IsProd: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Admin:
    Type: AWS::IAM::Policy
    Properties:
      PolicyDocument:
        Statement:
          - { Effect: Allow, Action: '*', Resource: '*' }
          - { Effect: Allow, Action: s3:GetObject, Resource: '*' }
          - { Effect: Allow, Action: s3:GetObject, Resource: !Sub 'arn:aws:s3:::bucket-\${AWS::Region}/*' }
          - { Effect: Allow, Action: xray:PutTraceSegments, Resource: '*' }
  Plain:
    Type: AWS::S3::Bucket
  Encrypted:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: aws:kms } }]
  Forever:
    Type: AWS::Logs::LogGroup
  Kept:
    Type: AWS::Logs::LogGroup
    Properties: { RetentionInDays: !If [IsProd, !Ref Retention, 1] }
`);
  it('"*" actions are an error, "*" resources a warning (not for actions that only take "*")', () => {
    expect(doc.findings.filter((f) => f.rule === 'DOW201').map((f) => f.line)).toEqual([12]);
    expect(doc.findings.filter((f) => f.rule === 'DOW202').map((f) => f.line)).toEqual([12, 13]);
  });
  it('a bucket without an encryption configuration is a note; log groups without retention are notes, !If/!Ref retention resolves', () => {
    expect(doc.findings.filter((f) => f.rule === 'DOW301').map((f) => f.resource)).toEqual(['Plain']);
    expect(doc.findings.filter((f) => f.rule === 'DOW403').map((f) => f.resource)).toEqual(['Forever']);
    expect(doc.assumptions).toEqual([]);
  });
  it('data trace and missing alarms are monitoring findings; an alarm on Lambda Throttles silences the alarm rule', () => {
    const api = (alarm: string) =>
      auditText(`
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', DataTraceEnabled: true, ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }]
${alarm}`);
    const silent = api('');
    expect(rules(silent)).toEqual(expect.arrayContaining(['DOW401', 'DOW402']));
    expect(silent.findings.find((f) => f.rule === 'DOW402')!.line).toBe(7);
    expect(silent.stacks[0].stack).toMatchObject({ api: { stage: { rate: 50, burst: 100 } } });
    const watched = api('  Alarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties: { Namespace: AWS/Lambda, MetricName: Throttles }\n');
    expect(rules(watched)).not.toContain('DOW401');
  });
});

describe('a usage plan whose keys no route requires', () => {
  it('is no throttle: DOW001 alone, not DOW001 and DOW002 ("lower the stage/route throttle") on the same API', () => {
    const plan = `  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      ApiStages: [{ ApiId: !Ref Api, Stage: !Ref Stage }]
      Throttle: { RateLimit: 10, BurstLimit: 20 }
`;
    const open = auditText(cfnRestTemplate({ stageProps: '', resources: plan }));
    const ids = open.findings.map((f) => f.rule);
    expect(ids).toContain('DOW001');
    expect(ids).not.toContain('DOW002');
    // with keys required, the plan's 10/20 per key holds: neither
    const keyed = auditText(cfnRestTemplate({ stageProps: '', resources: plan, apiKeyRequired: true }));
    expect(keyed.findings.map((f) => f.rule)).not.toContain('DOW001');
  });
});
