import { describe, expect, it } from 'vitest';
import { checkTarget, isLoopbackHost } from '../../src/run/target.ts';
import { InputError } from '../../src/model/errors.ts';

describe('target safety', () => {
  it('always allows loopback, without --allow-target or a bound', () => {
    for (const url of ['http://127.0.0.1:8787/', 'http://localhost:3000/prod', 'http://[::1]:8080', 'http://127.9.9.9/']) {
      expect(checkTarget(url, { allowTargets: [], bounded: false }).loopback).toBe(true);
    }
  });

  it('does not mistake look-alike names for loopback', () => {
    for (const h of ['127.0.0.1.example.invalid', 'localhost.example.invalid', '10.0.0.1', '0.0.0.0', '128.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('refuses a host not named with --allow-target, and names the flag', () => {
    const go = () => checkTarget('https://api.example.invalid/prod', { allowTargets: ['other.example.invalid'], bounded: true });
    expect(go).toThrow(InputError);
    expect(go).toThrow(/add --allow-target api\.example\.invalid/);
  });

  it('refuses an allowed host when the run is unbounded', () => {
    expect(() => checkTarget('https://api.example.invalid/prod', { allowTargets: ['api.example.invalid'], bounded: false })).toThrow(/--duration.*--max-requests/);
  });

  it('accepts an allowed, bounded host given as host, host:port or URL, and keeps its base path', () => {
    for (const allow of ['api.example.invalid', 'API.example.invalid:443', 'https://api.example.invalid/anything']) {
      const t = checkTarget('https://api.example.invalid/prod/', { allowTargets: [allow], bounded: true });
      expect(t).toMatchObject({ origin: 'https://api.example.invalid', basePath: '/prod', loopback: false });
    }
  });

  it('never keeps credentials from the URL in what it shows', () => {
    const t = checkTarget('http://user:s3cret@127.0.0.1:9/prod', { allowTargets: [], bounded: false });
    expect(JSON.stringify(t)).not.toMatch(/s3cret|user/);
  });

  it('refuses a target with a query, as k6 does, without echoing the query (it may hold a token)', () => {
    for (const url of ['http://127.0.0.1:9/prod?token=s3cr3tq', 'http://127.0.0.1:9/?', 'http://127.0.0.1:9/prod?']) {
      let message = '';
      try {
        checkTarget(url, { allowTargets: [], bounded: true });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/--target: a base URL cannot carry a query/);
      expect(message).not.toMatch(/token|s3cr3tq/);
    }
  });

  it('rejects what is not an http(s) URL', () => {
    expect(() => checkTarget('ftp://127.0.0.1/', { allowTargets: [], bounded: true })).toThrow(/http/);
    expect(() => checkTarget('not a url', { allowTargets: [], bounded: true })).toThrow(/--target/);
  });
});
