import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { evenly, k6JsonLines } from './fake-k6.ts';

// import-k6 --scenario gives the run's cohorts their roles and request sizes; a scenario naming
// none of them gives them nothing, and the user should hear it (the report was titled after it).
describe('import-k6 --scenario of other cohorts', () => {
  it('warns that none of the run\'s cohorts is in the scenario, naming both lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-k6-mismatch-'));
    writeFileSync(join(dir, 'run.ndjson'), k6JsonLines([...evenly(20, 0, 2000, { cohort: 'users', role: 'legit', status: 200, bytesReceived: 100 }), ...evenly(20, 0, 2000, { cohort: 'bots', role: 'attack', status: 200, bytesReceived: 100 })]));
    writeFileSync(join(dir, 'other.yaml'), 'name: other\nrequest: { method: GET, path: /items }\ncohorts:\n  - { name: eu-users, role: legit, rate: [ { duration: 2s, rate: 10 } ] }\n');
    writeFileSync(join(dir, 'stack.yaml'), 'name: s\napi: { kind: rest }\nlambda: { memoryMb: 128, duration: 5ms }\n');
    const r = await runCli(['import-k6', 'run.ndjson', '--stack', 'stack.yaml', '--scenario', 'other.yaml', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: none of the run's cohorts \((users, bots|bots, users)\) is in --scenario other \(cohorts: eu-users\)/);
    // one that names them: no warning
    writeFileSync(join(dir, 'same.yaml'), 'name: same\nrequest: { method: GET, path: /items }\ncohorts:\n  - { name: users, role: legit, rate: [ { duration: 2s, rate: 10 } ] }\n  - { name: bots, role: attack, rate: [ { duration: 2s, rate: 10 } ] }\n');
    const ok = await runCli(['import-k6', 'run.ndjson', '--stack', 'stack.yaml', '--scenario', 'same.yaml', '--json'], { cwd: dir });
    expect(ok.stderr).not.toMatch(/none of the run's cohorts/);
  });
});
