import { stringify } from 'yaml';
import type { Stack, Throttle } from '../stack/types.ts';
import { CATCH_ALL_ROUTE } from '../stack/routes.ts';
import { changedParts, newRouteNotes } from './changed-parts.ts';
import { DEFAULT_FUNCTION, stackFunctions } from '../stack/functions.ts';
import { RATE_RULE_NAME, deleteLines, keepOthersNote, wafChange } from './waf-change.ts';

const CFN_WAF_NAMES = { acl: 'RateLimitWebAcl', association: 'RateLimitWebAclAssociation', aclType: 'AWS::WAFv2::WebACL', associationType: 'AWS::WAFv2::WebACLAssociation' };

/**
 * The tuned settings as CloudFormation/SAM would say them: complete, minimal resources for what
 * changed, with the API, deployment and function referenced by logical ids (`Api`,
 * `ApiDeployment`, `Function`) to be matched to the user's own. Long-form intrinsics (`Ref:`,
 * `Fn::Sub:`) keep it plain YAML any parser reads.
 */
export function cloudFormationPatch(base: Stack, tuned: Stack): string {
  const parts = changedParts(base, tuned);
  const resources: Record<string, unknown> = {};
  const stageName = tuned.deployed.stage;
  if (parts.throttles && tuned.api.kind === 'rest') {
    resources.ApiStage = {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: { Ref: 'Api' },
        DeploymentId: { Ref: 'ApiDeployment' },
        StageName: stageName,
        MethodSettings: restMethodSettings(tuned),
      },
    };
  }
  if (parts.throttles && tuned.api.kind === 'http') {
    const routeSettings = Object.fromEntries(routeThrottles(tuned).map(([k, t]) => [k, { ThrottlingRateLimit: t.rate, ThrottlingBurstLimit: t.burst }]));
    resources.ApiStage = {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ApiId: { Ref: 'Api' },
        StageName: stageName,
        ...(tuned.api.stage ? { DefaultRouteSettings: { ThrottlingRateLimit: tuned.api.stage.rate, ThrottlingBurstLimit: tuned.api.stage.burst } } : {}),
        ...(Object.keys(routeSettings).length ? { RouteSettings: routeSettings } : {}),
      },
    };
  }
  for (const i of parts.usagePlans) {
    const p = tuned.api.usagePlans[i];
    resources[`UsagePlan${logicalSuffix(p.name)}`] = {
      Type: 'AWS::ApiGateway::UsagePlan',
      Properties: {
        UsagePlanName: p.name,
        ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: stageName }],
        ...(p.throttle ? { Throttle: { RateLimit: p.throttle.rate, BurstLimit: p.throttle.burst } } : {}),
        ...(p.quota ? { Quota: { Limit: p.quota.limit, Period: p.quota.period, Offset: p.quota.offset } } : {}),
      },
    };
  }
  const waf = wafChange(base, tuned);
  if (waf.kind === 'new-acl' || waf.kind === 'set-rule') Object.assign(resources, wafResources(tuned));
  for (const f of stackFunctions(tuned).filter((x) => parts.reservedConcurrency.includes(x.name))) {
    resources[f.name === DEFAULT_FUNCTION ? 'Function' : `Function${logicalSuffix(f.name)}`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: f.functionName,
        MemorySize: f.memoryMb,
        ...(f.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: f.reservedConcurrency } : {}),
      },
    };
  }
  const notes = [...newRouteNotes(base, tuned), ...deleteLines(waf, CFN_WAF_NAMES), ...keepOthersNote(waf, CFN_WAF_NAMES.acl)];
  if (!Object.keys(resources).length && !notes.length) return '# dowsim tune: no change to the stack\n';
  const head = `# dowsim tune: the changed settings of ${tuned.deployed.apiName.replace(/[\r\n]/g, ' ')}; merge into your template\n${notes.map((n) => `${n}\n`).join('')}`;
  return Object.keys(resources).length ? `${head}${stringify({ Resources: resources }, { lineWidth: 0 })}` : head;
}

/** A web ACL with the rate-based rule, and its association with the API's stage. */
function wafResources(tuned: Stack): Record<string, unknown> {
  const r = tuned.waf!.rateLimit!;
  const stageName = tuned.deployed.stage;
  return {
    RateLimitWebAcl: {
      Type: 'AWS::WAFv2::WebACL',
      Properties: {
        Name: `${tuned.deployed.apiName}-rate-limit`,
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility(`${tuned.deployed.apiName}-web-acl`),
        Rules: [
          {
            Name: RATE_RULE_NAME,
            Priority: 0,
            Action: { Block: {} },
            Statement: {
              RateBasedStatement: {
                Limit: r.limit,
                EvaluationWindowSec: r.windowSeconds,
                AggregateKeyType: r.key === 'ip' ? 'IP' : 'FORWARDED_IP',
                ...(r.key === 'forwarded-ip' ? { ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' } } : {}),
              },
            },
            VisibilityConfig: visibility(RATE_RULE_NAME),
          },
        ],
      },
    },
    RateLimitWebAclAssociation: {
      Type: 'AWS::WAFv2::WebACLAssociation',
      Properties: {
        ResourceArn: { 'Fn::Sub': `arn:aws:apigateway:\${AWS::Region}::/restapis/\${Api}/stages/${stageName}` },
        WebACLArn: { 'Fn::GetAtt': ['RateLimitWebAcl', 'Arn'] },
      },
    },
  };
}

/** MethodSettings: the stage default on every method ("/*", "*"), then each throttled route. */
function restMethodSettings(stack: Stack): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (stack.api.stage) {
    out.push({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: stack.api.stage.rate, ThrottlingBurstLimit: stack.api.stage.burst });
  }
  for (const [key, t] of routeThrottles(stack)) {
    const [method, path] = key.split(' ');
    // CloudFormation encodes the resource path's slashes as ~1 ("/items/{id}" → "/~1items~1{id}")
    out.push({ ResourcePath: `/${path.replace(/\//g, '~1')}`, HttpMethod: method === 'ANY' ? '*' : method, ThrottlingRateLimit: t.rate, ThrottlingBurstLimit: t.burst });
  }
  return out;
}

/** The routes carrying a throttle of their own ("METHOD /path" → throttle). */
export function routeThrottles(stack: Stack): [string, Throttle][] {
  return Object.entries(stack.api.routes).filter((e): e is [string, Throttle] => e[1] !== null && e[0] !== CATCH_ALL_ROUTE);
}

function visibility(name: string) {
  return { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128) };
}

function logicalSuffix(name: string): string {
  const s = name.replace(/[^A-Za-z0-9]/g, '');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
