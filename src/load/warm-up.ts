/**
 * Warms the driver before a fast run. Cold, V8 has not compiled the send/answer path yet and the
 * first second of a 10,000 rps run loses a tenth of its requests to the 50 ms lateness bound.
 * Half a second of the same code against a throwaway node:http server on 127.0.0.1 (in this
 * process, nothing else is contacted) removes that, so the target only ever sees the real run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch } from './dispatcher.ts';
import { IdentityPlan } from './identity.ts';
import { Recorder } from './recorder.ts';
import { ArrivalSchedule } from './schedule.ts';

/** Runs the driver for `seconds` at `rate` against a private loopback server, then closes it. */
export async function warmUpDriver(rate = 4000, seconds = 0.5): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const cohorts = [
      { name: 'warm-up', role: 'attack' as const, method: 'GET', path: '/', bodyBytes: 0, segments: [{ kind: 'constant' as const, rate, duration: seconds }], clients: 16 },
    ];
    await dispatch({
      origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      cohorts,
      identities: new IdentityPlan([16]),
      apiKind: 'rest',
      schedule: new ArrivalSchedule(cohorts, { durationSeconds: seconds }),
      recorder: new Recorder({ cohorts, source: 'emulator', startTime: new Date(), plannedSeconds: seconds }),
      connections: 32,
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
