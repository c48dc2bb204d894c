/**
 * The one resource model every IaC reader produces (CloudFormation/SAM, CDK, Terraform,
 * Serverless): APIs with their routes and throttles, functions, and the resources the non-DoS
 * rules look at. Every item keeps where it was written (file, line, logical id / address).
 * Rules only ever see this model, so each rule is written once for all formats.
 */
import type { ApiKind, Throttle } from '../stack/types.ts';

export interface Location {
  file: string;
  line: number;
  /** The resource as the user names it: a logical id, a Terraform address, a serverless path. */
  resource: string;
}

/** A value the reader could not determine, and what it used instead. */
export interface Assumption extends Location {
  message: string;
}

/** How a route lets a caller in. */
export type RouteAuth = 'none' | 'iam' | 'authorizer' | 'unknown';

export interface RouteModel {
  key: string; // "GET /items" (HTTP APIs may also have "$default")
  throttle?: Throttle;
  /** The function (its id in `functions`) the route invokes, when known. */
  function?: string;
  auth: RouteAuth;
  apiKeyRequired: boolean;
  loc: Location;
}

export interface UsagePlanModel {
  name: string;
  throttle?: Throttle;
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset: number };
  /** Per-method throttles (CloudFormation ApiStages[].Throttle, Terraform api_stages.throttle), by route key "METHOD /path". */
  routes?: Record<string, Throttle>;
  loc: Location;
}

/**
 * Where an API's stage settings (stage and route throttles) are written in its source, so that
 * `dowsim tune` can write its patch onto the user's own resource.
 * - `stage`: an AWS::ApiGateway::Stage / AWS::ApiGatewayV2::Stage (Properties), or a Terraform
 *   aws_api_gateway_stage / aws_apigatewayv2_stage;
 * - `deployment`: an AWS::ApiGateway::Deployment's StageDescription;
 * - `sam-api`: an AWS::Serverless::Api / HttpApi's own properties;
 * - `sam-globals`: SAM's implicit API (ServerlessRestApi / ServerlessHttpApi), set through Globals.
 */
export interface StageAt {
  /** The resource's logical id or Terraform address (for `sam-globals`, the implicit API's id). */
  resource: string;
  via: 'stage' | 'deployment' | 'sam-api' | 'sam-globals';
  /** REST in CloudFormation: the MethodSettings list written there, when it is a plain list (what a patch's list must keep). */
  methodSettings?: Record<string, unknown>[];
  /** `sam-api`: Globals.Api's MethodSettings, which SAM puts before the API's own. */
  globalMethodSettings?: boolean;
  /** CloudFormation: the template parameter the stage's name is a `Ref` to (SAM then names the stage it makes `<Api>Stage`, not `<Api><StageName>Stage`). */
  stageNameRef?: string;
  /**
   * Terraform: the stage block's `count` or `for_each`, as HCL (a reference to the stage then
   * needs an instance key; a block of ours made for the stage repeats it, one per instance).
   */
  repeat?: { meta: 'count' | 'for_each'; expr: string };
}

export interface ApiModel {
  /** Unique in its source: what `--stack file#id` selects. */
  id: string;
  kind: ApiKind;
  loc: Location;
  stageName?: string;
  stage?: Throttle;
  /** Where the stage's settings are written (absent: nowhere in the source). */
  stageAt?: StageAt;
  /**
   * Terraform: the aws_api_gateway_method_settings resources of this API, by the route their
   * method_path names ("GET /items"; the stage default, every method of every path, under its own method_path), with the method_path as written.
   */
  methodSettingsAt?: Record<string, { resource: string; methodPath: string }>;
  routes: RouteModel[];
  usagePlans: UsagePlanModel[];
  /**
   * `acl`: the web ACL's logical id or address, when the source defines it; `rateRule`: the name
   * and priority of its rule with a rate-based statement; `priorities`: those of its other rules.
   */
  waf?: { rules: number; rateLimit?: { limit: number; windowSeconds: number }; loc: Location; acl?: string; rateRule?: { name: string; priority: number }; priorities?: number[] };
  /** Where request/response bodies are logged (REST DataTraceEnabled, HTTP data trace). */
  dataTrace?: Location;
  /** A PRIVATE REST API: reachable only through interface VPC endpoints, not from the internet. */
  private?: boolean;
  /** Terraform: the API block's `count` or `for_each` (a reference to it then needs an instance key, as StageAt.repeat). */
  repeat?: StageAt['repeat'];
  /** For a function URL: the function it fronts. */
  urlFunction?: string;
}

