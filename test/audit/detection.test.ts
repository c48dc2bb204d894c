/**
 * Alarms and budgets read from IaC into each API's derived stack, and judged by when they fire
 * under the audit's standard flood (account-limit-flood, us-east-1: 10,000 rps of bots beside
 * 20 rps of users from t = 0, one hour). Expected firing times and costs are hand computations in
 * the comments; the readers and the simulator are the real ones.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import type { AuditDocument } from '../../src/audit/document.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readTerraform } from '../../src/audit/read/terraform.ts';
import { readServerless } from '../../src/audit/read/serverless.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';

const run = (m: AuditModel): AuditDocument => audit([m], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') });
const cfn = (extra: string) => run(readCloudFormation(TEMPLATE + extra, '/repo/template.yaml'));

/** An HTTP API throttled to 100 rps (burst 100) on its stage, one 128 MB function behind GET /items (line 3: Api). */
const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 100 }
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

const countAlarm = (threshold: number) => `  Flood:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: api-flood
      Namespace: AWS/ApiGateway
      MetricName: Count
      Dimensions: [{ Name: ApiId, Value: !Ref Api }]
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 1
      Threshold: ${threshold}
      ComparisonOperator: GreaterThanThreshold
`;

describe('audit: alarms and budgets from IaC, evaluated under the standard flood', () => {
  it('a Count alarm on the API the flood crosses fires at 120 s: no DOW401', () => {
    const doc = cfn(countAlarm(30_000));
    expect(doc.stacks[0].stack.alarms).toEqual([{ name: 'api-flood', metric: 'Count', statistic: 'Sum', period: '60s', evaluationPeriods: 1, threshold: 30_000, comparison: 'GreaterThanThreshold' }]);
    // Count counts every request API Gateway answers, 429s included: (10,000 + 20) × 60 = 601,200 in
    // the first minute > 30,000, so the period [0, 60) breaches; fires at its end + the 60 s default delay = 120 s.
    const [d] = doc.stacks[0].risk.detection!;
    expect(d).toMatchObject({ alarm: 'api-flood', firesAtSeconds: 120 });
    // Bill until 120 s: only what passes the 100/100 stage throttle is billed (429s are not):
    // 100 (burst) + 100 rps × 120 s = 12,100 requests. HTTP API $1.00/M = $0.01210; Lambda requests
    // $0.20/M = $0.00242; 12,100 × 0.1 s × 0.125 GB = 151.25 GB-s × $0.0000166667 = $0.00252.
    // Sum $0.01704; logs and data transfer add a little on top, never double.
    expect(d.costBeforeUsd).toBeGreaterThan(0.0165);
    expect(d.costBeforeUsd).toBeLessThan(0.034);
    expect(doc.findings.filter((f) => f.rule === 'DOW401')).toEqual([]);
  });

  it('a Count alarm the flood never crosses: one DOW401 naming the scenario and the hour\'s bill', () => {
    // 601,200 per minute ≤ 10,000,000: never breaches, so nobody is told within the hour
    const doc = cfn(countAlarm(10_000_000));
    expect(doc.stacks[0].risk.detection).toEqual([{ alarm: 'api-flood', firesAtSeconds: null, costBeforeUsd: expect.any(Number) }]);
    const found = doc.findings.filter((f) => f.rule === 'DOW401');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 3, resource: 'Api', atRisk: { scenario: 'account-limit-flood' } });
    expect(found[0].message).toContain('api-flood');
    expect(found[0].message).toContain('account-limit-flood');
    // never fires: the cost before is the whole hour's bill, $/hour × 1 h
    expect(doc.stacks[0].risk.detection![0].costBeforeUsd).toBeCloseTo(doc.stacks[0].risk.perHour.throttled, 6);
  });

  it('an alarm dowsim cannot model (a p99 statistic) is not attached: an assumption with its line', () => {
    const doc = cfn(`  Other:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/ApiGateway
      MetricName: Count
      Statistic: p99
      Period: 60
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanThreshold
`);
    expect(doc.stacks[0].stack.alarms).toBeUndefined();
    expect(doc.assumptions).toEqual([expect.objectContaining({ resource: 'Other', line: 17, message: expect.stringContaining('statistic p99') })]);
  });

  it('an AWS::Budgets::Budget is read as budgets: and never fires within the hour (Budgets refresh hours later): DOW401', () => {
    const doc = cfn(`  Monthly:
    Type: AWS::Budgets::Budget
    Properties:
      Budget:
        BudgetName: monthly
        BudgetType: COST
        TimeUnit: MONTHLY
        BudgetLimit: { Amount: 50, Unit: USD }
      NotificationsWithSubscribers:
        - Notification: { NotificationType: ACTUAL, ComparisonOperator: GREATER_THAN, Threshold: 80 }
          Subscribers: [{ SubscriptionType: EMAIL, Address: ops@example.com }]
        - Notification: { NotificationType: FORECASTED, ComparisonOperator: GREATER_THAN, Threshold: 40, ThresholdType: ABSOLUTE_VALUE }
          Subscribers: [{ SubscriptionType: EMAIL, Address: ops@example.com }]
`);
    // the second notification: $40 of a $50 limit = 80 %
    expect(doc.stacks[0].stack.budgets).toEqual([
      { name: 'monthly', limitUsd: 50, thresholdPercent: 80, type: 'ACTUAL' },
      { name: 'monthly-2', limitUsd: 50, thresholdPercent: 80, type: 'FORECASTED' },
    ]);
    expect(doc.stacks[0].risk.detection!.map((d) => d.firesAtSeconds)).toEqual([null, null]);
    expect(doc.findings.filter((f) => f.rule === 'DOW401')).toHaveLength(1);
  });

  it('a Terraform aws_cloudwatch_metric_alarm on the REST API (ApiName dimension by reference) is attached and fires at 120 s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-tf-alarm-'));
    writeFileSync(
      join(dir, 'main.tf'),
      `resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}
resource "aws_cloudwatch_metric_alarm" "flood" {
  alarm_name          = "orders-flood"
  namespace           = "AWS/ApiGateway"
  metric_name         = "Count"
  dimensions          = { ApiName = aws_api_gateway_rest_api.api.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 2
  datapoints_to_alarm = 1
  threshold           = 30000
  comparison_operator = "GreaterThanOrEqualToThreshold"
}
resource "aws_cloudwatch_metric_alarm" "elsewhere" {
  alarm_name          = "other-api"
  namespace           = "AWS/ApiGateway"
  metric_name         = "Count"
  dimensions          = { ApiName = "someone-else" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanThreshold"
}
`,
    );
    const doc = run(readTerraform(dir));
    // the only API: the literal-named alarm is attached too, and the guess is said with its line (16)
    const alarms = doc.stacks[0].stack.alarms as { name: string }[];
    expect([...alarms].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'orders-flood', metric: 'Count', statistic: 'Sum', period: '60s', evaluationPeriods: 2, datapointsToAlarm: 1, threshold: 30000, comparison: 'GreaterThanOrEqualToThreshold' },
      expect.objectContaining({ name: 'other-api' }),
    ]);
    expect(doc.assumptions).toEqual(expect.arrayContaining([expect.objectContaining({ line: 16, message: expect.stringContaining('someone-else') })]));
    // no throttle of its own: 10,020 requests/s hit Count, 601,200 ≥ 30,000 in [0, 60) (1 of 2) → 60 + 60 s delay
    expect(doc.stacks[0].risk.detection!.find((d) => d.alarm === 'orders-flood')!.firesAtSeconds).toBe(120);
    expect(doc.findings.filter((f) => f.rule === 'DOW401')).toEqual([]);
  });

  it("a Serverless service's resources: alarm on its function (!Ref HelloLambdaFunction) is attached to the HTTP API and fires at 120 s", () => {
    const text = `service: shop
provider: { name: aws, runtime: nodejs20.x }
functions:
  hello:
    handler: index.handler
    events:
      - httpApi: { method: GET, path: /items }
resources:
  Resources:
    Busy:
      Type: AWS::CloudWatch::Alarm
      Properties:
        Namespace: AWS/Lambda
        MetricName: Invocations
        Dimensions: [{ Name: FunctionName, Value: !Ref HelloLambdaFunction }]
        Statistic: Sum
        Period: 60
        EvaluationPeriods: 1
        Threshold: 1000
        ComparisonOperator: GreaterThanThreshold
`;
    const model = readServerless(text, '/repo/serverless.yml');
    // the Framework's logical id HelloLambdaFunction is the function "hello"; line 10 is Busy in serverless.yml
    expect(model.alarms.map((a) => [a.dimensions.refs, a.loc.line])).toEqual([[['hello'], 10]]);
    const doc = run(model);
    expect(doc.stacks[0].stack.alarms).toEqual([expect.objectContaining({ name: 'Busy', metric: 'Invocations', threshold: 1000 })]);
    // no throttle of its own: thousands of invocations per second reach the function from t = 0
    // (1,000 environments × 10 per second at 100 ms), far above 1,000 in [0, 60): fires at 60 + 60 s delay
    expect(doc.stacks[0].risk.detection![0].firesAtSeconds).toBe(120);
    expect(doc.assumptions.filter((a) => a.resource === 'Busy')).toEqual([]);
  });

  it('with two APIs, an alarm on one does not silence DOW401 for the other', () => {
    const doc = cfn(`${countAlarm(30_000)}  Other:
    Type: AWS::Serverless::HttpApi
  OtherFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Events:
        Get:
          Type: HttpApi
          Properties: { ApiId: !Ref Other, Method: GET, Path: /x }
`);
    expect(doc.stacks.find((s) => s.source.resource === 'Api')!.stack.alarms).toHaveLength(1);
    expect(doc.stacks.find((s) => s.source.resource === 'Other')!.stack.alarms).toBeUndefined();
    expect(doc.findings.filter((f) => f.rule === 'DOW401').map((f) => f.resource)).toEqual(['Other']);
  });
});
