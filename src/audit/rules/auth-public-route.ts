import type { Rule } from './rule.ts';

/** An API Gateway route anyone can call: no authorizer, no IAM, no API key. */
export const authPublicRoute: Rule = {
  id: 'DOW101',
  title: 'Public route: no authorizer, IAM auth or API key',
  category: 'auth',
  severity: 'warning',
  help:
    'A route with no authorization lets anyone on the internet invoke (and bill) the function behind it. If it must be public, throttle it and keep it cheap. ' +
    'OPTIONS routes (CORS preflight) are not reported. Equivalent checks: cfn_nag W59; Checkov CKV_AWS_59 (REST), CKV_AWS_309 (HTTP API routes); cdk-nag AwsSolutions-APIG4.',
  check(ctx) {
    return ctx.model.apis.flatMap((api) =>
      // a PRIVATE API's routes are reachable only through the VPC's endpoints: not public
      api.kind === 'function-url' || api.private
        ? []
        : api.routes
            .filter((r) => r.auth === 'none' && !r.apiKeyRequired && !r.key.startsWith('OPTIONS '))
            .map((r) => ({
              loc: r.loc,
              message: `${api.id}: route ${r.key} is public (no authorizer, IAM or API key)`,
              fix: { description: 'add an authorizer (Cognito, JWT, Lambda) or AWS_IAM auth, or require an API key with a throttled usage plan' },
            })),
    );
  },
};
