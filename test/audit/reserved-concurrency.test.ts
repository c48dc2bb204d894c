/**
 * DOW003 looks at every function behind an API's routes, not only the first: a 2 GB function
 * behind POST /items with no reservation is as open to a flood as the one behind GET /items.
 */
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';

const template = (listReserved: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
  ListFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.list
      CodeUri: .${listReserved}
      Events:
        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /items, Method: get } }
  CreateFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.create
      CodeUri: .
      MemorySize: 2048
      Events:
        Post: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /items, Method: post } }
`;

const dow003 = (text: string) =>
  audit([readCloudFormation(text, '/repo/template.yaml')], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') })
    .findings.filter((f) => f.rule === 'DOW003')
    .map((f) => f.resource);

describe('DOW003: every function behind the API', () => {
  it('neither reserved: one finding each; the first reserved: the second still has one', () => {
    expect(dow003(template('')).sort()).toEqual(['CreateFn', 'ListFn']);
    expect(dow003(template('\n      ReservedConcurrentExecutions: 50'))).toEqual(['CreateFn']);
  });

  it("the second function's fix is priced with its own reservation: cheaper than the API as it is", () => {
    const doc = audit([readCloudFormation(template('\n      ReservedConcurrentExecutions: 50'), '/repo/template.yaml')], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') });
    const f = doc.findings.find((x) => x.rule === 'DOW003')!;
    expect(f.fix!.perHourAfterFix).toBeLessThan(f.atRisk!.perHour);
  });
});
