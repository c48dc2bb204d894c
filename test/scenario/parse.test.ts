import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.ts';
import { builtInNames } from '../../src/input/builtins.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { scenarioDuration } from '../../src/scenario/profile.ts';
import { problemAt, problemsOf } from './problems-of.ts';

const MINIMAL = `
name: tiny
cohorts:
  - name: bots
    role: attack
    rate:
      - { duration: 1m, rate: 10 }
`;

/** A valid scenario with one cohort whose single segment is `segment` (YAML flow map). */
function withSegment(segment: string): string {
  return `name: s\ncohorts:\n  - name: c\n    role: attack\n    rate:\n      - ${segment}\n`;
}

describe('built-in scenarios', () => {
  const names = builtInNames('scenario');

  it('include every attack DESIGN lists, plus quick-flood', () => {
    for (const n of [
      'constant-flood', 'ramp-flood', 'exponential-ramp', 'random-flood', 'pulse-bursts', 'leech', 'botnet-flood',
      'invalid-key-flood', 'large-payload-flood', 'cold-start-amplification', 'quick-flood',
    ]) {
      expect(names).toContain(n);
    }
  });

  for (const name of builtInNames('scenario')) {
    it(`${name} parses, lasts at most an hour and has legit users beside the attack`, () => {
      const s = loadScenario(name);
      expect(s.name).toBe(name);
      expect(scenarioDuration(s)).toBeLessThanOrEqual(3600);
      const users = s.cohorts.find((c) => c.name === 'users');
      expect(users?.role).toBe('legit');
      expect(users?.apiKey).toBe('basic');
      expect(s.cohorts.some((c) => c.role === 'attack')).toBe(true);
    });
  }

  it('each built-in file starts with a comment saying what it models', async () => {
    const { readFileSync } = await import('node:fs');
    const { PACKAGE_ROOT } = await import('../../src/input/builtins.ts');
    for (const name of names) {
      const text = readFileSync(join(PACKAGE_ROOT, 'scenarios', `${name}.yaml`), 'utf8');
      expect(text.split('\n').slice(0, 3).every((l) => l.startsWith('#'))).toBe(true);
    }
  });

  it('forgeForwardedFor: true is kept on its cohort only, and said in the cohort\'s description', async () => {
    const { describeCohort } = await import('../../src/scenario/describe.ts');
    const s = parseScenario('name: x\ncohorts: [{ name: a, role: attack, forgeForwardedFor: true, rate: [{ duration: 1s, rate: 1 }] }, { name: b, role: legit, forgeForwardedFor: false, rate: [{ duration: 1s, rate: 1 }] }]');
    expect(s.cohorts[0].forgeForwardedFor).toBe(true);
    expect('forgeForwardedFor' in s.cohorts[1]).toBe(false);
    expect(describeCohort(s.cohorts[0])).toBe('a (attack, 1 client, forged X-Forwarded-For): 1 rps for 1s');
  });

  it('botnet-flood is DESIGN\'s example, normalized to seconds', () => {
    const s = loadScenario('botnet-flood');
    const bots = s.cohorts[1];
    expect(bots).toMatchObject({ name: 'bots', role: 'attack', clients: 2000, rotate: 300, apiKey: 'none' });
    expect(bots.requests).toEqual([{ method: 'GET', path: '/search', bodyBytes: 0, weight: 1 }]);
    expect(bots.rate).toEqual([
      { kind: 'constant', duration: 300, rate: 0 },
      { kind: 'ramp', duration: 60, from: 0, to: 5000 },
      { kind: 'constant', duration: 3240, rate: 5000 },
    ]);
    expect(s.cohorts[0].rate).toEqual([{ kind: 'diurnal', duration: 3600, mean: 20, amplitude: 10, period: 86400 }]);
  });

  it('quick-flood is 20 seconds of users at 5 rps and bots at 100 rps', () => {
    const s = loadScenario('quick-flood');
    expect(scenarioDuration(s)).toBe(20);
    expect(s.cohorts.map((c) => [c.name, c.rate])).toEqual([
      ['users', [{ kind: 'constant', duration: 20, rate: 5 }]],
      ['bots', [{ kind: 'constant', duration: 20, rate: 100 }]],
    ]);
  });

  it('large-payload-flood posts 1.2 MB bodies', () => {
    const bots = loadScenario('large-payload-flood').cohorts.find((c) => c.role === 'attack')!;
    expect(bots.requests).toEqual([{ method: 'POST', path: '/upload', bodyBytes: 1_200_000, weight: 1 }]);
  });

  it('cold-start-amplification leaves gaps longer than the 10-minute idle timeout', () => {
    const bots = loadScenario('cold-start-amplification').cohorts.find((c) => c.role === 'attack')!;
    expect(bots.rate[0]).toMatchObject({ kind: 'pulse', on: 30, off: 900 });
  });
});

