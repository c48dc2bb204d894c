#!/usr/bin/env node
// `npm test`: the real-traffic tests first, one file at a time on a quiet machine, then everything
// else in parallel; one closing line for both ("N passed, N failed, N skipped"). Arguments are passed
// to both vitest runs (e.g. a file filter); `--project` picks one of them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const chosen = args.includes('--project') ? [] : ['live', 'unit'];
const dir = mkdtempSync(join(tmpdir(), 'dowsim-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let status = 0;
for (const project of chosen.length ? chosen : [undefined]) {
  const out = join(dir, `${project ?? 'chosen'}.json`);
  const projectArgs = project ? ['--project', project] : [];
  // a file filter may match nothing in one of the two projects
  if (args.length) projectArgs.push('--passWithNoTests');
  const r = spawnSync('npx', ['vitest', 'run', ...projectArgs, ...args, '--reporter=default', '--reporter=json', `--outputFile=${out}`], { stdio: 'inherit' });
  if (r.status !== 0) status = r.status ?? 1;
  try {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests + j.numTodoTests;
    if (j.numTotalTests === 0 && !args.length) status ||= 1; // a project that ran nothing is a broken setup
  } catch {
    status ||= 1;
  }
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status);
