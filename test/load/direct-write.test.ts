/** Writes straight to a TCP socket's handle (src/load/direct-write.ts), against a real server on 127.0.0.1. */
import { createHash } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectWriter } from '../../src/load/direct-write.ts';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy());
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server that keeps every byte each connection sends; `received()` answers them once `bytes` have come. */
async function sink(): Promise<{ port: number; received: (bytes: number) => Promise<Buffer> }> {
  const chunks: Buffer[] = [];
  let total = 0;
  let waiting: { bytes: number; resolve: (b: Buffer) => void } | undefined;
  const check = () => {
    if (waiting && total >= waiting.bytes) waiting.resolve(Buffer.concat(chunks));
  };
  const s = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      total += c.length;
      check();
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  return {
    port,
    received: (bytes) =>
      new Promise((resolve) => {
        waiting = { bytes, resolve };
        check();
      }),
  };
}

async function connected(port: number): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port });
  sockets.push(s);
  await new Promise<void>((r) => s.once('connect', () => r()));
  return s;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('DirectWriter', () => {
  it('declines a socket still connecting or destroyed (the caller writes through the stream)', async () => {
    const { port } = await sink();
    const w = new DirectWriter();
    const s = connect({ host: '127.0.0.1', port });
    sockets.push(s);
    expect(w.write(s, Buffer.from('x'))).toBe(false);
    await new Promise<void>((r) => s.once('connect', () => r()));
    expect(w.write(s, Buffer.from('x'))).toBe(true);
    s.destroy();
    expect(w.write(s, Buffer.from('x'))).toBe(false);
  });

  it('writes 1,000 requests back to back, every byte in order, none through the stream', async () => {
    const { port, received } = await sink();
    const s = await connected(port);
    const w = new DirectWriter();
    const parts: Buffer[] = [];
    for (let i = 0; i < 1000; i++) {
      const b = Buffer.from(`GET /${i} HTTP/1.1\r\nhost: x\r\n\r\n`, 'latin1');
      parts.push(b);
      expect(w.write(s, b)).toBe(true);
    }
    const sent = Buffer.concat(parts);
    expect(s.writableLength).toBe(0);
    const got = await received(sent.length);
    expect(got.length).toBe(sent.length);
    expect(sha(got)).toBe(sha(sent));
  });

  it('a write the kernel cannot take at once (16 MiB) completes later, and a write right after it follows it on the wire', async () => {
    const { port, received } = await sink();
    const s = await connected(port);
    const w = new DirectWriter();
    // 16 MiB is far more than a loopback socket's send buffer (a few MiB at most): libuv queues the rest
    const big = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff;
    const small = Buffer.from('the end', 'latin1');
    expect(w.write(s, big)).toBe(true);
    expect(w.write(s, small)).toBe(true);
    const got = await received(big.length + small.length);
    expect(got.length).toBe(big.length + small.length);
    expect(sha(got)).toBe(sha(Buffer.concat([big, small])));
  });

  it('follows a socket replaced by a new one (a reconnect): the next write goes to the new connection', async () => {
    const first = await sink();
    const second = await sink();
    const w = new DirectWriter();
    const a = await connected(first.port);
    expect(w.write(a, Buffer.from('one', 'latin1'))).toBe(true);
    expect((await first.received(3)).toString('latin1')).toBe('one');
    a.destroy();
    const b = await connected(second.port);
    expect(w.write(b, Buffer.from('two', 'latin1'))).toBe(true);
    expect((await second.received(3)).toString('latin1')).toBe('two');
  });
});
