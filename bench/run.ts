import { existsSync } from 'node:fs';
import type { BenchFigure } from './figure.ts';

// Each suite is measured side by side with its peer in the same run; ratios, not absolute times,
// are what to compare across machines.
const SUITES: { name: string; file: string; fn: string }[] = [
  { name: 'simulator', file: './simulator.ts', fn: 'benchSimulator' },
  { name: 'emulator', file: './emulator-throughput.ts', fn: 'benchEmulator' },
  { name: 'load driver', file: './load-driver.ts', fn: 'benchLoad' },
  { name: 'tune', file: './tune.ts', fn: 'benchTune' },
];

const only = process.argv.slice(2);
let failed = false;
for (const s of SUITES) {
  if (only.length && !only.some((o) => s.name.startsWith(o))) continue;
  const path = new URL(s.file, import.meta.url);
  if (!existsSync(path)) {
    console.log(`-- ${s.name}: not available (${s.file} missing)`);
    continue;
  }
  console.log(`-- ${s.name}`);
  try {
    const mod = (await import(path.href)) as Record<string, () => Promise<BenchFigure[]>>;
    for (const f of await mod[s.fn]()) {
      const v = Math.abs(f.value) >= 1000 ? Math.round(f.value).toLocaleString('en-US') : f.value.toFixed(3);
      console.log(`   ${f.name.padEnd(70)} ${v.padStart(14)} ${f.unit}${f.detail ? `  (${f.detail})` : ''}`);
    }
  } catch (e) {
    failed = true;
    console.log(`   failed: ${(e as Error).stack ?? e}`);
  }
}
process.exitCode = failed ? 1 : 0;
