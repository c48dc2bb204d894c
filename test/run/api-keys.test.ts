import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiKeysEnvVar, planApiKeys, readApiKeysFile } from '../../src/run/api-keys.ts';
import { syntheticApiKey } from '../../src/stack/api-keys.ts';
import type { Cohort } from '../../src/scenario/types.ts';
import { InputError } from '../../src/model/errors.ts';

const cohort = (name: string, apiKey: string, clients = 3): Cohort => ({
  name,
  role: 'attack',
  clients,
  apiKey,
  requests: [{ method: 'GET', path: '/items', bodyBytes: 0, weight: 1 }],
  rate: [{ kind: 'constant', duration: 1, rate: 1 }],
});

describe('API keys of a live run', () => {
  it("gives every client against the emulator its own synthetic key of the cohort's plan", () => {
    const { keys } = planApiKeys([cohort('users', 'basic'), cohort('bots', 'none'), cohort('liars', 'invalid')], 'emulator');
    expect([0, 1, 2].map((c) => keys[0]!(c))).toEqual([0, 1, 2].map((c) => syntheticApiKey('basic', c)));
    expect(keys[1]).toBeUndefined();
    expect(new Set([0, 1, 2].map((c) => keys[2]!(c))).size).toBe(3);
  });

  it("two cohorts of the same plan never share a key: a leecher's requests spend none of a user's tokens (as the simulator has it)", () => {
    const { keys } = planApiKeys([cohort('users', 'basic', 5), cohort('leechers', 'basic', 2)], 'emulator');
    // cohort 1's client 0 holds index 1 · 10⁹ + 0
    expect(keys[1]!(0)).toBe('dowsim-basic-1000000000');
    const users = new Set([0, 1, 2, 3, 4].map((c) => keys[0]!(c)));
    for (const c of [0, 1]) expect(users.has(keys[1]!(c))).toBe(false);
  });

  it('takes staging keys from DOWSIM_API_KEYS_<COHORT>, shared round-robin when there are fewer keys than clients', () => {
    expect(apiKeysEnvVar('leaked-keys')).toBe('DOWSIM_API_KEYS_LEAKED_KEYS');
    const plan = planApiKeys([cohort('leaked-keys', 'basic', 3)], 'staging', { env: { DOWSIM_API_KEYS_LEAKED_KEYS: 'key-one, key-two' } });
    expect([0, 1, 2].map((c) => plan.keys[0]!(c))).toEqual(['key-one', 'key-two', 'key-one']);
    expect(plan.notes.join(' ')).toMatch(/3 clients share 2 API keys/);
    expect(plan.notes.join(' ')).not.toMatch(/key-one|key-two/);
  });

  it('takes staging keys from --api-keys-file, by cohort or by usage plan name', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dowsim-keys-')), 'keys.yaml');
    writeFileSync(file, 'basic:\n  - plan-key-a\n  - plan-key-b\nusers: "cohort-key-1,cohort-key-2"\n');
    const plan = planApiKeys([cohort('users', 'basic', 2), cohort('others', 'basic', 2)], 'staging', { env: {}, file: readApiKeysFile(file) });
    expect([plan.keys[0]!(0), plan.keys[0]!(1)]).toEqual(['cohort-key-1', 'cohort-key-2']);
    expect([plan.keys[1]!(0), plan.keys[1]!(1)]).toEqual(['plan-key-a', 'plan-key-b']);
  });

  it('says where staging keys should come from when there are none, without ever showing a key', () => {
    const go = () => planApiKeys([cohort('bots', 'basic')], 'staging', { env: { DOWSIM_API_KEYS_OTHER: 'secret-value' } });
    expect(go).toThrow(/DOWSIM_API_KEYS_BOTS.*--api-keys-file/);
    expect(go).not.toThrow(/secret-value/);
  });
});

describe('one key variable per cohort', () => {
  it('refuses a staging run whose cohorts would read one DOWSIM_API_KEYS_ variable, or none: the attack cohort would send the users\' keys', () => {
    const clash = () => planApiKeys([cohort('eu-users', 'basic'), cohort('eu_users', 'basic')], 'staging', { env: { DOWSIM_API_KEYS_EU_USERS: 'key-one' } });
    expect(clash).toThrow(InputError);
    try {
      clash();
    } catch (e) {
      expect((e as InputError).problems).toEqual([{ path: 'cohorts[1].name', message: expect.stringMatching(/"eu_users" and "eu-users" \(cohorts\[0\]\) would both read their keys from DOWSIM_API_KEYS_EU_USERS/) }]);
    }
    expect(() => planApiKeys([cohort('ユーザー', 'basic')], 'staging', { env: {} })).toThrow(/no ASCII letter or digit/);
    // cohorts without plan keys read no variable: no clash
    expect(() => planApiKeys([cohort('eu-users', 'none'), cohort('eu_users', 'invalid')], 'staging')).not.toThrow();
  });
});