describe('loading files and names', () => {
  it('a built-in name resolves to the package file, with or without folder and extension', () => {
    for (const arg of ['botnet-flood', 'botnet-flood.yaml', 'scenarios/botnet-flood.yaml']) {
      expect(loadScenario(arg).file).toMatch(/scenarios[/\\]botnet-flood\.yaml$/);
    }
  });

  it('an existing path wins over a built-in name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-scn-'));
    mkdirSync(join(dir, 'scenarios'));
    const file = join(dir, 'scenarios', 'botnet-flood.yaml');
    writeFileSync(file, MINIMAL);
    expect(loadScenario(file).name).toBe('tiny');
  });

  it('JSON files are read too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-scn-'));
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify({ name: 'j', cohorts: [{ name: 'a', role: 'legit', rate: [{ duration: '10s', rate: 1 }] }] }));
    expect(loadScenario(file).cohorts[0].rate).toEqual([{ kind: 'constant', duration: 10, rate: 1 }]);
  });

  it('an unknown name is an InputError listing the built-in scenarios', () => {
    const err = (() => {
      try {
        loadScenario('no-such-scenario');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain('no such file');
    expect((err as Error).message).toContain('botnet-flood');
    expect((err as Error).message).toContain('quick-flood');
  });

  it('a directory is an InputError, not a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-scn-'));
    expect(problemsOf(() => loadScenario(dir))[0].message).toContain('directory');
  });
});

describe('defaults', () => {
  it('a minimal scenario gets GET /, no body, 1 client, no key, no rotation, empty description', () => {
    const s = parseScenario(MINIMAL);
    expect(s.description).toBe('');
    expect(s.request).toEqual({ method: 'GET', path: '/', bodyBytes: 0 });
    expect(s.cohorts[0]).toEqual({
      name: 'bots',
      role: 'attack',
      clients: 1,
      apiKey: 'none',
      requests: [{ method: 'GET', path: '/', bodyBytes: 0, weight: 1 }],
      rate: [{ kind: 'constant', duration: 60, rate: 10 }],
    });
  });

  it('a cohort request override is merged over the scenario request, method in upper case', () => {
    const s = parseScenario(`
name: m
request: { method: PUT, path: /a, bodyBytes: 10 }
cohorts:
  - { name: a, role: legit, request: { method: post }, rate: [{ duration: 1s, rate: 1 }] }
  - { name: b, role: legit, request: { path: /b?x=1 }, rate: [{ duration: 1s, rate: 1 }] }
`);
    expect(s.cohorts[0].requests).toEqual([{ method: 'POST', path: '/a', bodyBytes: 10, weight: 1 }]);
    expect(s.cohorts[1].requests).toEqual([{ method: 'PUT', path: '/b?x=1', bodyBytes: 10, weight: 1 }]);
  });

  it('shape defaults: pulse low 0, random min 0 and seed 1, diurnal period 24h', () => {
    expect(parseScenario(withSegment('{ duration: 1m, pulse: { high: 5, on: 1s, off: 2s } }')).cohorts[0].rate[0]).toEqual({
      kind: 'pulse', duration: 60, high: 5, low: 0, on: 1, off: 2,
    });
    expect(parseScenario(withSegment('{ duration: 1m, random: { max: 5, every: 10s } }')).cohorts[0].rate[0]).toEqual({
      kind: 'random', duration: 60, min: 0, max: 5, every: 10, seed: 1,
    });
    expect(parseScenario(withSegment('{ duration: 1m, diurnal: { mean: 5, amplitude: 1 } }')).cohorts[0].rate[0]).toEqual({
      kind: 'diurnal', duration: 60, mean: 5, amplitude: 1, period: 86400,
    });
  });

  it('every shape is read into its normalized segment', () => {
    expect(parseScenario(withSegment('{ duration: 90s, exponential: { start: 1, factor: 1.01, every: 250ms } }')).cohorts[0].rate[0]).toEqual({
      kind: 'exponential', duration: 90, start: 1, factor: 1.01, every: 0.25,
    });
    expect(parseScenario(withSegment('{ duration: 1.5h, ramp: [1, 2] }')).cohorts[0].rate[0]).toEqual({
      kind: 'ramp', duration: 5400, from: 1, to: 2,
    });
  });
});

