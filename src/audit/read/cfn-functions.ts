/**
 * Plain CloudFormation resources other than APIs: Lambda functions, function URLs, invoke
 * permissions, buckets, IAM statements, and log groups (alarms: cfn-monitoring.ts).
 */
import type { CfnContext } from './cfn-context.ts';
import { refsIn } from './cfn-context.ts';
import { refTarget, UNRESOLVED } from './cfn-values.ts';
import { SSE_ALGORITHMS } from '../model.ts';

type Obj = Record<string, unknown>;

const FUNCTION_TYPES = ['AWS::Lambda::Function', 'AWS::Serverless::Function'];

/** The function a value (an ARN, a Ref, an alias) points at, as a logical id. */
export function functionIn(ctx: CfnContext, v: unknown): string | undefined {
  for (const id of refsIn(v)) {
    const type = ctx.resources[id]?.Type;
    if (type && FUNCTION_TYPES.includes(type)) return id;
    if (type === 'AWS::Lambda::Alias' || type === 'AWS::Lambda::Version') {
      const inner = functionIn(ctx, ctx.props(id).FunctionName);
      if (inner) return inner;
    }
  }
  // SAM's "MyFunction.Alias" style references
  const direct = refTarget(v);
  return direct && ctx.resources[direct] && FUNCTION_TYPES.includes(ctx.resources[direct].Type ?? '') ? direct : undefined;
}

export function readLambdaFunction(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const resolved = ctx.values.value(p.Architectures);
  const arch = typeof resolved === 'string' ? [resolved] : resolved;
  const memoryMb = ctx.num(id, ['MemorySize'], p.MemorySize, 'MemorySize');
  const reservedConcurrency = ctx.num(id, ['ReservedConcurrentExecutions'], p.ReservedConcurrentExecutions, 'ReservedConcurrentExecutions');
  const timeoutSeconds = ctx.num(id, ['Timeout'], p.Timeout, 'Timeout');
  ctx.model.functions.push({
    id,
    loc: ctx.loc(id),
    ...(memoryMb !== undefined ? { memoryMb } : {}),
    ...(Array.isArray(arch) && arch[0] === 'arm64' ? { architecture: 'arm64' as const } : Array.isArray(arch) && arch[0] === 'x86_64' ? { architecture: 'x86_64' as const } : {}),
    ...(reservedConcurrency !== undefined ? { reservedConcurrency } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  });
}

export function readFunctionUrl(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const fn = functionIn(ctx, p.TargetFunctionArn) ?? id;
  ctx.model.functionUrls.push({ loc: ctx.loc(id), function: fn, authType: ctx.str(p.AuthType) ?? 'unknown' });
}

export function readPermission(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  ctx.model.permissions.push({
    loc: ctx.loc(id),
    principal: ctx.str(p.Principal) ?? 'unknown',
    action: ctx.str(p.Action) ?? 'unknown',
    ...(p.FunctionUrlAuthType !== undefined ? { functionUrlAuthType: ctx.str(p.FunctionUrlAuthType) ?? 'unknown' } : {}),
    ...(p.SourceArn !== undefined || p.SourceAccount !== undefined ? { sourceArn: true } : {}),
  });
}

export function readBucket(ctx: CfnContext, id: string): void {
  const enc = ctx.values.value(ctx.props(id).BucketEncryption) as Obj | undefined;
  const rules = enc && typeof enc === 'object' ? enc.ServerSideEncryptionConfiguration : undefined;
  let invalid: string | undefined;
  for (const r of Array.isArray(rules) ? rules : []) {
    const alg = ((r as Obj)?.ServerSideEncryptionByDefault as Obj | undefined)?.SSEAlgorithm;
    if (alg === UNRESOLVED) continue;
    if (typeof alg !== 'string' || !SSE_ALGORITHMS.includes(alg)) invalid = typeof alg === 'string' ? alg : '(none)';
  }
  ctx.model.buckets.push({ loc: ctx.loc(id), encrypted: enc !== undefined && enc !== null, ...(invalid ? { invalidAlgorithm: invalid } : {}) });
}

export function readLogGroup(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const days = ctx.num(id, ['RetentionInDays'], p.RetentionInDays, 'RetentionInDays');
  ctx.model.logGroups.push({ loc: ctx.loc(id), ...(days !== undefined ? { retentionDays: days } : {}) });
}

/** Statements of an IAM policy document, wherever it sits in a resource (Role Policies, Policy, ManagedPolicy). */
export function readPolicyDocument(ctx: CfnContext, id: string, doc: unknown, path: (string | number)[]): void {
  // a Json-typed property may be written as a JSON string (CloudFormation accepts both)
  let raw = ctx.values.choices(doc);
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      return;
    }
  }
  const d = raw as Obj | undefined;
  if (!d || typeof d !== 'object') return;
  const st = d.Statement;
  const list = Array.isArray(st) ? st : st ? [st] : [];
  list.forEach((s, i) => {
    if (!s || typeof s !== 'object') return;
    const o = s as Obj;
    const toList = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    ctx.model.statements.push({
      loc: ctx.loc(id, ...path, 'Statement', ...(Array.isArray(st) ? [i] : [])),
      effect: o.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: toList(o.Action),
      ...(o.NotAction !== undefined ? { notActions: toList(o.NotAction) } : {}),
      resources: toList(o.Resource),
    });
  });
}

export function readIam(ctx: CfnContext, id: string, type: string): void {
  const p = ctx.props(id);
  if (type === 'AWS::IAM::Role') {
    const policies = Array.isArray(p.Policies) ? p.Policies : [];
    policies.forEach((pol, i) => readPolicyDocument(ctx, id, (pol as Obj)?.PolicyDocument, ['Properties', 'Policies', i, 'PolicyDocument']));
  } else readPolicyDocument(ctx, id, p.PolicyDocument, ['Properties', 'PolicyDocument']);
}