export interface FunctionModel {
  id: string;
  loc: Location;
  memoryMb?: number;
  architecture?: 'x86_64' | 'arm64';
  reservedConcurrency?: number;
  timeoutSeconds?: number;
}

export interface PolicyStatementModel {
  loc: Location;
  effect: 'Allow' | 'Deny';
  actions: string[];
  /** NotAction: the statement covers every action but these (with Allow: almost everything). */
  notActions?: string[];
  resources: string[];
}

/** A resource policy letting someone invoke a function (AWS::Lambda::Permission, aws_lambda_permission). */
export interface InvokePermissionModel {
  loc: Location;
  principal: string;
  action: string;
  functionUrlAuthType?: string;
  /** Set when the permission is scoped to a source (an API's ARN): then "*" is not public. */
  sourceArn?: boolean;
}

export interface FunctionUrlModel {
  loc: Location;
  function: string;
  authType: string; // NONE | AWS_IAM
}

export interface BucketModel {
  loc: Location;
  encrypted: boolean;
  /** An encryption configuration whose algorithm is missing or not one S3 accepts ("(none)" when missing). */
  invalidAlgorithm?: string;
}

/** The server-side encryption algorithms S3 accepts. */
export const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

export interface LogGroupModel {
  loc: Location;
  retentionDays?: number;
}

export interface AlarmModel {
  loc: Location;
  namespace?: string;
  metric?: string;
  /** The stack file's `alarms:` entry for it (src/stack/alarm-keys.ts); absent when dowsim cannot model it (an assumption says why). */
  entry?: Record<string, unknown>;
  /** What its dimensions name: resources it references (logical ids, Terraform addresses) and literal values. None: account-wide. */
  dimensions: { refs: string[]; values: string[] };
}

/** An AWS Budgets budget: account-wide, so it watches every API of the source. */
export interface BudgetModel {
  loc: Location;
  /** The stack file's `budgets:` entries for it (one per notification dowsim models). */
  entries: Record<string, unknown>[];
}

export interface AuditModel {
  /** What was read: a file or a folder, as the user named it. */
  source: string;
  format: 'cloudformation' | 'cdk' | 'terraform' | 'serverless';
  region: string;
  /** CloudFormation: each resource's Type by logical id (Terraform addresses say their type). */
  types: Record<string, string>;
  apis: ApiModel[];
  functions: FunctionModel[];
  functionUrls: FunctionUrlModel[];
  statements: PolicyStatementModel[];
  permissions: InvokePermissionModel[];
  buckets: BucketModel[];
  logGroups: LogGroupModel[];
  alarms: AlarmModel[];
  budgets: BudgetModel[];
  assumptions: Assumption[];
  /** A Serverless Framework file: what a tune patch for it must repeat or point at (serverless.yml's own keys). */
  serverless?: ServerlessFacts;
}

/** What of a serverless.yml a patch for it needs, as the file writes it. */
export interface ServerlessFacts {
  service: string;
  /** The plugins the file lists, and where: `plugins: [...]` or `plugins: { modules: [...] }` (undefined: none). */
  plugins: string[];
  pluginsAt?: 'plugins' | 'plugins.modules';
  /** `custom.apiGatewayThrottling` as written (undefined: none). */
  throttling?: Record<string, unknown>;
  /** The http / httpApi events: the route each makes, its function and its index in the function's `events`. */
  events: { api: 'rest' | 'http'; key: string; fn: string; index: number }[];
  /** Each function's `events` as written. */
  functionEvents: Record<string, unknown[]>;
  /** The usage plans' key (provider.apiGateway.usagePlan or provider.usagePlan) and value as written. */
  usagePlan?: { path: string[]; value: unknown };
  /** `custom.associateWaf` as written (undefined: none). */
  associateWaf?: Record<string, unknown>;
}

export function emptyModel(source: string, format: AuditModel['format'], region = 'us-east-1'): AuditModel {
  return { source, format, region, types: Object.create(null) as Record<string, string>, apis: [], functions: [], functionUrls: [], statements: [], permissions: [], buckets: [], logGroups: [], alarms: [], budgets: [], assumptions: [] };
}
