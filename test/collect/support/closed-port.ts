import { createServer } from 'node:net';

/** A port nothing listens on: bind an ephemeral one on 127.0.0.1, then let it go. */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
