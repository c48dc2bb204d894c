/**
 * serverless.yml's per-stage pattern: a variable inside a variable,
 * ${self:custom.limits.${self:custom.stage}.rps}. The inner one is resolved first, then the outer;
 * an inner one that does not resolve makes the outer fall back to its default.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../src/audit/read/source.ts';

function read(custom: string, stage = '') {
  const dir = mkdtempSync(join(tmpdir(), 'sls-nested-'));
  writeFileSync(
    join(dir, 'serverless.yml'),
    `service: shop
plugins:
  - serverless-api-gateway-throttling
provider:
  name: aws
  runtime: nodejs20.x${stage}
custom:
${custom}
functions:
  api:
    handler: h.h
    events:
      - http: { method: get, path: items }
`,
  );
  return readSource(dir);
}

describe('nested serverless.yml variables', () => {
  it('${self:custom.limits.${self:custom.stage}.rps}, the stage from ${opt:stage, "dev"}: the dev limits, 20/40', () => {
    const m = read(`  stage: \${opt:stage, 'dev'}
  limits: { dev: { rps: 20, burst: 40 }, prod: { rps: 200, burst: 400 } }
  apiGatewayThrottling:
    maxRequestsPerSecond: \${self:custom.limits.\${self:custom.stage}.rps}
    maxConcurrentRequests: \${self:custom.limits.\${self:custom.stage}.burst}`);
    expect(m.apis[0].stage).toEqual({ rate: 20, burst: 40 });
    expect(m.assumptions.map((a) => a.message).join('\n')).not.toMatch(/maxRequestsPerSecond cannot be determined/);
  });

  it('${self:custom.rps.${sls:stage}, 50}: the stage\'s own value when there is one, else the default', () => {
    const throttling = `  apiGatewayThrottling:
    maxRequestsPerSecond: \${self:custom.rps.\${sls:stage}, 50}
    maxConcurrentRequests: 100`;
    expect(read(`  rps: { prod: 7 }\n${throttling}`, '\n  stage: prod').apis[0].stage).toEqual({ rate: 7, burst: 100 });
    // provider.stage dev (the default): custom.rps has no dev → 50
    expect(read(`  rps: { prod: 7 }\n${throttling}`).apis[0].stage).toEqual({ rate: 50, burst: 100 });
    // an inner variable that cannot resolve (an env var): the outer default
    const env = `  apiGatewayThrottling:
    maxRequestsPerSecond: \${self:custom.rps.\${env:STAGE}, 50}
    maxConcurrentRequests: 100`;
    expect(read(`  rps: { prod: 7 }\n${env}`).apis[0].stage).toEqual({ rate: 50, burst: 100 });
  });
});
