import type { Socket } from 'node:net';

/**
 * Where every lean connection's reads land: one buffer for all of them, as each read is handed to
 * its connection before the next one starts (what `net.connect`'s `onread` does for the load
 * driver's sockets). Without it each read is a fresh 64 KiB allocation cut to size, pushed
 * through the socket's Readable stream and its 'data' event — about a microsecond a request, where
 * node:http's own connections read into its parser's one buffer.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

interface StreamHandle {
  useUserBuffer?: (buf: Uint8Array) => void;
}

// `onread` is public for sockets a program connects, not for those a server accepts; node keeps
// it in two symbol-keyed fields of every net.Socket that its read callback looks at. Found by
// their names once; where they are not (another node), reads come as 'data' events instead.
let fields: { buffer: symbol; callback: symbol } | null | undefined;

function userBufferFields(socket: Socket): { buffer: symbol; callback: symbol } | null {
  if (fields === undefined) {
    const own = Object.getOwnPropertySymbols(socket);
    const buffer = own.find((s) => s.description === 'kBuffer');
    const callback = own.find((s) => s.description === 'kBufferCb');
    fields = buffer && callback ? { buffer, callback } : null;
  }
  return fields;
}

/**
 * Hands each read of `socket` (accepted paused: `pauseOnConnect`) to `onRead` and starts reading.
 * The bytes are valid during the call only: whatever is kept must be copied. Answers a function
 * that stops it, after which the socket is an ordinary stream again (for node:http).
 */
export function readInto(socket: Socket, onRead: (bytes: Buffer) => void): () => void {
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  const f = userBufferFields(socket);
  if (f !== null && typeof handle?.useUserBuffer === 'function') {
    const s = socket as unknown as Record<symbol, unknown>;
    s[f.buffer] = READ_BUFFER;
    s[f.callback] = (n: number) => {
      onRead(READ_BUFFER.subarray(0, n));
      return true;
    };
    handle.useUserBuffer(READ_BUFFER);
    socket.resume();
    return () => {
      s[f.buffer] = null;
      s[f.callback] = null;
    };
  }
  socket.on('data', onRead);
  socket.resume();
  return () => socket.off('data', onRead);
}
