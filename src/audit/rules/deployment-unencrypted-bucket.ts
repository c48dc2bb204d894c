import type { Rule } from './rule.ts';

/** An S3 bucket with no server-side encryption configuration of its own. */
export const deploymentUnencryptedBucket: Rule = {
  id: 'DOW301',
  title: 'S3 bucket without a valid encryption configuration',
  category: 'deployment',
  severity: 'note',
  help:
    'Since January 2023 S3 encrypts new objects with SSE-S3 by default, so a bucket without a configuration is not stored in plain text; ' +
    'but the template does not say so, and KMS keys (audit, revocation) need an explicit configuration (a note). A configuration with a missing or unknown algorithm is a warning. Set BucketEncryption / server_side_encryption_configuration. ' +
    'Equivalent checks: cfn_nag W41; Checkov CKV_AWS_19, CKV_AWS_145.',
  check(ctx) {
    return ctx.model.buckets.flatMap((b) => {
      if (b.invalidAlgorithm) {
        return [{ loc: b.loc, severity: 'warning' as const, message: `${b.loc.resource}'s encryption configuration has algorithm ${b.invalidAlgorithm}, which S3 does not accept (AES256, aws:kms, aws:kms:dsse)`, fix: { description: 'set sse_algorithm / SSEAlgorithm to aws:kms (with your key) or AES256' } }];
      }
      if (b.encrypted) return [];
      return [{ loc: b.loc, message: `${b.loc.resource} has no server-side encryption configuration (only S3's SSE-S3 default applies)`, fix: { description: 'add a server-side encryption configuration (aws:kms with your key, or AES256)' } }];
    });
  },
};
