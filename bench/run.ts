import { existsSync } from 'node:fs';
import { cpus as cpus_, loadavg, totalmem } from 'node:os';
import type { BenchFigure } from './figure.ts';

// Each suite is measured side by side with its peer in the same run; ratios, not absolute times,
// are what to compare across machines. `optIn` suites run only when named (`npm run bench soak`).
const SUITES: { name: string; file: string; fn: string; optIn?: boolean }[] = [
  { name: 'cli start', file: './cli-start.ts', fn: 'benchCliStart' },
  { name: 'simulator', file: './simulator.ts', fn: 'benchSimulator' },
  { name: 'emulator', file: './emulator-throughput.ts', fn: 'benchEmulator' },
  { name: 'load driver', file: './load-driver.ts', fn: 'benchLoad' },
  { name: 'tune', file: './tune.ts', fn: 'benchTune' },
  { name: 'soak', file: './soak.ts', fn: 'benchSoak', optIn: true },
];

const only = process.argv.slice(2);
// the machine the figures came from (the README records it beside them)
const cpus = cpus_();
console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${Math.round(totalmem() / 2 ** 30)} GB, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}, ${new Date().toISOString()}`);
let failed = false;
for (const s of SUITES) {
  if (only.length ? !only.some((o) => s.name.startsWith(o)) : s.optIn) continue;
  const path = new URL(s.file, import.meta.url);
  if (!existsSync(path)) {
    console.log(`-- ${s.name}: not available (${s.file} missing)`);
    continue;
  }
  console.log(`-- ${s.name}`);
  const t0 = Date.now();
  try {
    const mod = (await import(path.href)) as Record<string, () => Promise<BenchFigure[]>>;
    for (const f of await mod[s.fn]()) {
      const v = Number.isNaN(f.value) ? '—' : Math.abs(f.value) >= 1000 ? Math.round(f.value).toLocaleString('en-US') : f.value.toFixed(3);
      console.log(`   ${f.name.padEnd(70)} ${v.padStart(14)} ${f.unit}${f.detail ? `  (${f.detail})` : ''}`);
    }
  } catch (e) {
    failed = true;
    console.log(`   failed: ${(e as Error).stack ?? e}`);
  }
  console.log(`   (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
process.exitCode = failed ? 1 : 0;
