import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInNames, PACKAGE_ROOT } from '../../src/input/builtins.ts';
import { accountDefaults, NEWER_REGIONS } from '../../src/stack/account-defaults.ts';
import { loadStack } from '../../src/stack/load.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { problemAt, problemsOf } from '../scenario/problems-of.ts';

const MINIMAL = 'name: tiny\napi: { kind: rest }\nlambda: { memoryMb: 256 }\n';

function stack(extra: string, kind = 'rest'): string {
  return `name: s\napi:\n  kind: ${kind}\nlambda:\n  memoryMb: 512\n${extra}`;
}

describe('built-in stacks', () => {
  const names = builtInNames('stack');

  it('are the six DESIGN lists, by their exact names, rest-alarmed (alarms and budgets) and the two orders APIs with several functions', () => {
    expect(names).toEqual([
      'function-url-reserved',
      'http-orders-route-throttled',
      'http-orders-stage-throttled',
      'http-route-throttled',
      'rest-alarmed',
      'rest-stage-throttled',
      'rest-unprotected',
      'rest-usage-plan',
      'rest-waf',
    ]);
  });

  for (const name of builtInNames('stack')) {
    it(`${name} parses, with 512 MB, a deployed section and a header comment`, () => {
      const s = loadStack(name);
      expect(s.name).toBe(name);
      expect(s.lambda.memoryMb).toBe(512);
      const text = readFileSync(join(PACKAGE_ROOT, 'stacks', `${name}.yaml`), 'utf8');
      expect(text.startsWith('#')).toBe(true);
      expect(text).toMatch(/^deployed:/m);
    });
  }

  it('rest-stage-throttled throttles the stage at 50 rps, burst 100', () => {
    const s = loadStack('rest-stage-throttled');
    expect(s.api.kind).toBe('rest');
    expect(s.api.stage).toEqual({ rate: 50, burst: 100 });
    expect(s.api.account).toEqual({ rate: 10000, burst: 5000 });
  });

  it('rest-unprotected has nothing but the account defaults', () => {
    const s = loadStack('rest-unprotected');
    expect(s.api.stage).toBeUndefined();
    expect(s.api.routes).toEqual({});
    expect(s.api.usagePlans).toEqual([]);
    expect(s.api.apiKeyRequired).toBe(false);
    expect(s.waf).toBeUndefined();
    expect(s.lambda.reservedConcurrency).toBeUndefined();
  });

  it('rest-usage-plan requires keys of plan basic: 10 rps, burst 20, 100,000 a day', () => {
    const s = loadStack('rest-usage-plan');
    expect(s.api.apiKeyRequired).toBe(true);
    expect(s.api.usagePlans).toEqual([
      { name: 'basic', throttle: { rate: 10, burst: 20 }, quota: { limit: 100000, period: 'DAY', offset: 0 } },
    ]);
    expect(s.api.stage).toEqual({ rate: 50, burst: 100 }); // stacks/rest-usage-plan.yaml: stage: { rate: 50, burst: 100 }
  });

  it('rest-waf blocks IPs above 2,000 requests per 5 minutes', () => {
    const s = loadStack('rest-waf');
    expect(s.waf).toEqual({ rules: 1, rateLimit: { limit: 2000, windowSeconds: 300, key: 'ip', delaySeconds: 30 } });
    expect(s.api.stage).toEqual({ rate: 50, burst: 100 }); // stacks/rest-waf.yaml: stage: { rate: 50, burst: 100 }
  });

  it('http-route-throttled is an HTTP API with route throttles and a catch-all route', () => {
    const s = loadStack('http-route-throttled');
    expect(s.api.kind).toBe('http');
    expect(s.api.integrationTimeout).toBe(30);
    expect(s.api.routes['ANY /{proxy+}']).toBeNull();
    expect(s.api.routes['GET /search']).toEqual({ rate: 20, burst: 40 });
  });

  it('function-url-reserved reserves 50 concurrency and has the function timeout as its limit', () => {
    const s = loadStack('function-url-reserved');
    expect(s.api.kind).toBe('function-url');
    expect(s.lambda.reservedConcurrency).toBe(50);
    expect(s.api.integrationTimeout).toBe(s.lambda.timeout);
  });
});

