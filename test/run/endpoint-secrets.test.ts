import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayUrl } from '../../src/model/loopback.ts';
import { runCli } from '../support/cli.ts';

// Credentials written into a URL never reach the output: --target's were hidden already; a
// CloudWatch --endpoint-url's are too (the progress line, the warning, the "collect later" command
// and the report files), with the real CLI against real sockets on 127.0.0.1.
describe('secrets in --endpoint-url', () => {
  it('displayUrl drops the user name, the password and the query, and leaves the rest', () => {
    expect(displayUrl('http://AKIA:CWSECRET@127.0.0.1:2/')).toBe('http://127.0.0.1:2/');
    expect(displayUrl('https://u@monitoring.us-east-1.amazonaws.com/x?X-Amz-Security-Token=t')).toBe('https://monitoring.us-east-1.amazonaws.com/x');
    expect(displayUrl('http://127.0.0.1:8788')).toBe('http://127.0.0.1:8788');
    expect(displayUrl('not a url')).toBe('not a url');
  });

  it('a run whose CloudWatch endpoint carries credentials prints and writes none of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-endpoint-secret-'));
    const scenario = join(dir, 'tiny.yaml');
    writeFileSync(scenario, 'name: tiny\nrequest: { method: GET, path: /items }\ncohorts:\n  - { name: users, role: legit, rate: [ { duration: 1s, rate: 5 } ] }\n');
    const stack = join(dir, 'plain.yaml');
    writeFileSync(stack, 'name: plain\napi: { kind: rest }\nlambda: { memoryMb: 128, duration: 10ms }\n');
    const target: Server = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as { port: number }).port;
    // nothing listens on the CloudWatch endpoint: the warning names it
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const cwPort = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const out = join(dir, 'out');
    try {
      const r = await runCli(
        ['run', scenario, '--stack', stack, '--target', `http://user:TARGETPW@127.0.0.1:${port}/`, '--endpoint-url', `http://AKIA:CWSECRET@127.0.0.1:${cwPort}/`, '--duration', '1s', '--out', out],
        { cwd: dir },
      );
      const all = r.stdout + r.stderr;
      // the endpoint is named, without its credentials
      expect(all).toContain(`http://127.0.0.1:${cwPort}/`);
      expect(all).not.toMatch(/CWSECRET|TARGETPW|AKIA/);
      const files = readdirSync(out);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(readFileSync(join(out, f), 'utf8'), f).not.toMatch(/CWSECRET|TARGETPW|AKIA/);
      expect(r.stdout + r.stderr).not.toMatch(/variables\.\./);
    } finally {
      await new Promise<void>((r) => target.close(() => r()));
    }
  });
});
