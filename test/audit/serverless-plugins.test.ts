/**
 * The Serverless Framework sets no stage or route throttle and no web ACL of its own; the plugins
 * users add for them are read: serverless-api-gateway-throttling (its README and
 * ApiGatewayThrottlingSettings.js: `custom.apiGatewayThrottling` sets the stage, each event's
 * `throttling` its method, what either leaves out is 10,000 / 5,000 or the stage's, `disabled: true`
 * is -1) and serverless-associate-waf (`custom.associateWaf: { name, version: V2 }`). Expected values
 * are the files' own numbers.
 */
import { describe, expect, it } from 'vitest';
import { readServerless } from '../../src/audit/read/serverless.ts';
import { deriveStack } from '../../src/audit/stack-document.ts';

const FUNCTIONS = [
  'functions:',
  '  items:',
  '    handler: items.handler',
  '    events:',
  '      - http: GET items',
  '  search:',
  '    handler: search.handler',
  '    events:',
  '      - http:',
  '          path: search',
  '          method: get',
  '          throttling:',
  '            maxRequestsPerSecond: 5',
  '      - httpApi:',
  '          path: /h',
  '          method: post',
  '          throttling: { maxConcurrentRequests: 7 }',
];

/** The same routes without throttling of their own. */
const PLAIN_FUNCTIONS = FUNCTIONS.filter((l) => !/throttling|maxRequestsPerSecond/.test(l));

function read(lines: string[]) {
  return readServerless(['service: shop', 'provider:', '  name: aws', '  stage: prod', ...lines, ''].join('\n'), '/repo/serverless.yml');
}

describe('serverless.yml: serverless-api-gateway-throttling', () => {
  it('sets the REST and HTTP API stages from custom.apiGatewayThrottling (10,000 / 5,000 for what it leaves out) and an event its own throttle over them', () => {
    const m = read(['plugins:', '  - serverless-api-gateway-throttling', 'custom:', '  apiGatewayThrottling:', '    maxRequestsPerSecond: 500', ...FUNCTIONS]);
    const rest = m.apis.find((a) => a.kind === 'rest')!;
    const http = m.apis.find((a) => a.kind === 'http')!;
    expect(rest.stage).toEqual({ rate: 500, burst: 5000 });
    expect(http.stage).toEqual({ rate: 500, burst: 5000 });
    // GET /items sets none: it inherits the stage's; GET /search sets its rate, its burst is the stage's
    expect(rest.routes.map((r) => [r.key, r.throttle])).toEqual([
      ['GET /items', undefined],
      ['GET /search', { rate: 5, burst: 5000 }],
    ]);
    expect(http.routes.map((r) => [r.key, r.throttle])).toEqual([['POST /h', { rate: 500, burst: 7 }]]);
    expect(m.assumptions).toEqual([]);
  });

  it('plugins: { modules: [...] } lists it as well', () => {
    const m = read(['plugins:', '  modules:', '    - serverless-api-gateway-throttling', 'custom:', '  apiGatewayThrottling: { maxRequestsPerSecond: 20, maxConcurrentRequests: 40 }', ...FUNCTIONS]);
    expect(m.apis.find((a) => a.kind === 'rest')!.stage).toEqual({ rate: 20, burst: 40 });
  });

  it('without the plugin in plugins nothing applies custom.apiGatewayThrottling: no throttle, and an assumption says why', () => {
    const m = read(['plugins:', '  - serverless-offline', 'custom:', '  apiGatewayThrottling: { maxRequestsPerSecond: 20 }', ...FUNCTIONS]);
    const rest = m.apis.find((a) => a.kind === 'rest')!;
    expect(rest.stage).toBeUndefined();
    expect(rest.routes.every((r) => r.throttle === undefined)).toBe(true);
    expect(m.assumptions.map((a) => a.message)).toEqual([
      'custom.apiGatewayThrottling is set but plugins does not list serverless-api-gateway-throttling: nothing applies it, read as no throttle',
      // the events' own throttling: the same plugin's
      'throttling is a setting of serverless-api-gateway-throttling, which the file does not set up (plugins and custom.apiGatewayThrottling): nothing applies it, read as no throttle',
      'throttling is a setting of serverless-api-gateway-throttling, which the file does not set up (plugins and custom.apiGatewayThrottling): nothing applies it, read as no throttle',
    ]);
    expect(m.assumptions.map((a) => a.line)).toEqual([8, 20, 25]); // custom.apiGatewayThrottling, then each event's throttling
  });

  it('enabled: false sets nothing; an event with throttling.disabled has no throttle of its own, and an assumption says the stage still applies', () => {
    const off = read(['plugins: [serverless-api-gateway-throttling]', 'custom:', '  apiGatewayThrottling: { enabled: false, maxRequestsPerSecond: 20 }', ...FUNCTIONS]);
    expect(off.apis.map((a) => a.stage)).toEqual([undefined, undefined]);
    const disabled = read([
      'plugins: [serverless-api-gateway-throttling]',
      'custom:',
      '  apiGatewayThrottling: { maxRequestsPerSecond: 20, maxConcurrentRequests: 40 }',
      'functions:',
      '  items:',
      '    handler: items.handler',
      '    events:',
      '      - http: { path: items, method: get, throttling: { disabled: true } }',
    ]);
    expect(disabled.apis[0].routes[0].throttle).toBeUndefined();
    // -1 on a method makes it inherit the stage's values (the plugin's author, PR #11): the route takes the stage's
    const stack = deriveStack(disabled, disabled.apis[0]).stack;
    expect(stack.api.stage).toEqual({ rate: 20, burst: 40 });
    expect(stack.api.routes['GET /items']).toBeNull();
    // throttling: {} sets neither value: the method gets the stage's, as inherited
    const empty = read(['plugins: [serverless-api-gateway-throttling]', 'custom:', '  apiGatewayThrottling: { maxRequestsPerSecond: 20 }', 'functions:', '  items:', '    handler: items.handler', '    events: [{ http: { path: items, method: get, throttling: {} } }]']);
    expect(empty.apis[0].routes[0].throttle).toBeUndefined();
    expect(empty.apis[0].stage).toEqual({ rate: 20, burst: 5000 });
    expect(disabled.assumptions.map((a) => [a.line, a.message])).toEqual([[12, "throttling.disabled sets this method's limits to -1, which leaves the method the stage's throttle (as the plugin's author observed), not none: dowsim applies the stage's"]]);
  });

  it('a value left open (${env:…}) is an assumption and the plugin default stands for it', () => {
    const m = read(['plugins: [serverless-api-gateway-throttling]', 'custom:', '  apiGatewayThrottling:', '    maxRequestsPerSecond: ${env:RATE}', '    maxConcurrentRequests: 40', ...FUNCTIONS]);
    expect(m.apis[0].stage).toEqual({ rate: 10000, burst: 40 });
    expect(m.assumptions.map((a) => a.message)).toEqual(['apiGatewayThrottling.maxRequestsPerSecond cannot be determined from the file (${env:RATE}); the default is used']);
  });
});

