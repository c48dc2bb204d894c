import type { Rule } from './rule.ts';

/** A Lambda function URL with AuthType NONE: a public endpoint with no API Gateway in front. */
export const authFunctionUrlNone: Rule = {
  id: 'DOW102',
  title: 'Function URL with AuthType NONE',
  category: 'auth',
  severity: 'error',
  help:
    'A function URL with AuthType NONE can be called by anyone, and it has no API Gateway throttle: every request is an invocation. ' +
    'Use AuthType AWS_IAM (or put API Gateway in front) and reserve concurrency. Equivalent checks: Checkov CKV_AWS_258.',
  check(ctx) {
    return ctx.model.functionUrls
      .filter((u) => u.authType === 'NONE')
      .map((u) => ({ loc: u.loc, message: `the function URL of ${u.function} has AuthType NONE: anyone can invoke it`, fix: { description: 'set AuthType to AWS_IAM' } }));
  },
};
