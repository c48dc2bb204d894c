/**
 * Writes a request straight to a connected TCP socket's handle, past node's Writable stream, when
 * nothing else is waiting to be written on it. Why: profiled at saturation against node:http, the
 * stream's layers around each write — Writable.write, writeOrBuffer, Socket._writeGeneric, a new
 * WriteWrap per write (a C++-backed object) and the afterWrite tick — were the largest JavaScript
 * cost per request left after the syscall itself. One request at a time on a connection means the
 * stream never has anything buffered to keep in order, so the handle can take the bytes as is.
 *
 * The handle tries the write at once (libuv's uv_try_write); a request of a few hundred bytes on
 * a connection with nothing queued goes out whole, and the same request record is then used again
 * for the next write. Only a write the kernel could not take at once keeps its record (it
 * completes later, through `oncomplete`), and the next write gets a fresh one. Whatever this
 * cannot do — no handle yet, bytes already queued on the stream, a TLS socket, a node without the
 * binding — answers false, and the caller writes through the stream as before.
 */
import type { Socket } from 'node:net';

interface StreamBinding {
  WriteWrap: new () => WriteRequest;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

interface WriteRequest {
  handle: unknown;
  oncomplete: (status: number) => void;
  /** The bytes of a write libuv queued: libuv reads them until it completes, so they must stay alive. */
  buffer?: Uint8Array;
}

interface StreamHandle {
  writeBuffer(req: WriteRequest, data: Uint8Array): number;
}

/** node's own stream binding (process.binding keeps it reachable), or undefined where it is not. */
function loadBinding(): StreamBinding | undefined {
  try {
    const b = (process as unknown as { binding(name: string): Partial<StreamBinding> }).binding('stream_wrap');
    if (typeof b.WriteWrap === 'function' && b.streamBaseState instanceof Int32Array && typeof b.kLastWriteWasAsync === 'number') return b as StreamBinding;
  } catch {
    // not available on this node: the stream path is used
  }
  return undefined;
}

const binding = loadBinding();

export class DirectWriter {
  private req: WriteRequest | undefined;

  /** Writes `data` on `s` (a connected plain TCP socket) if it can; false: write through the stream. */
  write(s: Socket, data: Uint8Array): boolean {
    if (binding === undefined || s.writableLength !== 0 || s.connecting || s.destroyed) return false;
    const handle = (s as unknown as { _handle: StreamHandle | null })._handle;
    if (handle === null || typeof handle.writeBuffer !== 'function') return false;
    let req = this.req;
    if (req === undefined) {
      req = new binding.WriteWrap();
      req.handle = handle;
      // Called only for a write that went out later, with its outcome: a failed one breaks the connection.
      req.oncomplete = (status: number) => {
        if (status < 0) s.destroy(Object.assign(new Error(`write failed (${status})`), { code: 'EPIPE', errno: status }));
      };
      this.req = req;
    } else if (req.handle !== handle) return this.fresh(s, data);
    const err = handle.writeBuffer(req, data);
    // Refused at once (the connection is broken): the stream's write meets the same error and
    // reports it the usual way ('error', then 'close').
    if (err !== 0) return false;
    // Queued by libuv, not written yet: the handle holds this record until it completes, and the
    // record holds the bytes (node's C++ keeps only a pointer to them: a collected buffer would
    // be sent as whatever memory took its place)
    if (binding.streamBaseState[binding.kLastWriteWasAsync] !== 0) {
      req.buffer = data;
      this.req = undefined;
    }
    return true;
  }

  /** The socket's handle changed (a reconnect): a record for the new one. */
  private fresh(s: Socket, data: Uint8Array): boolean {
    this.req = undefined;
    return this.write(s, data);
  }
}
