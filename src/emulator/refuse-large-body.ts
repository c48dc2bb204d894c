import type { ServerResponse } from 'node:http';

const BODY = Buffer.from('{"message":"Request Entity Too Large"}');

/**
 * Answers 413 to a body over the emulator's cap (API Gateway's 10 MB payload quota) and closes the
 * connection, so the rest of the body is never read. The request is not counted: AWS would refuse
 * it before any throttle, and dowsim's outcomes have no name for it (compat warns about such cohorts).
 */
export function refuseLargeBody(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(413, { 'content-type': 'application/json', 'content-length': BODY.length, connection: 'close' });
  res.end(BODY);
}
