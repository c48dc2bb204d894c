import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildK6Export } from '../../src/k6/export.ts';
import { ADDRESS_JS } from '../../src/k6/script-runtime.ts';
import { forgedAddress } from '../../src/load/identity.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { loadStack } from '../../src/stack/load.ts';

const ROOT = join(import.meta.dirname, '../..');

// A cohort with `forgeForwardedFor: true` writes its own first X-Forwarded-For hop, fresh per
// request, before the client's address: the k6 script does what the Node driver does.
const scenario = parseScenario(`
name: forging
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 4, rate: [{ duration: 10s, rate: 5 }] }
  - { name: bots, role: attack, clients: 50, forgeForwardedFor: true, rate: [{ duration: 10s, rate: 50 }] }
`);

describe('k6 export: forged X-Forwarded-For', () => {
  it('numbers forged addresses as the Node driver does (2001:db8:ffff:<48 bits>::f)', () => {
    const js = new Function(`${ADDRESS_JS}; return forgedAddress;`)() as (n: number) => string;
    // hand: seq 0 → groups 0:0:0; 65,541 = 1 × 65,536 + 5 → 0:1:5; 2^32 → 1:0:0
    expect(forgedAddress(0)).toBe('2001:db8:ffff:0:0:0::f');
    expect(forgedAddress(65_541)).toBe('2001:db8:ffff:0:1:5::f');
    expect(forgedAddress(2 ** 32)).toBe('2001:db8:ffff:1:0:0::f');
    for (const n of [0, 1, 65_535, 65_541, 2 ** 32, 2 ** 40 + 7, 2 ** 47]) expect(js(n)).toBe(forgedAddress(n));
  });

  it('gives a forging cohort a block of forged addresses of its own; others send only their address', () => {
    const exp = buildK6Export(scenario, loadStack(join(ROOT, 'stacks', 'rest-waf.yaml')));
    const m = /const COHORTS = (\{[\s\S]*?\n\});/.exec(exp.script);
    const cohorts = JSON.parse(m![1]) as Record<string, { forgeBase?: number }>;
    expect(cohorts.users.forgeBase).toBeUndefined();
    // the second cohort (index 1): 1 × 2^40
    expect(cohorts.bots.forgeBase).toBe(2 ** 40);
    expect(exp.script).toContain("forgedAddress(c.forgeBase + exec.scenario.iterationInTest) + ', ' + address");
  });
});