describe('defaults', () => {
  it('a minimal stack gets every documented default', () => {
    expect(parseStack(MINIMAL)).toEqual({
      name: 'tiny',
      region: 'us-east-1',
      api: {
        kind: 'rest',
        account: { rate: 10000, burst: 5000 },
        routes: {},
        apiKeyRequired: false,
        usagePlans: [],
        integrationTimeout: 29,
      },
      lambda: {
        memoryMb: 256,
        architecture: 'x86_64',
        duration: { p50: 0.1, p99: 0.1 },
        initDuration: 0.3,
        idleTimeout: 600,
        accountConcurrency: 1000,
        timeout: 3,
        logBytesPerInvocation: 300,
        errorRate: 0,
        scaling: { environments: 1000, perSeconds: 10 },
      },
      responseBytes: 1024,
      freeTier: false,
      deployed: { apiName: 'tiny', apiId: 'tiny', stage: 'prod', functionName: 'tiny' },
    });
  });

  it('the account throttle defaults to the Region\'s quota, lower in newer Regions', () => {
    expect(NEWER_REGIONS).toHaveLength(13);
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) expect(accountDefaults(region)).toEqual({ rate: 10000, burst: 5000 });
    for (const region of NEWER_REGIONS) expect(accountDefaults(region)).toEqual({ rate: 2500, burst: 1250 });
    expect(parseStack(MINIMAL.replace('name: tiny', 'name: tiny\nregion: eu-central-2')).api.account).toEqual({ rate: 2500, burst: 1250 });
  });

  it('the integration timeout is 29 s for REST, 30 s for HTTP, the function timeout for function URLs', () => {
    expect(parseStack(stack('')).api.integrationTimeout).toBe(29);
    expect(parseStack(stack('', 'http')).api.integrationTimeout).toBe(30);
    expect(parseStack(stack('  timeout: 45s\n', 'function-url')).api.integrationTimeout).toBe(45);
    expect(parseStack(stack('', 'function-url')).api.integrationTimeout).toBe(3);
  });

  it('WAF defaults: 1 rule; a rate rule keyed by IP over 5m with a 30s delay', () => {
    expect(parseStack(stack('waf:\n  rateLimit: { limit: 100 }\n')).waf).toEqual({
      rules: 1,
      rateLimit: { limit: 100, windowSeconds: 300, key: 'ip', delaySeconds: 30 },
    });
    expect(parseStack(stack('waf: {}\n')).waf).toEqual({ rules: 1 });
  });

  it('a duration of { p50, p99 } is kept; routes {} exist without a throttle; plans keep explicit keys', () => {
    const s = parseStack(`name: s
api:
  kind: rest
  routes: { "GET /a": {}, "POST /b/{id}": { rate: 5, burst: 10 } }
  usagePlans:
    - { name: gold, keys: ["abcdefghijklmnopqrstuvwxyz"], quota: { limit: 10, period: WEEK, offset: 3 } }
    - { name: silver, quota: { limit: 5, period: WEEK, offset: 6 }, routes: { "POST /b/{id}": { rate: 1, burst: 2 } } }
lambda: { memoryMb: 1024, duration: { p50: 80ms, p99: 900ms }, scaling: { per: 1m } }
deployed: { apiName: orders, stage: live }
`);
    expect(s.lambda.duration).toEqual({ p50: 0.08, p99: 0.9 });
    expect(s.lambda.scaling).toEqual({ environments: 1000, perSeconds: 60 });
    expect(s.api.routes).toEqual({ 'GET /a': null, 'POST /b/{id}': { rate: 5, burst: 10 } });
    expect(s.api.usagePlans[0]).toEqual({
      name: 'gold',
      keys: ['abcdefghijklmnopqrstuvwxyz'],
      quota: { limit: 10, period: 'WEEK', offset: 3 },
    });
    // an offset is a day (Saturday here), not a count of requests: above the limit is fine
    expect(s.api.usagePlans[1]).toEqual({ name: 'silver', quota: { limit: 5, period: 'WEEK', offset: 6 }, routes: { 'POST /b/{id}': { rate: 1, burst: 2 } } });
    expect(s.deployed).toEqual({ apiName: 'orders', apiId: 's', stage: 'live', functionName: 's' });
  });
});

