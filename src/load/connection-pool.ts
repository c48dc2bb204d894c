import { Http1Connection, type Origin } from './http1-connection.ts';

/** How many connections may be opening at once, beyond those already open. */
export const CONNECT_AHEAD = 32;

/**
 * The dispatcher's keep-alive connections: opened on demand up to a cap, kept in a free list
 * (most recently freed last), counted while connected, timed out and closed together.
 */
export class ConnectionPool {
  private readonly clients: Http1Connection[] = [];
  /** Open (or openable) connections with nothing on them, most recently freed last. */
  private readonly idle: Http1Connection[] = [];
  /** Connections whose handshake finished and that are still open. */
  connected = 0;
  /** Most connections open at once. */
  peakConnections = 0;
  private destroyed = false;

  constructor(
    private readonly target: Origin,
    private readonly maxConnections: number,
  ) {}

  get closed(): boolean {
    return this.destroyed;
  }

  /** A free connection, else a new one while under the cap (it connects on its first request). */
  take(): Http1Connection | undefined {
    const free = this.idle.pop();
    if (free !== undefined) return free;
    if (this.clients.length >= this.maxConnections || this.destroyed) return undefined;
    const client = new Http1Connection(this.target, this.connectionEvents);
    this.clients.push(client);
    return client;
  }

  release(client: Http1Connection): void {
    this.idle.push(client);
  }

  private readonly connectionEvents = {
    connected: () => {
      this.connected++;
      if (this.connected > this.peakConnections) this.peakConnections = this.connected;
    },
    disconnected: () => {
      this.connected--;
    },
  };

  /** Our own give-up time: a request unanswered for `timeoutMs` fails, its connection with it. */
  sweepTimeouts(nowMs: number, timeoutMs: number): void {
    for (const c of this.clients) {
      if (c.busy && nowMs - c.sentMs > timeoutMs) c.abort(Object.assign(new Error('no answer within the request timeout'), { code: 'ETIMEDOUT' }));
    }
  }

  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const c of this.clients) c.destroy();
  }
}
