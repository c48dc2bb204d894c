/**
 * DOW201 reads every way a policy grants every action: "*" or "service:*" in a policy written as a
 * JSON string (CloudFormation accepts a Json-typed PolicyDocument as one), and Allow with
 * NotAction (every action but those listed), in CloudFormation, Terraform and serverless.yml.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readSource } from '../../src/audit/read/source.ts';
import type { AuditModel } from '../../src/audit/model.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';

const dow201 = (m: AuditModel) =>
  audit([m], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') })
    .findings.filter((f) => f.rule === 'DOW201')
    .map((f) => f.message);

describe('DOW201: every action granted', () => {
  it('CloudFormation: a PolicyDocument written as a JSON string, and Allow with NotAction', () => {
    const m = readCloudFormation(
      `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole } ] }
      Policies:
        - PolicyName: p
          PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
        - PolicyName: q
          PolicyDocument: { Statement: [ { Effect: Allow, NotAction: "iam:*", Resource: "*" }, { Effect: Deny, NotAction: "s3:GetObject", Resource: "*" } ] }
`,
      '/repo/t.yaml',
    );
    expect(dow201(m).sort()).toEqual(['Role allows *', 'Role allows every action but iam:* (Allow with NotAction)']);
  });

  it('Terraform: aws_iam_policy_document not_actions, and a JSON policy string with NotAction', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-tf-'));
    writeFileSync(
      join(dir, 'main.tf'),
      `data "aws_iam_policy_document" "doc" {
  statement {
    effect      = "Allow"
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
}
resource "aws_iam_role_policy" "p" {
  role   = "r"
  policy = <<POLICY
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["kms:*"],"Resource":"*"}]}
POLICY
}
`,
    );
    expect(dow201(readSource(dir)).sort()).toEqual(['aws_iam_role_policy.p allows every action but kms:* (Allow with NotAction)', 'data.aws_iam_policy_document.doc allows every action but iam:* (Allow with NotAction)']);
  });
});
