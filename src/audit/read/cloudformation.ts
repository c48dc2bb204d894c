/**
 * CloudFormation and SAM templates (YAML with short-form intrinsics, or JSON; CDK's synthesized
 * templates are the same) onto the one resource model.
 */
import { InputError } from '../../model/errors.ts';
import { emptyModel, type AuditModel } from '../model.ts';
import { CfnContext } from './cfn-context.ts';
import { readCfnText } from './cfn-yaml.ts';
import type { Template } from './cfn-values.ts';
import { stagesLeftOut } from './cfn-stages.ts';
import { arnStage, readDeployment, readHttpApi, readMethod, readRestApi, readRestStage, readUsagePlan, readV2Route, readV2Stage, readWafAssociation } from './cfn-apis.ts';
import { readAlarm, readBudget } from './cfn-monitoring.ts';
import { readBucket, readFunctionUrl, readIam, readLambdaFunction, readLogGroup, readPermission } from './cfn-functions.ts';
import { readSamApi, readSamFunction } from './sam.ts';
import { functionUrlApis } from './function-url-apis.ts';

type Reader = (ctx: CfnContext, id: string, type: string) => void;

/** Readers in passes: APIs first (events and stages attach to them), then what attaches. */
const PASSES: Record<string, Reader>[] = [
  {
    'AWS::ApiGateway::RestApi': readRestApi,
    'AWS::ApiGatewayV2::Api': readHttpApi,
    'AWS::Serverless::Api': (c, id) => readSamApi(c, id, 'Api'),
    'AWS::Serverless::HttpApi': (c, id) => readSamApi(c, id, 'HttpApi'),
    'AWS::Lambda::Function': readLambdaFunction,
  },
  {
    'AWS::Serverless::Function': readSamFunction,
    'AWS::ApiGateway::Method': readMethod,
    'AWS::ApiGatewayV2::Route': readV2Route,
  },
  {
    'AWS::ApiGateway::Stage': readRestStage,
    'AWS::ApiGateway::Deployment': readDeployment,
    'AWS::ApiGatewayV2::Stage': readV2Stage,
    'AWS::Lambda::Url': readFunctionUrl,
    'AWS::Lambda::Permission': readPermission,
    'AWS::S3::Bucket': readBucket,
    'AWS::Logs::LogGroup': readLogGroup,
    'AWS::CloudWatch::Alarm': readAlarm,
    'AWS::Budgets::Budget': readBudget,
    'AWS::IAM::Role': readIam,
    'AWS::IAM::Policy': readIam,
    'AWS::IAM::ManagedPolicy': readIam,
  },
  // once every stage is read: which one a web ACL's association or a usage plan names
  { 'AWS::WAFv2::WebACLAssociation': readWafAssociation, 'AWS::ApiGateway::UsagePlan': readUsagePlan },
];

/** Reads one template's text; `model` collects into an existing model (a CDK app's several templates). */
export function readCloudFormation(text: string, file: string, model: AuditModel = emptyModel(file, 'cloudformation')): AuditModel {
  const { data, lineOf } = readCfnText(text, file);
  const resources = data.Resources;
  if (!resources || typeof resources !== 'object' || Array.isArray(resources)) {
    throw new InputError([{ path: `line ${lineOf(['Resources'])}`, message: 'expected a CloudFormation/SAM template: a map with Resources' }], file);
  }
  const ctx = new CfnContext(file, data as Template, lineOf, model);
  for (const [id, r] of Object.entries(resources as Template['Resources'] & object)) if (typeof r?.Type === 'string') model.types[id] = r.Type;
  for (const pass of PASSES) {
    // before the stages, once the routes are known: which of an API's several stages is read (cfn-stages.ts)
    if (pass === PASSES[2]) ctx.leftOut = stagesLeftOut(ctx, (arn) => arnStage(ctx, arn));
    for (const [id, r] of Object.entries(resources as Template['Resources'] & object)) {
      const type = typeof r?.Type === 'string' ? r.Type : '';
      const read = pass[type];
      if (read && ctx.exists(id)) read(ctx, id, type);
    }
  }
  return model;
}

/** Adds function URLs as APIs of kind function-url (called once all files of a source are read). */
export { functionUrlApis };