describe('validation: each rule names its path', () => {
  const cases: [string, string, string, RegExp][] = [
    ['a duration without a unit', withSegment('{ duration: 300, rate: 1 }'), 'cohorts[0].rate[0].duration', /expected a duration like "5m".*needs a unit/],
    ['a duration in words', withSegment('{ duration: 5 minutes, rate: 1 }'), 'cohorts[0].rate[0].duration', /expected a duration like "5m"/],
    ['a zero-length segment', withSegment('{ duration: 0, rate: 1 }'), 'cohorts[0].rate[0].duration', /longer than 0/],
    // "0" is the same plain 0 (it got "expected a duration like \"5m\"")
    ['a zero-length segment written "0"', withSegment('{ duration: "0", rate: 1 }'), 'cohorts[0].rate[0].duration', /^expected a duration longer than 0, got "0" \(line \d+\)$/],
    // it would repeat every 500 ms, and the simulator would count each repetition as a second: half the requests
    ['a scenario shorter than a second', withSegment('{ duration: 500ms, rate: 10 }'), 'cohorts', /at least 1s \(its longest cohort's rate segments add up to 500ms\)/],
    ['a negative rate', withSegment('{ duration: 1m, rate: -1 }'), 'cohorts[0].rate[0].rate', /≥ 0/],
    ['an infinite rate', withSegment('{ duration: 1m, rate: .inf }'), 'cohorts[0].rate[0].rate', /expected a number/],
    ['a rate as text', withSegment('{ duration: 1m, rate: "100" }'), 'cohorts[0].rate[0].rate', /expected a number, got "100"/],
    ['two shapes', withSegment('{ duration: 1m, rate: 1, ramp: [1, 2] }'), 'cohorts[0].rate[0]', /exactly one shape.*rate and ramp/],
    ['no shape', withSegment('{ duration: 1m }'), 'cohorts[0].rate[0]', /exactly one shape.*got none/],
    ['a ramp of one rate', withSegment('{ duration: 1m, ramp: [1] }'), 'cohorts[0].rate[0].ramp', /\[from, to\]/],
    ['random max below min', withSegment('{ duration: 1m, random: { min: 5, max: 2, every: 1s } }'), 'cohorts[0].rate[0].random.max', /max ≥ min/],
    ['a random seed that is not whole', withSegment('{ duration: 1m, random: { max: 2, every: 1s, seed: 1.5 } }'), 'cohorts[0].rate[0].random.seed', /whole number/],
    ['too many random steps', withSegment('{ duration: 30d, random: { max: 2, every: 1s } }'), 'cohorts[0].rate[0].random.every', /at most 1,000,000 steps/],
    ['diurnal amplitude above mean', withSegment('{ duration: 1m, diurnal: { mean: 5, amplitude: 6, period: 1h } }'), 'cohorts[0].rate[0].diurnal.amplitude', /amplitude ≤ mean/],
    ['an exponential that explodes', withSegment('{ duration: 1d, exponential: { start: 1, factor: 10, every: 1m } }'), 'cohorts[0].rate[0].exponential', /stays ≤/],
    ['an exponential factor of 0', withSegment('{ duration: 1m, exponential: { start: 1, factor: 0, every: 1m } }'), 'cohorts[0].rate[0].exponential.factor', /> 0/],
    ['a pulse without off', withSegment('{ duration: 1m, pulse: { high: 1, on: 1s } }'), 'cohorts[0].rate[0].pulse.off', /missing: expected a duration/],
    ['an unknown key in a shape', withSegment('{ duration: 1m, pulse: { high: 1, on: 1s, off: 1s, offf: 2s } }'), 'cohorts[0].rate[0].pulse.offf', /unknown key \(did you mean "off"\?\); expected one of high, low, on, off/],
    ['a missing name', 'cohorts: [{ name: a, role: legit, rate: [{ duration: 1s, rate: 1 }] }]', 'name', /missing: expected a string/],
    ['no cohorts', 'name: x\ncohorts: []', 'cohorts', /at least 1 item/],
    ['a role that does not exist', 'name: x\ncohorts: [{ name: a, role: bot, rate: [{ duration: 1s, rate: 1 }] }]', 'cohorts[0].role', /one of legit, attack/],
    ['zero clients', 'name: x\ncohorts: [{ name: a, role: legit, clients: 0, rate: [{ duration: 1s, rate: 1 }] }]', 'cohorts[0].clients', /≥ 1/],
    ['fractional clients', 'name: x\ncohorts: [{ name: a, role: legit, clients: 2.5, rate: [{ duration: 1s, rate: 1 }] }]', 'cohorts[0].clients', /whole number/],
    ['an apiKey with spaces', 'name: x\ncohorts: [{ name: a, role: legit, apiKey: "my plan", rate: [{ duration: 1s, rate: 1 }] }]', 'cohorts[0].apiKey', /usage plan name/],
    ['a rotation of 0', 'name: x\ncohorts: [{ name: a, role: legit, rotate: 0, rate: [{ duration: 1s, rate: 1 }] }]', 'cohorts[0].rotate', /longer than 0/],
    ['a forgeForwardedFor that is not true or false', 'name: x\ncohorts: [{ name: a, role: attack, forgeForwardedFor: "yes", rate: [{ duration: 1s, rate: 1 }] }]', 'cohorts[0].forgeForwardedFor', /expected true or false, got "yes"/],
    ['a rate that is a number, not segments', 'name: x\ncohorts: [{ name: a, role: legit, rate: 100 }]', 'cohorts[0].rate', /list of segments/],
    ['duplicate cohort names', 'name: x\ncohorts: [{ name: a, role: legit, rate: [{ duration: 1s, rate: 1 }] }, { name: a, role: attack, rate: [{ duration: 1s, rate: 1 }] }]', 'cohorts[1].name', /unique.*cohorts\[0\]/],
    ['an unknown method', 'name: x\nrequest: { method: FETCH }\ncohorts: [{ name: a, role: legit, rate: [{ duration: 1s, rate: 1 }] }]', 'request.method', /one of GET, POST/],
    ['a path without a slash', 'name: x\nrequest: { path: items }\ncohorts: [{ name: a, role: legit, rate: [{ duration: 1s, rate: 1 }] }]', 'request.path', /starting with "\/"/],
    ['a negative body', 'name: x\nrequest: { bodyBytes: -1 }\ncohorts: [{ name: a, role: legit, rate: [{ duration: 1s, rate: 1 }] }]', 'request.bodyBytes', /≥ 0/],
    ['an unknown top-level key', `${MINIMAL}\nhorizon: 30d\n`, 'horizon', /unknown key; expected one of name, description, request, cohorts/],
  ];
  for (const [what, text, path, message] of cases) {
    it(`${what} → ${path}`, () => {
      expect(problemAt(problemsOf(() => parseScenario(text, 'f.yaml')), path).message).toMatch(message);
    });
  }

  it('a file with 5 mistakes gets 5 problems with the 5 paths, in file order, with lines', () => {
    const text = `name: five
cohorts:
  - name: users
    role: legit
    clients: -3
    rate:
      - { duration: 1h, rate: 20 }
  - name: bots
    role: atack
    rate:
      - { duration: 5 mins, rate: 0 }
      - { duration: 1m, ramp: [0, 5000], rate: 3 }
    rotaet: 5m
`;
    const problems = problemsOf(() => parseScenario(text, 'five.yaml'));
    expect(problems.map((p) => p.path)).toEqual([
      'cohorts[0].clients',
      'cohorts[1].role',
      'cohorts[1].rate[0].duration',
      'cohorts[1].rate[1]',
      'cohorts[1].rotaet',
    ]);
    expect(problems[0].message).toMatch(/\(line 5\)$/);
    expect(problems[2].message).toMatch(/expected a duration like "5m"/);
  });

  it('the InputError names the file and lists every problem', () => {
    try {
      parseScenario('name: x\ncohorts: [{ name: a, role: b, rate: [] }]', 'my.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      const e = err as InputError;
      expect(e.file).toBe('my.yaml');
      expect(e.message).toMatch(/^my\.yaml: 2 problems:\n {2}- cohorts\[0\]\.role: /);
      expect(e.message).not.toMatch(/\n\s+at /);
    }
  });
});

describe('files that are not scenarios at all', () => {
  it('an empty file', () => {
    expect(problemsOf(() => parseScenario('', 'e.yaml'))[0].message).toMatch(/empty/);
    expect(problemsOf(() => parseScenario('  \n# just a comment\n', 'e.yaml'))[0].message).toMatch(/no content|empty/);
  });

  it('a list instead of a map', () => {
    expect(problemsOf(() => parseScenario('- name: x\n', 'l.yaml'))[0].message).toMatch(/expected a map .* got a list/);
  });

  it('a lone value', () => {
    expect(problemsOf(() => parseScenario('42', 'v.yaml'))[0].message).toMatch(/got a single number/);
  });

  it('YAML syntax errors carry line:column', () => {
    const problems = problemsOf(() => parseScenario('name: x\ncohorts: [\n  { name: a\n', 's.yaml'));
    expect(problems[0].message).toMatch(/invalid YAML at line \d+, column \d+ \(\d+:\d+\)/);
  });

  it('duplicate keys are a YAML error with their line', () => {
    const problems = problemsOf(() => parseScenario('name: x\nname: y\n', 'd.yaml'));
    expect(problems[0].message).toMatch(/line 2, column 1.*unique/);
  });

  it('an alias that contains itself is refused cleanly', () => {
    expect(problemsOf(() => parseScenario('name: x\ncohorts: &c [*c]\n'))[0].message).toMatch(/alias/);
  });

  it('a map used as a key is refused cleanly', () => {
    expect(problemsOf(() => parseScenario('name: x\n? [a]\n: 1\n'))[0].message).toMatch(/plain names/);
  });
});