describe('serverless.yml: serverless-associate-waf', () => {
  const ACL = [
    'resources:',
    '  Resources:',
    '    ShopAcl:',
    '      Type: AWS::WAFv2::WebACL',
    '      Properties:',
    '        Name: shop-${sls:stage}-acl',
    '        Scope: REGIONAL',
    '        DefaultAction: { Allow: {} }',
    '        Rules:',
    '          - Name: common',
    '            Priority: 0',
    '            Statement: { ManagedRuleGroupStatement: { VendorName: AWS, Name: AWSManagedRulesCommonRuleSet } }',
    '          - Name: per-ip',
    '            Priority: 3',
    '            Action: { Block: {} }',
    '            Statement: { RateBasedStatement: { Limit: 250, AggregateKeyType: IP, EvaluationWindowSec: 120 } }',
  ];

  it('reads the web ACL resources.Resources defines under the name custom.associateWaf gives (WAFv2): its rules and rate rule', () => {
    const m = read(['plugins: [serverless-associate-waf]', 'custom:', '  associateWaf: { name: shop-prod-acl, version: V2 }', ...PLAIN_FUNCTIONS, ...ACL]);
    const rest = m.apis.find((a) => a.kind === 'rest')!;
    expect(rest.waf).toMatchObject({ rules: 2, rateLimit: { limit: 250, windowSeconds: 120 }, acl: 'ShopAcl', rateRule: { name: 'per-ip', priority: 3 }, priorities: [0] });
    expect(rest.waf!.loc.line).toBe(7);
    // an HTTP API takes no web ACL
    expect(m.apis.find((a) => a.kind === 'http')!.waf).toBeUndefined();
    expect(m.assumptions).toEqual([]);
  });

  it('no web ACL without the plugin, for WAF Classic (version Regional, the default), or for a name the file does not define', () => {
    expect(read(['custom:', '  associateWaf: { name: shop-prod-acl, version: V2 }', ...PLAIN_FUNCTIONS, ...ACL]).apis[0].waf).toBeUndefined();
    const classic = read(['plugins: [serverless-associate-waf-v3]', 'custom:', '  associateWaf: { name: shop-prod-acl }', ...PLAIN_FUNCTIONS, ...ACL]);
    expect(classic.apis[0].waf).toBeUndefined();
    expect(classic.assumptions.map((a) => a.message)).toEqual(['custom.associateWaf names a WAF Classic web ACL (version Regional); its rules are not read']);
    const elsewhere = read(['plugins: [serverless-associate-waf]', 'custom:', '  associateWaf: { name: shared-acl, version: V2 }', ...PLAIN_FUNCTIONS, ...ACL]);
    expect(elsewhere.apis[0].waf).toBeUndefined();
    expect(elsewhere.assumptions.map((a) => a.message)).toEqual(['web ACL "shared-acl" (custom.associateWaf) is not defined in resources.Resources; its rules are not read']);
  });
});
