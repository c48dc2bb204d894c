import { describe, expect, it } from 'vitest';
import { loadStack } from '../../src/stack/load.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { matchRoute } from '../../src/stack/routes.ts';

function withRoutes(routes: Record<string, object>, kind = 'rest') {
  return parseStack(JSON.stringify({ name: 'r', api: { kind, routes }, lambda: { memoryMb: 512 } }));
}

describe('matchRoute', () => {
  const stack = withRoutes({
    'GET /pets/dog/1': { rate: 1, burst: 1 },
    'GET /pets/dog/{id}': { rate: 2, burst: 2 },
    'GET /pets/{proxy+}': { rate: 3, burst: 3 },
    'ANY /{proxy+}': {},
    'ANY /pets/dog/{id}': { rate: 4, burst: 4 },
    'POST /pets': { rate: 5, burst: 5 },
    'ANY /': {},
  });

  it('an exact path beats a {param}, which beats a {proxy+} (AWS\'s /pets/dog example)', () => {
    expect(matchRoute(stack, 'GET', '/pets/dog/1')).toEqual({ key: 'GET /pets/dog/1', throttle: { rate: 1, burst: 1 } });
    expect(matchRoute(stack, 'GET', '/pets/dog/2')).toEqual({ key: 'GET /pets/dog/{id}', throttle: { rate: 2, burst: 2 } });
    expect(matchRoute(stack, 'GET', '/pets/cat/2')).toEqual({ key: 'GET /pets/{proxy+}', throttle: { rate: 3, burst: 3 } });
    expect(matchRoute(stack, 'GET', '/pets/cat/2/toys')?.key).toBe('GET /pets/{proxy+}');
  });

  it('an exact method beats ANY on the same path; ANY serves the other methods', () => {
    expect(matchRoute(stack, 'GET', '/pets/dog/7')?.key).toBe('GET /pets/dog/{id}');
    expect(matchRoute(stack, 'DELETE', '/pets/dog/7')).toEqual({ key: 'ANY /pets/dog/{id}', throttle: { rate: 4, burst: 4 } });
    expect(matchRoute(stack, 'post', '/pets')?.key).toBe('POST /pets');
  });

  it('path specificity comes before method: ANY /pets/dog/{id} beats GET /pets/{proxy+} for DELETE… and GET', () => {
    expect(matchRoute(stack, 'PUT', '/pets/dog/7')?.key).toBe('ANY /pets/dog/{id}');
  });

  it('a route declared {} matches without a throttle of its own', () => {
    expect(matchRoute(stack, 'GET', '/orders/9')).toEqual({ key: 'ANY /{proxy+}' });
  });

  it('{proxy+} needs at least one segment: the root needs its own route', () => {
    expect(matchRoute(stack, 'GET', '/')).toEqual({ key: 'ANY /' });
    const noRoot = withRoutes({ 'ANY /{proxy+}': {} });
    expect(matchRoute(noRoot, 'GET', '/')).toBeUndefined();
  });

  it('query strings and a trailing slash do not change the match', () => {
    expect(matchRoute(stack, 'GET', '/pets/dog/1?x=1')?.key).toBe('GET /pets/dog/1');
    expect(matchRoute(stack, 'GET', '/pets/dog/1/')?.key).toBe('GET /pets/dog/1');
  });

  it('a request no route matches is undefined (API Gateway answers 403)', () => {
    const narrow = withRoutes({ 'GET /items': { rate: 1, burst: 2 }, 'GET /items/{id}': {} });
    expect(matchRoute(narrow, 'POST', '/items')).toBeUndefined();
    expect(matchRoute(narrow, 'GET', '/search')).toBeUndefined();
    expect(matchRoute(narrow, 'GET', '/items/1/2')).toBeUndefined();
    expect(matchRoute(narrow, 'GET', '/items/1')).toEqual({ key: 'GET /items/{id}' });
  });

  it('with no routes declared every request matches ANY /{proxy+}, unthrottled', () => {
    const open = loadStack('rest-unprotected');
    for (const [m, p] of [['GET', '/'], ['POST', '/a/b/c'], ['DELETE', '/x?y']]) {
      expect(matchRoute(open, m, p)).toEqual({ key: 'ANY /{proxy+}' });
    }
  });

  it('a function URL has no routes: every request reaches the function', () => {
    expect(matchRoute(loadStack('function-url-reserved'), 'PATCH', '/anything')).toEqual({ key: 'ANY /{proxy+}' });
  });

  it('an HTTP API\'s $default matches only what no other route does', () => {
    const http = withRoutes({ $default: { rate: 1, burst: 1 }, 'GET /a': {} }, 'http');
    expect(matchRoute(http, 'GET', '/a')).toEqual({ key: 'GET /a' });
    expect(matchRoute(http, 'GET', '/')).toEqual({ key: '$default', throttle: { rate: 1, burst: 1 } });
    expect(matchRoute(http, 'POST', '/a/b')?.key).toBe('$default');
  });

  it('the built-in HTTP stack throttles /search on its own route and lets other paths through', () => {
    const http = loadStack('http-route-throttled');
    expect(matchRoute(http, 'GET', '/search')).toEqual({ key: 'GET /search', throttle: { rate: 20, burst: 40 } });
    expect(matchRoute(http, 'GET', '/items/42')?.key).toBe('GET /items/{id}');
    expect(matchRoute(http, 'POST', '/upload')?.key).toBe('POST /upload');
    expect(matchRoute(http, 'GET', '/robots.txt')).toEqual({ key: 'ANY /{proxy+}' });
  });
});
