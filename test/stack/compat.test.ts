import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { builtInNames } from '../../src/input/builtins.ts';
import { checkScenarioAgainstStack } from '../../src/stack/compat.ts';
import { loadStack } from '../../src/stack/load.ts';

function scenario(cohorts: string): ReturnType<typeof parseScenario> {
  return parseScenario(`name: c\nrequest: { path: /items }\ncohorts:\n${cohorts}`);
}

describe('checkScenarioAgainstStack', () => {
  it('every built-in scenario fits every built-in stack for its legit users', () => {
    for (const s of builtInNames('scenario')) {
      for (const k of builtInNames('stack')) {
        const warnings = checkScenarioAgainstStack(loadScenario(s), loadStack(k));
        expect(warnings.filter((w) => w.includes('"users"'))).toEqual([]);
      }
    }
  });

  it('warns that a plan the stack lacks, with keys required, means 403 for every request', () => {
    const s = scenario('  - { name: users, role: legit, apiKey: gold, rate: [{ duration: 1m, rate: 1 }] }\n');
    const [w] = checkScenarioAgainstStack(s, loadStack('rest-usage-plan'));
    expect(w).toMatch(/cohort "users".*plan "gold".*no such plan.*rejected 403.*plans: basic/);
  });

  it('warns when legit users send no key to a stack that requires one', () => {
    const s = scenario('  - { name: users, role: legit, rate: [{ duration: 1m, rate: 1 }] }\n');
    expect(checkScenarioAgainstStack(s, loadStack('rest-usage-plan'))).toEqual([
      expect.stringMatching(/sends no API key.*requires one.*403/),
    ]);
  });

  it('stays quiet about an attack cohort without keys: being rejected is the point', () => {
    const s = scenario('  - { name: bots, role: attack, apiKey: invalid, rate: [{ duration: 1m, rate: 1 }] }\n');
    expect(checkScenarioAgainstStack(s, loadStack('rest-usage-plan'))).toEqual([]);
  });

  it('warns that invalid keys are not rejected where keys are not checked', () => {
    const s = loadScenario('invalid-key-flood');
    for (const k of ['rest-unprotected', 'http-route-throttled', 'function-url-reserved']) {
      expect(checkScenarioAgainstStack(s, loadStack(k))).toEqual([expect.stringMatching(/invalid API keys.*not rejected/)]);
    }
  });

  it('warns that a plan\'s limits do not apply when keys are not required', () => {
    const stack = loadStack('rest-usage-plan');
    const open = { ...stack, api: { ...stack.api, apiKeyRequired: false } };
    const s = scenario('  - { name: users, role: legit, apiKey: basic, rate: [{ duration: 1m, rate: 1 }] }\n');
    expect(checkScenarioAgainstStack(s, open)).toEqual([expect.stringMatching(/throttle and quota do not apply/)]);
  });

  it('warns about a path no route matches', () => {
    const s = scenario('  - { name: users, role: legit, request: { path: / }, rate: [{ duration: 1m, rate: 1 }] }\n');
    expect(checkScenarioAgainstStack(s, loadStack('http-route-throttled'))).toEqual([
      // an HTTP API: 404 {"message":"Not Found"} (aws-facts.md), not REST's 403
      expect.stringMatching(/GET \/, which matches no route.*404 \{"message":"Not Found"\}, billing none/),
    ]);
  });

  it('warns about bodies beyond the payload quotas', () => {
    const s = scenario(
      '  - { name: a, role: attack, request: { method: POST, bodyBytes: 7000000 }, rate: [{ duration: 1m, rate: 1 }] }\n' +
        '  - { name: b, role: attack, request: { method: POST, bodyBytes: 11000000 }, rate: [{ duration: 1m, rate: 1 }] }\n',
    );
    const w = checkScenarioAgainstStack(s, loadStack('rest-unprotected'));
    expect(w).toEqual([expect.stringMatching(/"a".*6 MB/), expect.stringMatching(/"b".*10 MB.*413/)]);
  });
});
