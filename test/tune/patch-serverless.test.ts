/**
 * tune's patch for a stack read from a Serverless Framework serverless.yml: written in the file's
 * own keys and the two plugins the audit reads (serverless-api-gateway-throttling,
 * serverless-associate-waf), merged into the file the way its header tells a person to
 * (test/support/iac-merge.ts: maps merge, lists replace), and read back by the audit's own reader
 * to the tuned settings while the file's other settings stay. Expected values are written by hand.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadIacStack } from '../../src/audit/stack-source.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import type { IacTargets } from '../../src/audit/targets.ts';
import type { ServerlessFacts } from '../../src/audit/model.ts';
import type { Stack } from '../../src/stack/types.ts';
import { serverlessPatch } from '../../src/tune/patch-serverless.ts';
import { mergeSlsPatch, readMergedSls } from '../support/iac-merge.ts';
import { apiReadBack } from '../support/tune-readback.ts';

const CORPUS = 'test/fixtures/iac-corpus/serverless';
const rateRule = { limit: 100, windowSeconds: 60, key: 'ip' as const, delaySeconds: 30 };

function written(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dowsim-sls-')), 'serverless.yml');
  writeFileSync(path, text);
  return path;
}

function source(arg: string): { stack: Stack; targets: IacTargets & { serverless: ServerlessFacts } } {
  const r = loadIacStack(arg);
  if (!r?.targets?.serverless) throw new Error(`no serverless targets for ${arg}`);
  return { stack: r.stack, targets: r.targets as IacTargets & { serverless: ServerlessFacts } };
}

/** The REST API's derived stack document in a model read back. */
const readBack = (model: AuditModel) => apiReadBack(model, 'ApiGatewayRestApi');

/** A service without throttles: GET /items in shorthand, GET /search with cors, one other plugin. */
const OPEN = [
  'service: shop',
  'plugins:',
  '  - serverless-offline',
  'provider:',
  '  name: aws',
  '  runtime: nodejs20.x',
  '  stage: prod',
  'functions:',
  '  items:',
  '    handler: items.handler',
  '    events:',
  '      - http: GET items',
  '  search:',
  '    handler: search.handler',
  '    memorySize: 512',
  '    events:',
  '      - http:',
  '          path: search',
  '          method: get',
  '          cors: true',
  '      - schedule: rate(1 hour)',
  '',
].join('\n');

