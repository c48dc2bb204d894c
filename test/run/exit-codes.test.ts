import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultDocument } from '../../src/model/result.ts';
import { runCli } from '../support/cli.ts';

// Exit codes that tell the truth (issue 17, item 5), with the real CLI and real sockets on 127.0.0.1.
const dir = mkdtempSync(join(tmpdir(), 'dowsim-exit-codes-'));
const SCENARIO = join(dir, 'steady.yaml');
writeFileSync(
  SCENARIO,
  `name: steady
request: { method: GET, path: /items }
cohorts:
  - { name: users, role: legit, clients: 2, apiKey: basic, rate: [ { duration: 12s, rate: 20 } ] }
`,
);
const STACK = join(dir, 'plain.yaml');
writeFileSync(STACK, `name: plain\napi: { kind: rest }\nlambda: { memoryMb: 128, duration: 10ms }\n`);
const SECRET = 'k3y\u0001WITH-control';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

describe('dowsim run exit codes', () => {
  it.concurrent('reports that cannot be written after the traffic was sent: exit 2 saying so, not 1 "bad input (nothing sent)"', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dowsim-run-out-'));
    // the set's Markdown report has a folder's name: no file of the set can be written
    mkdirSync(join(out, 'steady.md'));
    const r = await runCli(['run', SCENARIO, '--stack', STACK, '--duration', '1s', '--out', out], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^dowsim: the run was sent and measured, but its reports could not be written: cannot write reports into ".*": "steady\.md" in ".*" is a folder/m);
    // no report of the set; the run file, written second by second as the run went, keeps the measurement
    expect(readdirSync(out).filter((f) => !f.endsWith('.run.ndjson'))).toEqual(['steady.md']);
  });

  it.concurrent('a target that refuses every connection: exit 2, and the warning says it never answered', async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise<void>((r) => server.close(() => r())); // nothing listens there any more
    const r = await runCli(['run', SCENARIO, '--stack', STACK, '--target', `http://127.0.0.1:${port}/`, '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    const doc = JSON.parse(r.stdout) as ResultDocument; // the report is still written
    expect(doc.warnings!.join('\n')).toMatch(/stopped answering before it answered anything/);
    expect(r.stderr).toMatch(/^dowsim: the target stopped answering/m);
  });

  it.concurrent('a target that dies mid-run: exit 2, and the time given is its last answer, not the end of the run', async () => {
    const sockets = new Set<Socket>();
    let answered = 0;
    const server = createServer((_req, res) => {
      res.end('{"ok":true}');
      // after 60 answers (about 3 s at 20 rps) the target goes away for good
      if (++answered === 60) {
        server.close();
        for (const s of sockets) s.destroy();
      }
    });
    server.on('connection', (s) => sockets.add(s));
    const port = await listen(server);
    // evenly spaced: the 60th request is due at 59.5 / 20 = 2.975 s, in second 2, so its second ends at 3 s
    const r = await runCli(['run', SCENARIO, '--stack', STACK, '--target', `http://127.0.0.1:${port}/`, '--arrivals', 'uniform', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    const doc = JSON.parse(r.stdout) as ResultDocument;
    const run = doc.extras!.run as { lastAnswerSeconds: number; durationSeconds: number };
    // 3, or 4 when requests due just after the 60th (second 3) were answered before the sockets closed
    expect([3, 4]).toContain(run.lastAnswerSeconds);
    expect(run.durationSeconds).toBeGreaterThan(run.lastAnswerSeconds); // the driver gave up later
    expect(doc.warnings!.join('\n')).toMatch(new RegExp(`stopped answering ${run.lastAnswerSeconds}s into the run \\(its last answer\\)`));
  });

  it.concurrent('an API key that cannot be sent as a header: exit 1 before anything is contacted, the key never echoed', async () => {
    const r = await runCli(
      ['run', SCENARIO, '--stack', STACK, '--target', 'https://api.example.invalid/prod', '--allow-target', 'api.example.invalid', '--duration', '5s'],
      { cwd: dir, env: { DOWSIM_API_KEYS_USERS: `good-key-1,${SECRET}` } },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DOWSIM_API_KEYS_USERS: key #2 \(of 2\) holds a character that cannot be sent in an HTTP header/);
    expect(r.stderr + r.stdout).not.toMatch(/k3y|WITH-control|good-key-1/);
  });

  it.concurrent('keys given for a run against the emulator are noted as unused', async () => {
    const r = await runCli(['run', SCENARIO, '--stack', STACK, '--duration', '1s', '--json'], { cwd: dir, env: { DOWSIM_API_KEYS_USERS: 'real-key-1234' } });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ResultDocument;
    expect(doc.warnings!.join('\n')).toMatch(/Note: API keys given in DOWSIM_API_KEYS_USERS are not used/);
    expect(r.stdout).not.toMatch(/real-key-1234/);
  });

  it.concurrent('a --target with a query is refused, as k6 does: exit 1, nothing sent', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end();
    });
    const port = await listen(server);
    const r = await runCli(['run', SCENARIO, '--stack', STACK, '--target', `http://127.0.0.1:${port}/prod?stage=x`, '--duration', '2s'], { cwd: dir });
    server.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--target: a base URL cannot carry a query/);
    expect(hits).toBe(0);
  });
});
