import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';

/** Why a body was refused: the status to answer and a sentence for the client. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly reason: 'tooLarge' | 'badEncoding' | 'aborted',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request body of at most `maxBytes`, both as sent and (`content-encoding: gzip`) once
 * inflated. Inflating is streamed through zlib — in node's thread pool, a chunk at a time — and
 * stops at the cap, so a gzip bomb costs `maxBytes` of memory and never blocks the event loop.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip') {
      reject(new BodyError(400, 'badEncoding', `Content-Encoding "${encoding.slice(0, 40)}" is not supported; send gzip or none.`));
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let sent = 0;
    let settled = false;
    const gunzip = encoding === 'gzip' ? createGunzip() : undefined;
    const fail = (err: BodyError) => {
      if (settled) return;
      settled = true;
      gunzip?.destroy();
      req.unpipe();
      reject(err);
    };
    const take = (c: Buffer) => {
      if (settled) return;
      size += c.length;
      if (size > maxBytes) return fail(tooLarge(maxBytes));
      chunks.push(c);
    };
    const done = () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, size));
    };
    req.on('data', (c: Buffer) => {
      sent += c.length;
      if (sent > maxBytes) fail(tooLarge(maxBytes));
    });
    req.on('aborted', () => fail(new BodyError(400, 'aborted', 'The request body ended early.')));
    req.on('error', () => fail(new BodyError(400, 'aborted', 'The request body ended early.')));
    if (!gunzip) {
      req.on('data', take);
      req.on('end', done);
      return;
    }
    gunzip.on('data', take);
    gunzip.on('end', done);
    gunzip.on('error', () => fail(new BodyError(400, 'badEncoding', 'The request body is not valid gzip.')));
    req.pipe(gunzip);
  });
}

function tooLarge(maxBytes: number): BodyError {
  return new BodyError(413, 'tooLarge', `The request body is larger than the emulator's ${maxBytes.toLocaleString('en-US')}-byte limit.`);
}
