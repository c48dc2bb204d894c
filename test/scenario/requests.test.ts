import { describe, expect, it } from 'vitest';
import { describeCohort } from '../../src/scenario/describe.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { problemAt, problemsOf } from './problems-of.ts';

const MIXED = `name: mixed
cohorts:
  - name: users
    role: legit
    requests:
      - { method: GET, path: /items, weight: 8 }
      - { method: post, path: /orders, bodyBytes: 2048, weight: 2 }
    rate: [{ duration: 1h, rate: 100 }]
  - name: bots
    role: attack
    requests: [{ method: POST, path: /orders }]
    rate: [{ duration: 1h, rate: 20 }]
`;

describe('a cohort sending a weighted mix', () => {
  it('parses without a top-level request when every cohort has its own requests', () => {
    const s = parseScenario(MIXED, 'mixed.yaml');
    expect(s.cohorts[0].requests).toEqual([
      { method: 'GET', path: '/items', bodyBytes: 0, weight: 8 },
      { method: 'POST', path: '/orders', bodyBytes: 2048, weight: 2 },
    ]);
    expect(s.cohorts[1].requests).toEqual([{ method: 'POST', path: '/orders', bodyBytes: 0, weight: 1 }]);
  });

  it('fills what a mix entry leaves out from the scenario request', () => {
    const s = parseScenario(
      'name: s\nrequest: { method: PUT, path: /x, bodyBytes: 10 }\ncohorts:\n  - { name: c, role: attack, requests: [{ path: /y }, { weight: 3 }], rate: [{ duration: 1m, rate: 1 }] }\n',
    );
    expect(s.cohorts[0].requests).toEqual([
      { method: 'PUT', path: '/y', bodyBytes: 10, weight: 1 },
      { method: 'PUT', path: '/x', bodyBytes: 10, weight: 3 },
    ]);
  });

  it('a cohort with one request has it as a mix of one, weight 1', () => {
    const s = parseScenario('name: s\ncohorts:\n  - { name: c, role: attack, request: { path: /a }, rate: [{ duration: 1m, rate: 1 }] }\n');
    expect(s.cohorts[0].requests).toEqual([{ method: 'GET', path: '/a', bodyBytes: 0, weight: 1 }]);
  });

  it('describes the mix in shares', () => {
    const s = parseScenario(MIXED);
    expect(describeCohort(s.cohorts[0])).toBe('users (legit, 1 client, mix of 80% GET /items, 20% POST /orders (2.05 kB bodies)): 100 rps for 1h');
  });
});

describe('mix mistakes', () => {
  it('request and requests together, a zero weight, an empty mix and a bad path, all at once', () => {
    const text = `name: s
cohorts:
  - name: a
    role: attack
    request: { path: /a }
    requests: [{ path: /a, weight: 0 }]
    rate: [{ duration: 1m, rate: 1 }]
  - name: b
    role: attack
    requests: []
    rate: [{ duration: 1m, rate: 1 }]
  - name: c
    role: attack
    requests: [{ path: nope }]
    rate: [{ duration: 1m, rate: 1 }]
`;
    const problems = problemsOf(() => parseScenario(text, 's.yaml'));
    expect(problemAt(problems, 'cohorts[0].requests').message).toMatch(/either request or requests/);
    expect(problemAt(problems, 'cohorts[0].requests[0].weight').message).toMatch(/> 0|greater/);
    expect(problemAt(problems, 'cohorts[1].requests').message).toMatch(/at least 1/);
    expect(problemAt(problems, 'cohorts[2].requests[0].path').message).toMatch(/starting with "\/"/);
  });
});