describe('the Serverless Framework patch', () => {
  it('an open service: the throttling plugin with the stage and an event throttle, reserved concurrency, a new web ACL associated by name; merged, it reads back as tuned', () => {
    const file = written(OPEN);
    const { stack, targets } = source(file);
    const tuned = structuredClone(stack);
    tuned.api.stage = { rate: 50, burst: 100 };
    tuned.api.routes['GET /search'] = { rate: 1.5, burst: 2 };
    tuned.api.routes['GET /items'] = { rate: 20, burst: 40 };
    tuned.functions!.find((f) => f.name === 'search')!.reservedConcurrency = 5;
    tuned.waf = { rules: 1, rateLimit: rateRule };
    const patch = serverlessPatch(stack, tuned, targets);
    const p = parseYaml(patch) as Record<string, any>;
    // the user's plugin stays, both plugins are added
    expect(p.plugins).toEqual(['serverless-offline', 'serverless-api-gateway-throttling', 'serverless-associate-waf']);
    expect(patch).toContain('# note: serverless-api-gateway-throttling and serverless-associate-waf are plugins the Framework needs installed: npm install --save-dev serverless-api-gateway-throttling serverless-associate-waf');
    expect(p.custom).toEqual({ apiGatewayThrottling: { maxRequestsPerSecond: 50, maxConcurrentRequests: 100 }, associateWaf: { name: 'shop-${sls:stage}-rate-limit', version: 'V2' } });
    // the function's events list, whole: the shorthand in long form, cors and the schedule kept
    expect(p.functions.items.events).toEqual([{ http: { method: 'GET', path: 'items', throttling: { maxRequestsPerSecond: 20, maxConcurrentRequests: 40 } } }]);
    expect(p.functions.search).toEqual({
      events: [{ http: { path: 'search', method: 'get', cors: true, throttling: { maxRequestsPerSecond: 1.5, maxConcurrentRequests: 2 } } }, { schedule: 'rate(1 hour)' }],
      reservedConcurrency: 5,
    });
    expect(p.resources.Resources.RateLimitWebAcl.Properties).toMatchObject({ Name: 'shop-${sls:stage}-rate-limit', Scope: 'REGIONAL', Rules: [{ Statement: { RateBasedStatement: { Limit: 100, EvaluationWindowSec: 60, AggregateKeyType: 'IP' } } }] });

    const merged = mergeSlsPatch(OPEN, patch);
    expect(merged.functions.search).toMatchObject({ handler: 'search.handler', memorySize: 512 });
    const doc = readBack(readMergedSls(OPEN, patch));
    expect(doc.api.stage).toEqual({ rate: 50, burst: 100 });
    expect(doc.api.routes['GET /search']).toMatchObject({ rate: 1.5, burst: 2 });
    expect(doc.api.routes['GET /items']).toMatchObject({ rate: 20, burst: 40 });
    expect(doc.functions).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'search', memoryMb: 512, reservedConcurrency: 5 })]));
    expect(doc.waf).toEqual({ rules: 1, rateLimit: { limit: 100, window: '60s' } });
  });

  it('a route only the tuned stack has gets an event of its own, copied from the catch-all that serves it (authorizer kept)', () => {
    const text = [
      'service: shop',
      'provider: { name: aws, stage: prod }',
      'functions:',
      '  app:',
      '    handler: app.handler',
      '    events:',
      '      - http: { path: "{proxy+}", method: any, authorizer: aws_iam }',
      '',
    ].join('\n');
    const { stack, targets } = source(written(text));
    const tuned = structuredClone(stack);
    tuned.api.routes['GET /search'] = { rate: 3, burst: 6 };
    tuned.api.routeFunctions = { ...tuned.api.routeFunctions, 'GET /search': 'lambda' };
    const patch = serverlessPatch(stack, tuned, targets);
    expect((parseYaml(patch) as any).functions.app.events).toEqual([
      { http: { path: '{proxy+}', method: 'any', authorizer: 'aws_iam' } },
      { http: { path: 'search', method: 'get', authorizer: 'aws_iam', throttling: { maxRequestsPerSecond: 3, maxConcurrentRequests: 6 } } },
    ]);
    expect(patch).toContain('# note: GET /search is a route of its own only in the tuned stack (ANY /{proxy+} serves it now)');
    const model = readMergedSls(text, patch);
    const api = model.apis.find((a) => a.id === 'ApiGatewayRestApi')!;
    expect(api.routes.map((r) => [r.key, r.auth, r.throttle])).toEqual([
      ['ANY /{proxy+}', 'iam', undefined],
      ['GET /search', 'iam', { rate: 3, burst: 6 }],
    ]);
    // the plugin needs its custom block: the account's limits stand for "no stage throttle"
    expect(readBack(model).api.stage).toEqual({ rate: 10000, burst: 5000 });
  });

  it("the plugin's own settings: a stage throttle dropped, an event throttle removed, plugins: { modules } kept in its form", () => {
    const text = [
      'service: shop',
      'plugins:',
      '  modules:',
      '    - serverless-api-gateway-throttling',
      'provider: { name: aws, stage: prod }',
      'custom:',
      '  apiGatewayThrottling: { maxRequestsPerSecond: 500, maxConcurrentRequests: 900 }',
      'functions:',
      '  search:',
      '    handler: search.handler',
      '    events:',
      '      - http: { path: search, method: get, throttling: { maxRequestsPerSecond: 5 } }',
      '',
    ].join('\n');
    const { stack, targets } = source(written(text));
    expect(stack.api.stage).toEqual({ rate: 500, burst: 900 });
    expect(stack.api.routes['GET /search']).toEqual({ rate: 5, burst: 900 });
    const tuned = structuredClone(stack);
    delete tuned.api.stage;
    tuned.api.routes['GET /search'] = null;
    const patch = serverlessPatch(stack, tuned, targets);
    const p = parseYaml(patch) as any;
    expect(p.plugins).toBeUndefined(); // listed already
    expect(p.custom.apiGatewayThrottling).toEqual({ maxRequestsPerSecond: 10000, maxConcurrentRequests: 5000 });
    expect(p.functions.search.events).toEqual([{ http: { path: 'search', method: 'get' } }]);
    const doc = readBack(readMergedSls(text, patch));
    expect(doc.api.stage).toEqual({ rate: 10000, burst: 5000 });
    expect(doc.api.routes['GET /search']).toEqual({});

    // the plugin switched off (enabled: false): switched on again for the tuned throttles
    const off = text.replace('{ maxRequestsPerSecond: 500,', '{ enabled: false, maxRequestsPerSecond: 500,');
    const o = source(written(off));
    expect(o.stack.api.stage).toBeUndefined();
    const on = structuredClone(o.stack);
    on.api.stage = { rate: 30, burst: 60 };
    const onPatch = serverlessPatch(o.stack, on, o.targets);
    expect((parseYaml(onPatch) as any).custom.apiGatewayThrottling).toEqual({ enabled: true, maxRequestsPerSecond: 30, maxConcurrentRequests: 60 });
    expect(readBack(readMergedSls(off, onPatch)).api.stage).toEqual({ rate: 30, burst: 60 });
  });

  it('the web ACL the file defines gets its rate rule in place (name and priority kept); removing its only rule deletes it', () => {
    const text = [
      'service: shop',
      'plugins: [serverless-associate-waf]',
      'provider: { name: aws, stage: prod }',
      'custom:',
      '  associateWaf: { name: shop-acl, version: V2 }',
      'functions:',
      '  search:',
      '    handler: search.handler',
      '    events: [{ http: { path: search, method: get } }]',
      'resources:',
      '  Resources:',
      '    ShopAcl:',
      '      Type: AWS::WAFv2::WebACL',
      '      Properties:',
      '        Name: shop-acl',
      '        Scope: REGIONAL',
      '        DefaultAction: { Allow: {} }',
      '        Rules:',
      '          - { Name: per-ip, Priority: 4, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: IP } } }',
      '',
    ].join('\n');
    const { stack, targets } = source(written(text));
    expect(stack.waf).toMatchObject({ rules: 1, rateLimit: { limit: 2000, windowSeconds: 300 } });
    const tuned = structuredClone(stack);
    tuned.waf = { rules: 1, rateLimit: { ...rateRule, limit: 150 } };
    const patch = serverlessPatch(stack, tuned, targets);
    const p = parseYaml(patch) as any;
    expect(p.custom).toBeUndefined();
    expect(p.plugins).toBeUndefined();
    expect(p.resources.Resources.ShopAcl.Properties.Rules).toMatchObject([{ Name: 'per-ip', Priority: 4, Statement: { RateBasedStatement: { Limit: 150, EvaluationWindowSec: 60 } } }]);
    expect(readBack(readMergedSls(text, patch)).waf).toEqual({ rules: 1, rateLimit: { limit: 150, window: '60s' } });

    const none = structuredClone(stack);
    delete none.waf;
    const drop = serverlessPatch(stack, none, targets);
    expect(drop).toContain('# delete: ShopAcl — AWS::WAFv2::WebACL: its only rule was the rate-based rule');
    expect(drop).toContain('# note: custom.associateWaf: remove its name');
    expect(readBack(readMergedSls(text, drop)).waf).toBeUndefined();
  });

  it("usage plans where the file writes them: provider.apiGateway.usagePlan's throttle and quota (the Framework's docs example)", () => {
    const file = `${CORPUS}/docs-v3-apikeys-usageplan/serverless.yml`;
    const text = readFileSync(file, 'utf8');
    const { stack, targets } = source(file);
    // the example: quota 5000 a month from day 2, throttle 100/s burst 200
    expect(stack.api.usagePlans).toEqual([expect.objectContaining({ throttle: { rate: 100, burst: 200 }, quota: { limit: 5000, period: 'MONTH', offset: 2 } })]);
    const tuned = structuredClone(stack);
    tuned.api.usagePlans[0].throttle = { rate: 10, burst: 20 };
    tuned.api.usagePlans[0].quota = { limit: 40000, period: 'DAY', offset: 0 };
    const patch = serverlessPatch(stack, tuned, targets);
    expect((parseYaml(patch) as any).provider.apiGateway.usagePlan).toEqual({ throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 40000, period: 'DAY', offset: 0 } });
    const merged = mergeSlsPatch(text, patch);
    expect(merged.provider.apiGateway.apiKeys).toHaveLength(5); // the keys stay
    expect(patch).not.toMatch(/myThirdKeyValue|myFourthKeyValue|apiKeys/); // and are never repeated: their values are secrets
    expect(readBack(readMergedSls(text, patch)).api.usagePlans).toEqual([expect.objectContaining({ throttle: { rate: 10, burst: 20 }, quota: { limit: 40000, period: 'DAY', offset: 0 } })]);
  });

  it('a list of named usage plans is written whole, only the changed plan different (the Framework docs example)', () => {
    const file = `${CORPUS}/docs-v3-multiple-usageplans/serverless.yml`;
    const text = readFileSync(file, 'utf8');
    const { stack, targets } = source(file);
    const names = stack.api.usagePlans.map((p) => p.name);
    expect(names.length).toBeGreaterThan(1);
    const tuned = structuredClone(stack);
    tuned.api.usagePlans[1].throttle = { rate: 3, burst: 6 };
    delete tuned.api.usagePlans[1].quota;
    const patch = serverlessPatch(stack, tuned, targets);
    expect(patch).toContain(`is your list with plan ${names[1]}'s throttle and quota changed (the list replaces yours)`);
    const back = readBack(readMergedSls(text, patch)).api.usagePlans as { name: string; throttle?: unknown; quota?: unknown }[];
    expect(back.map((p) => p.name)).toEqual(names);
    expect(back[1].throttle).toEqual({ rate: 3, burst: 6 });
    expect(stack.api.usagePlans[1].quota).toBeDefined();
    expect(back[1].quota).toBeUndefined();
    expect(back[0]).toEqual(readBack(readMergedSls(text, '')).api.usagePlans[0]);
    // a plan's throttle dropped: gone from its entry
    const unthrottled = structuredClone(stack);
    delete unthrottled.api.usagePlans[1].throttle;
    const again = readBack(readMergedSls(text, serverlessPatch(stack, unthrottled, targets))).api.usagePlans as { throttle?: unknown; quota?: unknown }[];
    expect(again[1].throttle).toBeUndefined();
    expect(again[1].quota).toBeDefined();
  });
  it('says what it cannot write as keys: removals, a web ACL named elsewhere, method any; a plugin added to plugins.modules in that form', () => {
    const text = [
      'service: shop',
      'plugins:',
      '  modules: [serverless-offline, serverless-associate-waf]',
      'provider:',
      '  name: aws',
      '  stage: prod',
      '  apiGateway:',
      '    usagePlan:',
      '      throttle: { rateLimit: 10, burstLimit: 20 }',
      '      quota: { limit: 1000, period: DAY }',
      'custom:',
      '  associateWaf: { name: shared-acl, version: V2 }',
      'functions:',
      '  app:',
      '    handler: app.handler',
      '    reservedConcurrency: 40',
      '    events:',
      '      - http: { path: "{proxy+}", method: any, private: true }',
      '',
    ].join('\n');
    const { stack, targets } = source(written(text));
    expect(stack.lambda.reservedConcurrency).toBe(40);
    const tuned = structuredClone(stack);
    tuned.api.routes['ANY /{proxy+}'] = { rate: 4, burst: 8 };
    delete tuned.api.usagePlans[0].throttle;
    delete tuned.api.usagePlans[0].quota;
    delete tuned.lambda.reservedConcurrency;
    tuned.waf = { rules: 1, rateLimit: rateRule };
    const patch = serverlessPatch(stack, tuned, targets);
    const p = parseYaml(patch) as any;
    expect(p.plugins).toEqual({ modules: ['serverless-offline', 'serverless-associate-waf', 'serverless-api-gateway-throttling'] });
    expect(patch).toContain('# note: serverless-api-gateway-throttling is a plugin the Framework needs installed: npm install --save-dev serverless-api-gateway-throttling');
    expect(patch).toContain('# note: provider.apiGateway.usagePlan: remove throttle (rate 10, burst 20 now): the tuned stack has none');
    expect(patch).toContain('# note: provider.apiGateway.usagePlan: remove quota (1000 a day now): the tuned stack has none');
    expect(patch).toContain('# note: functions.app: remove reservedConcurrency (40 now): the tuned stack reserves none');
    expect(patch).toContain('# note: custom.associateWaf named "shared-acl", a web ACL not defined in the file');
    expect(patch).toContain('# note: for an event of method any, the plugin sets the throttle on GET, DELETE, HEAD, OPTIONS, PATCH, POST and PUT, a bucket each');
    expect(p.provider).toBeUndefined();
    expect(p.functions.app.events).toEqual([{ http: { path: '{proxy+}', method: 'any', private: true, throttling: { maxRequestsPerSecond: 4, maxConcurrentRequests: 8 } } }]);
    expect(p.custom.associateWaf).toEqual({ name: 'shop-${sls:stage}-rate-limit', version: 'V2' });
  });
});
