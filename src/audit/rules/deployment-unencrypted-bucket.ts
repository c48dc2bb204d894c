import type { Rule } from './rule.ts';

/** An S3 bucket with no server-side encryption configuration of its own. */
export const deploymentUnencryptedBucket: Rule = {
  id: 'DOW301',
  title: 'S3 bucket without an encryption configuration',
  category: 'deployment',
  severity: 'note',
  help:
    'Since January 2023 S3 encrypts new objects with SSE-S3 by default, so a bucket without a configuration is not stored in plain text; ' +
    'but the template does not say so, and KMS keys (audit, revocation) need an explicit configuration. Set BucketEncryption / server_side_encryption_configuration. ' +
    'Equivalent checks: cfn_nag W41; Checkov CKV_AWS_19, CKV_AWS_145.',
  check(ctx) {
    return ctx.model.buckets
      .filter((b) => !b.encrypted)
      .map((b) => ({ loc: b.loc, message: `${b.loc.resource} has no server-side encryption configuration (only S3's SSE-S3 default applies)`, fix: { description: 'add a server-side encryption configuration (aws:kms with your key, or AES256)' } }));
  },
};
