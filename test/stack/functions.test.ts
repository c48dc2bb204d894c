import { describe, expect, it } from 'vitest';
import { concurrencyPlan, functionOfRoute, stackFunctions } from '../../src/stack/functions.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { problemAt, problemsOf } from '../scenario/problems-of.ts';

const ORDERS_API = `name: orders-api
api:
  kind: http
  routes:
    "GET /items": {}
    "POST /orders": { rate: 10, burst: 20, function: orders }
    "GET /search": { function: search }
lambda: { memoryMb: 512, duration: 100ms }
functions:
  - { name: orders, memoryMb: 2048, architecture: arm64, duration: 300ms, reservedConcurrency: 50 }
  - { name: search, memoryMb: 1024, functionName: search-prod }
`;

describe('a stack with several functions', () => {
  const s = parseStack(ORDERS_API, 'orders.yaml');

  it('fills every function key with the defaults of lambda', () => {
    expect(s.functions).toEqual([
      {
        name: 'orders',
        functionName: 'orders',
        memoryMb: 2048,
        architecture: 'arm64',
        duration: { p50: 0.3, p99: 0.3 },
        initDuration: 0.3,
        idleTimeout: 600,
        reservedConcurrency: 50,
        timeout: 3,
        logBytesPerInvocation: 300,
        errorRate: 0,
        scaling: { environments: 1000, perSeconds: 10 },
      },
      expect.objectContaining({ name: 'search', functionName: 'search-prod', memoryMb: 1024, architecture: 'x86_64' }),
    ]);
  });

  it('routes name their function; routes that name none use lambda', () => {
    expect(s.api.routes['POST /orders']).toEqual({ rate: 10, burst: 20 });
    expect(functionOfRoute(s, 'POST /orders')).toBe('orders');
    expect(functionOfRoute(s, 'GET /search')).toBe('search');
    expect(functionOfRoute(s, 'GET /items')).toBe('lambda');
    expect(functionOfRoute(s, undefined)).toBe('lambda');
    expect(stackFunctions(s).map((f) => f.name)).toEqual(['lambda', 'orders', 'search']);
    expect(stackFunctions(s)[0].functionName).toBe('orders-api');
  });

  it('reserved concurrency is carved out of the account: 1,000 − 50 = 950 shared by lambda and search', () => {
    expect(concurrencyPlan(s)).toEqual({ limits: [950, 50, 950], unreserved: 950, shared: [0, 2] });
  });

  it('a stack without functions keeps its shape: no functions, no routeFunctions', () => {
    const one = parseStack('name: one\napi: { kind: rest }\nlambda: { memoryMb: 256, reservedConcurrency: 10 }\n');
    expect(one.functions).toBeUndefined();
    expect(one.api.routeFunctions).toBeUndefined();
    expect(concurrencyPlan(one)).toEqual({ limits: [10], unreserved: 990, shared: [] });
  });
});

describe('function mistakes are reported all at once, each with its path', () => {
  it('unknown, duplicate and reserved names, and reserved concurrency leaving less than 100 unreserved', () => {
    const text = `name: bad
api:
  kind: rest
  routes:
    "POST /orders": { function: order }
    "GET /items": { function: nowhere }
lambda: { memoryMb: 512, reservedConcurrency: 500 }
functions:
  - { name: orders, memoryMb: 1024, reservedConcurrency: 300 }
  - { name: orders, memoryMb: 1024, reservedConcurrency: 150 }
  - { name: lambda, memoryMb: 128 }
`;
    const problems = problemsOf(() => parseStack(text, 'bad.yaml'));
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        'api.routes["GET /items"].function',
        'api.routes["POST /orders"].function',
        'functions[1].name',
        'functions[1].reservedConcurrency',
        'functions[2].name',
      ].sort(),
    );
    expect(problemAt(problems, 'api.routes["POST /orders"].function').message).toMatch(/lambda, orders.*did you mean "orders"/);
    expect(problemAt(problems, 'functions[1].name').message).toMatch(/unique.*functions\[0\]/);
    expect(problemAt(problems, 'functions[2].name').message).toMatch(/other than "lambda"/);
    // 500 + 300 + 150 = 950 > 1,000 − 100 = 900
    expect(problemAt(problems, 'functions[1].reservedConcurrency').message).toMatch(/at most accountConcurrency − 100 = 900.*got 950 over 3 functions \(500 \+ 300 \+ 150\)/);
  });

  it('a function without memoryMb, and p99 below p50 in a function', () => {
    const text = `name: bad\napi: { kind: rest }\nlambda: { memoryMb: 512 }\nfunctions:\n  - { name: a, duration: { p50: 2s, p99: 1s } }\n`;
    const problems = problemsOf(() => parseStack(text));
    expect(problemAt(problems, 'functions[0].memoryMb').message).toMatch(/missing|expected/);
    expect(problemAt(problems, 'functions[0].duration.p99').message).toMatch(/p99 ≥ p50/);
  });

  it('account concurrency belongs to lambda, not to a function', () => {
    const text = `name: bad\napi: { kind: rest }\nlambda: { memoryMb: 512 }\nfunctions:\n  - { name: a, memoryMb: 512, accountConcurrency: 10 }\n`;
    expect(problemAt(problemsOf(() => parseStack(text)), 'functions[0].accountConcurrency').message).toMatch(/unknown key/);
  });

  it('a function URL has one function', () => {
    const text = `name: bad\napi: { kind: function-url }\nlambda: { memoryMb: 512 }\nfunctions:\n  - { name: a, memoryMb: 512 }\n`;
    expect(problemAt(problemsOf(() => parseStack(text)), 'functions').message).toMatch(/one function/);
  });
});