describe('validation: each rule names its path', () => {
  const cases: [string, string, string, RegExp][] = [
    ['a missing name', 'api: { kind: rest }\nlambda: { memoryMb: 512 }\n', 'name', /missing/],
    ['a missing api kind', 'name: s\napi: {}\nlambda: { memoryMb: 512 }\n', 'api.kind', /missing: expected one of rest, http, function-url/],
    ['a missing memory size', 'name: s\napi: { kind: rest }\nlambda: {}\n', 'lambda.memoryMb', /missing/],
    ['memory below 128 MB', 'name: s\napi: { kind: rest }\nlambda: { memoryMb: 64 }\n', 'lambda.memoryMb', /≥ 128/],
    ['memory above 10,240 MB', 'name: s\napi: { kind: rest }\nlambda: { memoryMb: 20000 }\n', 'lambda.memoryMb', /≤ 10240/],
    ['a fractional memory size', 'name: s\napi: { kind: rest }\nlambda: { memoryMb: 512.5 }\n', 'lambda.memoryMb', /whole number/],
    ['an unknown api kind', 'name: s\napi: { kind: websocket }\nlambda: { memoryMb: 512 }\n', 'api.kind', /one of rest, http, function-url/],
    ['a bad region', 'name: s\nregion: virginia\napi: { kind: rest }\nlambda: { memoryMb: 512 }\n', 'region', /Region code/],
    ['a negative stage rate', stack('').replace('kind: rest', 'kind: rest\n  stage: { rate: -1, burst: 10 }'), 'api.stage.rate', /≥ 0/],
    ['a negative burst', stack('').replace('kind: rest', 'kind: rest\n  stage: { rate: 1, burst: -10 }'), 'api.stage.burst', /≥ 0/],
    ['a stage throttle without a burst', stack('').replace('kind: rest', 'kind: rest\n  stage: { rate: 1 }'), 'api.stage.burst', /missing/],
    ['a stage above the account', stack('').replace('kind: rest', 'kind: rest\n  stage: { rate: 20000, burst: 10 }'), 'api.stage.rate', /account's rate \(10000\)/],
    ['a typo in a throttle', stack('').replace('kind: rest', 'kind: rest\n  stage: { rate: 1, brust: 10 }'), 'api.stage.brust', /did you mean "burst"/],
    ['a lower-case route method', stack('').replace('kind: rest', 'kind: rest\n  routes: { "get /a": {} }'), 'api.routes["get /a"]', /upper case/],
    ['a route without a path', stack('').replace('kind: rest', 'kind: rest\n  routes: { "GET": {} }'), 'api.routes.GET', /route key like/],
    ['a greedy segment in the middle', stack('').replace('kind: rest', 'kind: rest\n  routes: { "GET /{proxy+}/a": {} }'), 'api.routes["GET /{proxy+}/a"]', /last segment/],
    ['two routes that are one to AWS', stack('').replace('kind: rest', 'kind: rest\n  routes: { "GET /a/{id}": {}, "GET /a/{x}": {} }'), 'api.routes["GET /a/{x}"]', /same route/],
    ['a route with rate but no burst', stack('').replace('kind: rest', 'kind: rest\n  routes: { "GET /a": { rate: 5 } }'), 'api.routes["GET /a"]', /both rate and burst/],
    ['$default on a REST API', stack('').replace('kind: rest', 'kind: rest\n  routes: { "$default": {} }'), 'api.routes.$default', /only on HTTP APIs/],
    ['usage plans on an HTTP API', stack('', 'http').replace('kind: http', 'kind: http\n  usagePlans: [{ name: basic }]'), 'api.usagePlans', /REST only/],
    ['apiKeyRequired on an HTTP API', stack('', 'http').replace('kind: http', 'kind: http\n  apiKeyRequired: true'), 'api.apiKeyRequired', /REST only/],
    ['WAF on an HTTP API', stack('waf: { rules: 1 }\n', 'http'), 'waf', /REST APIs/],
    ['WAF on a function URL', stack('waf: { rules: 1 }\n', 'function-url'), 'waf', /REST APIs/],
    ['usage plans on a function URL', stack('', 'function-url').replace('kind: function-url', 'kind: function-url\n  usagePlans: [{ name: basic }]'), 'api.usagePlans', /REST only/],
    ['a stage on a function URL', stack('', 'function-url').replace('kind: function-url', 'kind: function-url\n  stage: { rate: 1, burst: 1 }'), 'api.stage', /reservedConcurrency/],
    ['routes on a function URL', stack('', 'function-url').replace('kind: function-url', 'kind: function-url\n  routes: {}'), 'api.routes', /reservedConcurrency/],
    ['an account on a function URL', stack('', 'function-url').replace('kind: function-url', 'kind: function-url\n  account: { rate: 1, burst: 1 }'), 'api.account', /reservedConcurrency/],
    ['an HTTP integration timeout above 30 s', stack('', 'http').replace('kind: http', 'kind: http\n  integrationTimeout: 31s'), 'api.integrationTimeout', /at most 30s/],
    ['reserved concurrency eating the last 100', stack('  reservedConcurrency: 901\n'), 'lambda.reservedConcurrency', /at most accountConcurrency − 100 = 900/],
    ['p99 below p50', stack('  duration: { p50: 200ms, p99: 100ms }\n'), 'lambda.duration.p99', /p99 ≥ p50/],
    ['a typo inside duration', stack('  duration: { p50: 200ms, p95: 1s }\n'), 'lambda.duration.p95', /unknown key/],
    ['a duration without a unit', stack('  duration: 120\n'), 'lambda.duration', /expected a duration like "120ms"/],
    ['a timeout above 15 minutes', stack('  timeout: 16m\n'), 'lambda.timeout', /at most 15m/],
    ['an error rate above 1', stack('  errorRate: 1.5\n'), 'lambda.errorRate', /≤ 1/],
    ['an unknown architecture', stack('  architecture: arm\n'), 'lambda.architecture', /x86_64, arm64/],
    ['a WAF limit below 10', stack('waf: { rateLimit: { limit: 5 } }\n'), 'waf.rateLimit.limit', /≥ 10/],
    ['a WAF window AWS does not offer', stack('waf: { rateLimit: { limit: 50, window: 3m } }\n'), 'waf.rateLimit.window', /one of 1m, 2m, 5m, 10m/],
    ['a WAF key AWS does not offer', stack('waf: { rateLimit: { limit: 50, key: header } }\n'), 'waf.rateLimit.key', /ip, forwarded-ip/],
    ['a rate rule in a web ACL of 0 rules', stack('waf: { rules: 0, rateLimit: { limit: 50 } }\n'), 'waf.rules', /at least 1/],
    ['a quota period AWS does not offer', stack('').replace('kind: rest', 'kind: rest\n  usagePlans: [{ name: b, quota: { limit: 5, period: HOUR } }]'), 'api.usagePlans[0].quota.period', /DAY, WEEK, MONTH/],
    // AWS's offset is the day a period starts (QuotaSettings: "with a time period of WEEK, an offset of 0 starts on Sunday")
    ['a WEEK offset past Saturday', stack('').replace('kind: rest', 'kind: rest\n  usagePlans: [{ name: b, quota: { limit: 50, period: WEEK, offset: 7 } }]'), 'api.usagePlans[0].quota.offset', /0 \(Sunday\) to 6 \(Saturday\), got 7/],
    ['a MONTH offset past the 31st', stack('').replace('kind: rest', 'kind: rest\n  usagePlans: [{ name: b, quota: { limit: 50, period: MONTH, offset: 31 } }]'), 'api.usagePlans[0].quota.offset', /≤ 30/],
    ['a plan throttling a method the API does not declare', stack('').replace('kind: rest', 'kind: rest\n  routes: { "GET /a": {} }\n  usagePlans: [{ name: b, routes: { "GET /b": { rate: 1, burst: 1 } } }]'), 'api.usagePlans[0].routes["GET /b"]', /one of the routes in api.routes \("GET \/a"\)/],
    ['a plan method throttle without declared routes', stack('').replace('kind: rest', 'kind: rest\n  usagePlans: [{ name: b, routes: { "GET /b": { rate: 1, burst: 1 } } }]'), 'api.usagePlans[0].routes["GET /b"]', /declared in api.routes \(it has none\)/],
    ['a plan method throttle written unlike its route', stack('').replace('kind: rest', 'kind: rest\n  routes: { "GET /a/{id}": {} }\n  usagePlans: [{ name: b, routes: { "GET /a/{x}": { rate: 1, burst: 1 } } }]'), 'api.usagePlans[0].routes["GET /a/{x}"]', /as api.routes writes it: "GET \/a\/\{id\}"/],
    ['a plan method throttle without a burst', stack('').replace('kind: rest', 'kind: rest\n  routes: { "GET /a": {} }\n  usagePlans: [{ name: b, routes: { "GET /a": { rate: 1 } } }]'), 'api.usagePlans[0].routes["GET /a"].burst', /required|expected/],
    ['a plan method throttle above the account', stack('').replace('kind: rest', 'kind: rest\n  routes: { "GET /a": {} }\n  usagePlans: [{ name: b, routes: { "GET /a": { rate: 20000, burst: 1 } } }]'), 'api.usagePlans[0].routes["GET /a"].rate', /account's rate/],
    ['duplicate plan names', stack('').replace('kind: rest', 'kind: rest\n  usagePlans: [{ name: b }, { name: b }]'), 'api.usagePlans[1].name', /unique/],
    ['a plan named like a keyword', stack('').replace('kind: rest', 'kind: rest\n  usagePlans: [{ name: invalid }]'), 'api.usagePlans[0].name', /other than "invalid"/],
    ['a plan throttle above the account', stack('').replace('kind: rest', 'kind: rest\n  usagePlans: [{ name: b, throttle: { rate: 1, burst: 6000 } }]'), 'api.usagePlans[0].throttle.burst', /account's burst/],
    ['an unknown top-level key', `${MINIMAL}stage: prod\n`, 'stage', /unknown key/],
  ];
  for (const [what, text, path, message] of cases) {
    it(`${what} → ${path}`, () => {
      expect(problemAt(problemsOf(() => parseStack(text, 's.yaml')), path).message).toMatch(message);
    });
  }

  it('an explicit API key that is too short is reported without echoing it', () => {
    const secret = 'sekrit-key-value';
    const problems = problemsOf(() =>
      parseStack(stack('').replace('kind: rest', `kind: rest\n  usagePlans: [{ name: b, keys: ["${secret}", 12345] }]`)),
    );
    expect(problemAt(problems, 'api.usagePlans[0].keys[0]').message).toMatch(/at least 20 characters/);
    expect(problemAt(problems, 'api.usagePlans[0].keys[1]').message).toMatch(/expected a string, got a number/);
    for (const p of problems) expect(p.message).not.toContain(secret);
  });

  it('a duplicated explicit key is reported without echoing it', () => {
    const secret = 'abcdefghijklmnopqrstuvwxyz0123';
    const problems = problemsOf(() =>
      parseStack(stack('').replace('kind: rest', `kind: rest\n  usagePlans: [{ name: a, keys: ["${secret}"] }, { name: b, keys: ["${secret}"] }]`)),
    );
    expect(problemAt(problems, 'api.usagePlans[1].keys[0]').message).toMatch(/unique.*usagePlans\[0\]\.keys\[0\]/);
    for (const p of problems) expect(p.message).not.toContain(secret);
  });

  it('a file with 5 mistakes gets 5 problems with the 5 paths', () => {
    const text = `name: five
api:
  kind: http
  stage: { rate: 100, burst: -5 }
  usagePlans: [{ name: basic }]
lambda:
  memoryMb: 100
  reservedConcurrency: 950
waf: { rules: 1 }
`;
    expect(problemsOf(() => parseStack(text, 'five.yaml')).map((p) => p.path)).toEqual([
      'api.stage.burst',
      'api.usagePlans',
      'lambda.memoryMb',
      'lambda.reservedConcurrency',
      'waf',
    ]);
  });
});
