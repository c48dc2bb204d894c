/**
 * The driver's read path over TLS (https targets): the answers arrive as TLS records, through the
 * socket's 'data' events rather than the shared `onread` buffer of plain connections. A real
 * node:https server on 127.0.0.1 with a certificate for localhost signed by a test-only CA
 * (fixtures/tls: the CA's key was deleted after signing); the client runs in a child process that
 * trusts that CA through NODE_EXTRA_CA_CERTS.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const CLIENT = fixture('tls-client.ts');
const CA = fixture('tls/ca.pem');

/** 300,000 bytes, byte i = i mod 251: more than a TLS record (16 KiB) many times over. */
const BIG = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer({ key: readFileSync(fixture('tls/localhost-key.pem')), cert: readFileSync(fixture('tls/localhost.pem')) }, (req, res) => {
    req.resume();
    if (req.url === '/small') {
      res.setHeader('content-length', '14');
      res.end('hello over tls');
    } else if (req.url === '/chunked') {
      res.write('part one, ');
      setTimeout(() => res.end('part two'), 5);
    } else if (req.url === '/big') {
      // a Content-Length body written in 7 pieces of unequal size
      res.setHeader('content-length', String(BIG.length));
      const cuts = [0, 1, 17, 16_384, 16_385, 100_000, 250_001, BIG.length];
      for (let i = 0; i + 1 < cuts.length; i++) res.write(BIG.subarray(cuts[i], cuts[i + 1]));
      res.end();
    } else if (req.url === '/big-chunked') {
      // no Content-Length: chunked, 8 chunks of 37,500 bytes each
      for (let at = 0; at < BIG.length; at += 37_500) res.write(BIG.subarray(at, at + 37_500));
      res.end();
    } else if (req.url === '/cut') {
      // promises 1,000 bytes, sends 10, then the connection goes away
      res.setHeader('content-length', '1000');
      res.write('0123456789');
      setTimeout(() => res.socket?.destroy(), 20);
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

interface Ended {
  path: string;
  status: number;
  bytes: number;
  sha256: string;
  error?: string;
}

function client(paths: string[], env: NodeJS.ProcessEnv): Promise<{ connects: number; ended: Ended[] }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', CLIENT, String(port), ...paths], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!));
    });
  });
}

describe('driver connection over TLS', () => {
  it('reads Content-Length, chunked and many-record answers on one kept-alive connection', async () => {
    const { NODE_EXTRA_CA_CERTS: _ignored, ...env } = process.env;
    const r = await client(['/small', '/chunked', '/big', '/big-chunked', '/small'], { ...env, NODE_EXTRA_CA_CERTS: CA });
    expect(r.ended).toEqual([
      { path: '/small', status: 200, bytes: 14, sha256: sha('hello over tls') },
      { path: '/chunked', status: 200, bytes: 18, sha256: sha('part one, part two') },
      { path: '/big', status: 200, bytes: 300_000, sha256: sha(BIG) },
      { path: '/big-chunked', status: 200, bytes: 300_000, sha256: sha(BIG) },
      { path: '/small', status: 200, bytes: 14, sha256: sha('hello over tls') },
    ]);
    // five answers, one TLS handshake: the connection was reused throughout
    expect(r.connects).toBe(1);
  });

  it('reports an answer cut short by the server as an error, then reconnects for the next request', async () => {
    const r = await client(['/cut', '/small'], { ...process.env, NODE_EXTRA_CA_CERTS: CA });
    expect(r.ended[0]).toMatchObject({ path: '/cut', status: 200, bytes: 10 });
    expect(r.ended[0].error).toBeTruthy();
    expect(r.ended[1]).toEqual({ path: '/small', status: 200, bytes: 14, sha256: sha('hello over tls') });
    expect(r.connects).toBe(2);
  });

  it('refuses a certificate no trusted CA signed: the request ends in a TLS error, never an answer', async () => {
    const { NODE_EXTRA_CA_CERTS: _ignored, ...env } = process.env;
    const r = await client(['/small'], env);
    expect(r.ended[0].status).toBe(0);
    expect(r.ended[0].bytes).toBe(0);
    // node's code for a chain ending in a CA it does not trust
    expect(r.ended[0].error).toMatch(/^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)$/);
  });
});
