import { performance } from 'node:perf_hooks'; // not the global: that one is a lazy getter, read per call
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { capConnections, nodeAnswering } from './connection-cap.ts';
import { LeanConnection, type LeanHost } from './lean-connection.ts';
import type { LeanRequest } from './lean-request.ts';
import { checkingIntervalMs, type EmulatorLimits } from './server-limits.ts';

/** How long an idle keep-alive connection stays open (API Gateway keeps them a while; load drivers reuse them). */
export const KEEP_ALIVE_MS = 60_000;
// node closes an idle connection a second after the timeout it announces, so that a client that
// reuses it at the last moment is not cut off (HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER)
const IDLE_CLOSE_MS = KEEP_ALIVE_MS + 1_000;

type Limits = Pick<EmulatorLimits, 'requestTimeoutMs' | 'headersTimeoutMs' | 'maxConnections' | 'maxBodyBytes'>;

/**
 * The API port's server. node:http spends most of a small request's CPU on its own machinery
 * (parser callbacks, IncomingMessage and ServerResponse objects, streams, header checks); a
 * connection here is read and answered by lean-connection.ts instead — a fraction of that — and
 * the first request it does not fully understand hands the connection, with the bytes already
 * read, to `fallback` (node:http with the same handler, timeouts and keep-alive), which serves it
 * from then on as it would have from the start.
 *
 * The limits hold for both: one connection cap over all of them (a lean connection is being
 * answered while a whole request of it waits for its answer), lean requests that stall past the
 * headers or request timeout get node's 408, idle ones are closed as node closes them.
 */
export class LeanFront implements LeanHost {
  readonly server: NetServer;
  readonly maxBodyBytes: number;
  readonly keepAliveEnd = Buffer.from(`Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(KEEP_ALIVE_MS / 1000)}\r\n\r\n`, 'latin1');
  private readonly lean = new Map<Socket, LeanConnection>();
  private readonly sockets = new Set<Socket>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    readonly serve: (r: LeanRequest, body: Buffer, bytesIn: number, t0: number) => void,
    private readonly fallback: Server,
    private readonly limits: Limits,
    readonly keepRequests: boolean,
    private readonly idleCloseMs = IDLE_CLOSE_MS,
  ) {
    this.maxBodyBytes = limits.maxBodyBytes;
    // as node:http's own server: no Nagle delay, TCP keep-alive, half-open ends handled here;
    // paused, so that reads go where socket-reads.ts puts them from the first one
    this.server = createNetServer({ allowHalfOpen: true, noDelay: true, keepAlive: true, pauseOnConnect: true });
    capConnections(this.server, limits.maxConnections, (s) => this.lean.get(s)?.answering ?? nodeAnswering(s));
    this.server.on('connection', (s: Socket) => this.accept(s));
    // node:http starts tracking its connections' timeouts when it starts listening; this one
    // never listens itself (it is handed connections), so it is told it does
    fallback.emit('listening');
    this.sweeper = setInterval(() => this.sweep(), checkingIntervalMs(limits)).unref();
  }

  private accept(socket: Socket): void {
    if (socket.destroyed) return; // refused by the cap
    this.sockets.add(socket);
    this.lean.set(socket, new LeanConnection(socket, this, performance.now()));
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.lean.delete(socket);
    });
  }

  handOver(socket: Socket, bytes: Buffer): void {
    this.lean.delete(socket);
    if (bytes.length > 0) socket.unshift(bytes);
    this.fallback.emit('connection', socket);
    socket.resume();
  }

  private sweep(): void {
    const now = performance.now();
    const { headersTimeoutMs, requestTimeoutMs } = this.limits;
    for (const c of this.lean.values()) c.sweep(now, headersTimeoutMs, requestTimeoutMs, this.idleCloseMs);
  }

  /** Closes every connection, lean or handed over, and stops looking for stalled ones. */
  closeConnections(): void {
    clearInterval(this.sweeper);
    this.fallback.close();
    for (const s of this.sockets) s.destroy();
  }
}
