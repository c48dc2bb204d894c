import type { ApiReply } from './api-request.ts';

const BODY = Buffer.from('{"message":"Request Entity Too Large"}');
const LINES = `content-type: application/json\r\ncontent-length: ${BODY.length}\r\n`;

/**
 * Answers 413 to a body over the emulator's cap (API Gateway's 10 MB payload quota) and closes the
 * connection, so the rest of the body is never read. The request is not counted: AWS would refuse
 * it before any throttle, and dowsim's outcomes have no name for it (compat warns about such cohorts).
 */
export function refuseLargeBody(reply: ApiReply): void {
  if (reply.open) reply.send(413, LINES, '', BODY, true);
}
