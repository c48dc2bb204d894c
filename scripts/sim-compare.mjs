#!/usr/bin/env node
// Compares two directories written by scripts/sim-snapshot.sh, file by file: whole numbers (request
// counts) must be equal, other numbers equal within 1e-9 relative (a fast-forward sums the same
// per-second figures in another order), strings and shapes identical — but `file` (where a built-in
// was read from: two builds in two places differ there). Prints the largest relative difference per
// file; exit 1 on any mismatch.
//   node scripts/sim-compare.mjs /tmp/before /tmp/after
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node scripts/sim-compare.mjs <before-dir> <after-dir>');
  process.exit(1);
}
const TOL = 1e-9;
let bad = 0;
for (const f of readdirSync(a).sort()) {
  let worst = 0;
  let where = '';
  const problems = [];
  let after;
  try {
    after = JSON.parse(readFileSync(join(b, f), 'utf8'));
  } catch {
    console.log(`${f}: missing or unreadable in ${b}`);
    bad++;
    continue;
  }
  walk(JSON.parse(readFileSync(join(a, f), 'utf8')), after, '');
  if (problems.length) bad++;
  console.log(`${f}: ${problems.length ? `${problems.length} mismatches, first ${problems.slice(0, 3).join('; ')}` : 'same'}${worst > 0 ? ` (largest relative difference ${worst.toExponential(2)} at ${where})` : ''}`);

  function walk(x, y, path) {
    if (typeof x === 'number' && typeof y === 'number') {
      if (x === y) return;
      const rel = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
      if (rel > worst) [worst, where] = [rel, path];
      if ((Number.isInteger(x) && Number.isInteger(y)) || rel > TOL) problems.push(`${path}: ${x} → ${y}`);
      return;
    }
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') {
      if (x !== y) problems.push(`${path}: ${JSON.stringify(x)} → ${JSON.stringify(y)}`);
      return;
    }
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const k of keys) if (k !== 'file') walk(x[k], y[k], `${path}.${k}`);
  }
}
process.exit(bad ? 1 : 0);
