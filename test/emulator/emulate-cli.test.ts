import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call } from './support.ts';

const BIN = fileURLToPath(new URL('../../bin/dowsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dowsim-emulate-'));
const stackFile = join(dir, 'stack.yaml');
writeFileSync(stackFile, 'name: cli-stack\napi: { kind: rest, stage: { rate: 50, burst: 100 } }\nlambda: { memoryMb: 256, duration: 5ms }\n');

const children: ChildProcess[] = [];
const servers: Server[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of servers.splice(0)) s.close();
});

function run(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function waitFor(pred: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('dowsim emulate', () => {
  it('prints both URLs and what it enforces, serves until Ctrl-C, then prints totals and exits 0', async () => {
    const p = run(['emulate', '--stack', stackFile, '--port', '0']);
    await waitFor(() => p.out().includes('Ctrl-C'), 'the emulator to start');
    const api = /API\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(p.out())?.[1];
    const cw = /CloudWatch\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(p.out())?.[1];
    expect(api).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
    expect(cw).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
    expect(cw).not.toBe(api);
    expect(p.out()).toContain('stage 50 rps burst 100');
    expect((await call(api!, '/items')).status).toBe(200);
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/served 1 request: 1 succeeded/);
  });

  it("ends after Ctrl-C even while a --handler invocation past its timeout still awaits a timer of a minute (it stayed alive until the timer ended)", async () => {
    const handler = join(dir, 'hang.mjs');
    writeFileSync(handler, "export const handler = async (event) => {\n  if (event.path === '/hang') await new Promise((r) => setTimeout(r, 60_000));\n  return { statusCode: 200, body: 'ok' };\n};\n");
    const slow = join(dir, 'slow.yaml');
    writeFileSync(slow, 'name: slow\napi: { kind: rest }\nlambda: { memoryMb: 128, timeout: 1s }\n');
    const p = run(['emulate', '--stack', slow, '--port', '0', '--handler', handler]);
    await waitFor(() => p.out().includes('Ctrl-C'), 'the emulator to start');
    const api = /API\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(p.out())![1];
    // the function times out after 1 s (a failed invocation: 502); the handler's 60-s timer is still pending
    expect((await call(api, '/hang')).status).toBe(502);
    p.child.kill('SIGINT');
    await waitFor(() => p.child.exitCode !== null, 'the emulator to exit (the handler holds a 60-s timer)', 20_000);
    expect(p.child.exitCode).toBe(0);
    expect(p.out()).toMatch(/served 1 request: 1 /);
  });

  it('exits 2 with a clear message when the port is taken', async () => {
    const blocker = createServer();
    servers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const p = run(['emulate', '--stack', stackFile, '--port', String(port)]);
    expect(await p.exit).toBe(2);
    expect(p.err()).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });

  it('exits 1 naming the problem for a bad stack file', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\napi: { kind: soap }\nlambda: { memoryMb: 256 }\n');
    const p = run(['emulate', '--stack', bad]);
    expect(await p.exit).toBe(1);
    expect(p.err()).toContain('api.kind');
    expect(p.err()).not.toMatch(/\n\s+at /); // no stack trace
  });
});
