import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Caps a server's open connections without letting one client's idle or stalled sockets lock
 * everyone else out: at the cap, a new connection closes the oldest one that is not being
 * answered (idle keep-alive, or still sending its request); only when every open connection has
 * a whole request waiting for its answer is the new one refused. node's own `maxConnections`
 * would refuse newcomers while 10,000 stalled sockets sat there for their 30 s.
 */
export function capConnections(server: Server, cap: number): void {
  // a Set iterates in insertion order: oldest first
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (open.size >= cap) {
      const victim = oldestNotAnswering(open);
      if (!victim) {
        socket.destroy();
        return;
      }
      open.delete(victim);
      victim.destroy();
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
}

function oldestNotAnswering(open: Set<Socket>): Socket | undefined {
  for (const socket of open) {
    // node keeps the response in progress on its socket: a whole request is one being answered
    const res = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (!res?.req?.complete) return socket;
  }
  return undefined;
}
