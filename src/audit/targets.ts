/**
 * The user's own resources that hold one API's tunable settings, named as its source names them:
 * what `dowsim tune` writes its patches onto (tune/patch-cloudformation.ts, tune/patch-terraform.ts),
 * so that a patch merges into the template or configuration it was read from.
 */
import { DEFAULT_FUNCTION } from '../stack/functions.ts';
import type { ApiModel, AuditModel, ServerlessFacts, StageAt } from './model.ts';
import { otherFunctions, primaryFunction, safeName } from './stack-document.ts';

/** A resource: its logical id (CloudFormation) or address (Terraform), and its type. */
export interface TargetRef {
  id: string;
  type: string;
}

export interface IacTargets {
  /** The language of the source: CloudFormation (SAM, and CDK's synthesized templates), Terraform, or a Serverless Framework serverless.yml. */
  language: 'cloudformation' | 'terraform' | 'serverless';
  /** `cdk`: a synthesized template, whose changes belong in the CDK app. */
  format: AuditModel['format'];
  /** The file that defines the API. */
  file: string;
  /** The API (a SAM implicit API has type `AWS::Serverless::Api` / `AWS::Serverless::HttpApi`; its stage is `sam-globals`); `repeat`: Terraform's count or for_each on it. */
  api: TargetRef & Pick<StageAt, 'repeat'>;
  /** Where the stage's throttles are written (absent: the source defines no stage). */
  /** `sharedWith`, for SAM Globals: the template's explicit SAM APIs of the same kind, which Globals reach too. */
  stage?: StageAt & { type: string; sharedWith?: string[] };
  /** Terraform: this API's aws_api_gateway_method_settings resources by route ("GET /items"; the stage default under its own method_path), and the method_path each is written with. */
  methodSettings: Record<string, { id: string; methodPath: string }>;
  /** Each function of the derived stack (`lambda`, or a `functions` name) → its resource. */
  functions: Record<string, TargetRef>;
  /** Each usage plan of the derived stack (by name) → its resource: a usage plan, or the SAM API whose Auth.UsagePlan makes it. */
  usagePlans: Record<string, TargetRef>;
  /**
   * The web ACL on the API's stage, and its association, when the source defines them: the name
   * and priority of its rate-based rule, and the priorities of its other rules.
   */
  webAcl?: TargetRef & { rateRule?: { name: string; priority: number }; priorities: number[] };
  webAclAssociation?: TargetRef;
  /** A serverless.yml: what its patch repeats or points at (the events of this API only). */
  serverless?: ServerlessFacts;
}

const SAM_IMPLICIT: Record<string, string> = { ServerlessRestApi: 'AWS::Serverless::Api', ServerlessHttpApi: 'AWS::Serverless::HttpApi' };

/**
 * The targets of `api` in `model`; undefined for sources tune cannot write a patch onto by name:
 * function URLs and Terraform APIs defined inside a module (reachable only through the module's
 * inputs). A Serverless Framework file's API and stage are generated: its targets are the file's
 * own keys (functions by name, the usage plan key, the web ACL in `resources.Resources`).
 */
export function iacTargets(model: AuditModel, api: ApiModel): IacTargets | undefined {
  if (api.kind === 'function-url') return undefined;
  const sls = model.format === 'serverless' ? model.serverless : undefined;
  if (model.format === 'serverless' && !sls) return undefined;
  const terraform = model.format === 'terraform';
  const samImplicit = (id: string): string | undefined => (Object.hasOwn(SAM_IMPLICIT, id) ? SAM_IMPLICIT[id] : undefined);
  const typeOf = (id: string): string => (terraform ? id.split('.')[0] : (model.types[id] ?? samImplicit(id) ?? 'unknown'));
  // a Terraform resource a patch can write a block at: "<type>.<name>" in the root module
  const writable = (id: string): boolean => !terraform || (/^[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*$/.test(id) && !/^(module|data)\./.test(id));
  if (!writable(api.id)) return undefined;
  const functions: Record<string, TargetRef> = Object.create(null); // keyed by names the source chose ("__proto__" too)
  const primary = primaryFunction(model, api);
  if (primary && writable(primary.id)) functions[DEFAULT_FUNCTION] = { id: primary.id, type: typeOf(primary.id) };
  for (const [id, name] of otherFunctions(model, api, primary)) if (writable(id)) functions[name] = { id, type: typeOf(id) };
  const usagePlans: Record<string, TargetRef> = Object.create(null);
  for (const p of api.usagePlans) {
    const name = safeName(p.name, 64); // as the derived stack names it
    if (!usagePlans[name] && writable(p.loc.resource)) usagePlans[name] = { id: p.loc.resource, type: typeOf(p.loc.resource) };
  }
  const globals = api.stageAt?.via === 'sam-globals';
  const sharedWith = globals ? Object.keys(model.types).filter((id) => model.types[id] === typeOf(api.id)) : [];
  const stage = api.stageAt && writable(api.stageAt.resource) ? { ...api.stageAt, type: typeOf(globals ? api.id : api.stageAt.resource), ...(sharedWith.length ? { sharedWith } : {}) } : undefined;
  return {
    language: terraform ? 'terraform' : sls ? 'serverless' : 'cloudformation',
    // a template `cdk synth` wrote (its CDKMetadata resource), read as a file of its own
    format: model.format === 'cloudformation' && Object.values(model.types).includes('AWS::CDK::Metadata') ? 'cdk' : model.format,
    file: api.loc.file,
    api: { id: api.id, type: typeOf(api.id), ...(api.repeat ? { repeat: api.repeat } : {}) },
    ...(stage ? { stage } : {}),
    methodSettings: Object.fromEntries(Object.entries(api.methodSettingsAt ?? {}).flatMap(([route, at]) => (writable(at.resource) ? [[route, { id: at.resource, methodPath: at.methodPath }]] : []))),
    functions,
    usagePlans,
    ...(api.waf?.acl && writable(api.waf.acl) && writable(api.waf.loc.resource) ? { webAcl: { id: api.waf.acl, type: typeOf(api.waf.acl), priorities: api.waf.priorities ?? [], ...(api.waf.rateRule ? { rateRule: api.waf.rateRule } : {}) }, webAclAssociation: { id: api.waf.loc.resource, type: typeOf(api.waf.loc.resource) } } : {}),
    ...(sls ? { serverless: { ...sls, events: sls.events.filter((e) => e.api === api.kind) } } : {}),
  };
}
