/**
 * YAML anchors in the files the audit reads: an alias (`*name`) is the anchored value, and a merge
 * key (`<<: *defaults`) adds the keys of the merged map that the map does not set itself, as the
 * Serverless Framework's parser (js-yaml) reads serverless.yml. Both were read as nothing: a
 * function's memory, architecture and reserved concurrency came out as AWS's defaults.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readSource } from '../../src/audit/read/source.ts';
import { InputError } from '../../src/model/errors.ts';

describe('YAML anchors, aliases and merge keys', () => {
  it('serverless.yml: `<<: *fn` gives both functions its memory, architecture and reserved concurrency; a key of their own wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sls-anchors-'));
    writeFileSync(
      join(dir, 'serverless.yml'),
      `service: anchors
x-defaults: &fn
  memorySize: 1536
  reservedConcurrency: 3
  architecture: arm64
provider:
  name: aws
  runtime: nodejs20.x
functions:
  a:
    <<: *fn
    handler: a.h
    events:
      - httpApi: 'GET /a'
  b:
    <<: *fn
    handler: b.h
    reservedConcurrency: 9
    events:
      - httpApi: { method: POST, path: /b }
`,
    );
    const m = readSource(dir);
    const fn = (name: string) => m.functions.find((f) => f.id === name);
    expect(fn('a')).toMatchObject({ memoryMb: 1536, architecture: 'arm64', reservedConcurrency: 3 });
    expect(fn('b')).toMatchObject({ memoryMb: 1536, architecture: 'arm64', reservedConcurrency: 9 });
  });

  it('CloudFormation: an alias is the anchored value (a burst limit written once for two settings)', () => {
    const m = readCloudFormation(
      `Resources:
  Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: demo } }
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      MethodSettings:
        - { ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: &rate 50, ThrottlingBurstLimit: &burst 100 }
        - { ResourcePath: "/~1items", HttpMethod: GET, ThrottlingRateLimit: *rate, ThrottlingBurstLimit: *burst }
`,
      '/repo/t.yaml',
    );
    expect(m.apis[0].stage).toEqual({ rate: 50, burst: 100 });
    expect(m.apis[0].routes.find((r) => r.key === 'GET /items')?.throttle).toEqual({ rate: 50, burst: 100 });
  });

  it('a key twice in one map is an input error naming its line (YAML and JSON): it was read silently, the last one winning', () => {
    expect(() => readCloudFormation('Resources:\n  A:\n    Type: AWS::ApiGateway::RestApi\n  A:\n    Type: AWS::Lambda::Function\n', '/repo/dup.yaml')).toThrow(InputError);
    try {
      readCloudFormation('{ "Resources": { "A": { "Type": "AWS::ApiGateway::RestApi", "Type": "AWS::Lambda::Function" } } }', '/repo/dup.json');
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).problems[0]).toMatchObject({ path: expect.stringMatching(/^line 1, column \d+$/), message: expect.stringMatching(/a key appears twice in the same map/) });
    }
  });

  it('a file of nested anchors that would expand past 10,000 aliases is an input error, not a hang', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const text = `Resources: {}\n${levels.join('\n')}\n`;
    expect(() => readCloudFormation(text, '/repo/bomb.yaml')).toThrow(InputError);
    expect(() => readCloudFormation(text, '/repo/bomb.yaml')).toThrow(/more than 10,000 aliases/);
  });
});
