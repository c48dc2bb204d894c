import type { Server as NetServer, Socket } from 'node:net';
import type { ServerResponse } from 'node:http';

/**
 * Caps a server's open connections without letting one client's idle or stalled sockets lock
 * everyone else out: at the cap, a new connection closes the oldest one that is not being
 * answered (idle keep-alive, or still sending its request); only when every open connection has
 * a whole request waiting for its answer is the new one refused. node's own `maxConnections`
 * would refuse newcomers while 10,000 stalled sockets sat there for their 30 s.
 * `answering` says whether a connection has a whole request waiting (node:http's by default).
 */
export function capConnections(server: NetServer, cap: number, answering: (socket: Socket) => boolean = nodeAnswering): void {
  // a Set iterates in insertion order: oldest first
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (open.size >= cap) {
      const victim = oldestNotAnswering(open, answering);
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

/** Whether node:http is answering a whole request on `socket`: it keeps the response in progress there. */
export function nodeAnswering(socket: Socket): boolean {
  const res = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  return res?.req?.complete === true;
}

function oldestNotAnswering(open: Set<Socket>, answering: (socket: Socket) => boolean): Socket | undefined {
  for (const socket of open) if (!answering(socket)) return socket;
  return undefined;
}
