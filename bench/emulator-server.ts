/**
 * Child process for the emulator bench: `node --import tsx bench/emulator-server.ts <bare|emulator>`
 * starts one server on an ephemeral loopback port and prints the port. Both kinds run in the same
 * kind of process (tsx loaded) and answer the same 1,024-byte body, so only the server differs.
 */
import { createServer } from 'node:http';
import { parseStack } from '../src/stack/parse.ts';
import { startEmulator } from '../src/emulator/start-emulator.ts';

const BODY_BYTES = 1024;

// limits far above what one machine can send: the bench measures the emulator's own overhead
// (gateway admission, Lambda pool, metrics, AWS's headers), not a throttle and not a function's
// wait: a sub-millisecond function answers at once (timers cannot hold less than 1 ms)
const STACK = `name: bench
api: { kind: rest, account: { rate: 1000000000, burst: 1000000000 } }
responseBytes: ${BODY_BYTES}
lambda:
  memoryMb: 128
  duration: 0.1ms
  initDuration: 0ms
  accountConcurrency: 1000000
  scaling: { environments: 1000000, per: 1s }
`;

const kind = process.argv[2];
if (kind === 'bare') {
  const body = Buffer.alloc(BODY_BYTES, 0x78);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
} else if (kind === 'emulator') {
  const e = await startEmulator({ stack: parseStack(STACK), port: 0 });
  process.stdout.write(`${new URL(e.apiUrl).port}\n`);
} else {
  process.stderr.write('usage: emulator-server.ts bare|emulator\n');
  process.exit(1);
}
// the parent asks for CPU time used, to put a CPU cost on each request beside the throughput
process.on('message', () => {
  const u = process.cpuUsage();
  process.send?.({ cpuMicros: u.user + u.system });
});
process.on('disconnect', () => process.exit(0));
