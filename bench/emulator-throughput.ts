/**
 * Emulator figure for `npm run bench` (DESIGN "Performance targets"; issue 16 asks ≥ 90 % of
 * a bare node:http server's throughput on the same machine). Each server runs in its own process;
 * the same autocannon client (same connections, same duration) measures both in interleaved rounds.
 * The throughput ratio is the median of each round's own ratio (as the driver's figures): one
 * round that the shared machine disturbed moves a mean of rps, not a median of ratios.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnPortServer } from './child-server.ts';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchFigure } from './figure.ts';

const SERVER = fileURLToPath(new URL('./emulator-server.ts', import.meta.url));
const CONNECTIONS = 100;
const SECONDS = 3;
const ROUNDS = 5;
const WARM_UP_SECONDS = 1;

async function startServer(kind: 'bare' | 'emulator'): Promise<Server> {
  const { port, child } = await spawnPortServer(['--import', 'tsx', SERVER, kind], `${kind} server`);
  return { url: `http://127.0.0.1:${port}/items`, child };
}

interface Server {
  url: string;
  child: ChildProcess;
}

function cpuMicros(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.child.once('message', (m: { cpuMicros: number }) => resolve(m.cpuMicros));
    server.child.send('cpu');
  });
}

async function rps(server: Server, seconds: number): Promise<{ rps: number; requests: number; cpuMicros: number; non2xx: number; errors: number }> {
  const before = await cpuMicros(server);
  const r = await autocannon({ url: server.url, connections: CONNECTIONS, duration: seconds, pipelining: 1 });
  const cpu = (await cpuMicros(server)) - before;
  return { rps: r.requests.total / (r.duration || seconds), requests: r.requests.total, cpuMicros: cpu, non2xx: r.non2xx, errors: r.errors };
}

/** Emulator throughput as a ratio of a bare node:http server's, same client, same machine. */
export async function benchEmulator(): Promise<BenchFigure[]> {
  const bare = await startServer('bare');
  const emulator = await startServer('emulator');
  try {
    await rps(bare, WARM_UP_SECONDS);
    await rps(emulator, WARM_UP_SECONDS);
    // interleaved rounds, so that whatever else the machine does weighs on both alike
    const b: number[] = [];
    const e: number[] = [];
    const cpu = { bare: 0, emulator: 0, bareRequests: 0, emulatorRequests: 0 };
    let non2xx = 0;
    let errors = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const rb = await rps(bare, SECONDS);
      b.push(rb.rps);
      cpu.bare += rb.cpuMicros;
      cpu.bareRequests += rb.requests;
      const r = await rps(emulator, SECONDS);
      e.push(r.rps);
      cpu.emulator += r.cpuMicros;
      cpu.emulatorRequests += r.requests;
      non2xx += r.non2xx;
      errors += r.errors;
    }
    const perRequest = { bare: cpu.bare / cpu.bareRequests, emulator: cpu.emulator / cpu.emulatorRequests };
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    const ratios = e.map((x, i) => x / b[i]);
    const sorted = [...ratios].sort((x, y) => x - y);
    const detail = `autocannon, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved rounds of ${SECONDS} s each (rounds ${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)})`;
    return [
      {
        name: 'emulator throughput / bare node:http throughput (goal ≥ 0.9)',
        value: sorted[Math.floor(sorted.length / 2)],
        unit: 'ratio',
        detail: `means ${Math.round(mean(e)).toLocaleString('en-US')} vs ${Math.round(mean(b)).toLocaleString('en-US')} rps; ${detail}`,
      },
      { name: 'emulator requests per second (REST stack, sub-ms function, 1 KB bodies)', value: mean(e), unit: 'rps', detail: `non-2xx ${non2xx}, errors ${errors}` },
      { name: 'bare node:http requests per second (1 KB bodies)', value: mean(b), unit: 'rps', detail: '' },
      {
        name: 'server CPU per request, bare / emulator (throughput ratio when CPU-bound)',
        value: perRequest.bare / perRequest.emulator,
        unit: 'ratio',
        detail: `${perRequest.bare.toFixed(1)} vs ${perRequest.emulator.toFixed(1)} µs; steadier than rps on a busy machine`,
      },
    ];
  } finally {
    bare.child.kill();
    emulator.child.kill();
  }
}
