/**
 * CloudFormation's stages of one API (AWS::ApiGateway::Stage, a Deployment with a StageName,
 * AWS::ApiGatewayV2::Stage): which one the audit reads when there are several
 * (least-protected.ts). A SAM API's own stage is not among them: SAM reads it with the API.
 */
import { refsIn, type CfnContext } from './cfn-context.ts';
import { numberOf } from './cfn-values.ts';
import { leastProtected, type StageCandidate } from './least-protected.ts';

type Obj = Record<string, unknown>;

const STAGE_TYPES: Record<string, (p: Obj) => { api: unknown; name: unknown; throttle?: unknown }> = {
  'AWS::ApiGateway::Stage': (p) => ({ api: p.RestApiId, name: p.StageName, throttle: stageWide(p.MethodSettings) }),
  // a deployment with a StageName makes a stage of its own
  'AWS::ApiGateway::Deployment': (p) => {
    const sd = (p.StageDescription ?? {}) as Obj;
    return { api: p.RestApiId, name: p.StageName, throttle: sd.ThrottlingRateLimit ?? stageWide(sd.MethodSettings) };
  },
  'AWS::ApiGatewayV2::Stage': (p) => ({ api: p.ApiId, name: p.StageName, throttle: ((p.DefaultRouteSettings ?? {}) as Obj).ThrottlingRateLimit }),
};

/** The stage-wide MethodSettings entry's rate limit (ResourcePath "/*", HttpMethod "*"), if any. */
function stageWide(settings: unknown): unknown {
  if (!Array.isArray(settings)) return undefined;
  const s = settings.find((x) => x && typeof x === 'object' && String((x as Obj).ResourcePath ?? '/*') === '/*' && String((x as Obj).HttpMethod ?? '*') === '*');
  return (s as Obj | undefined)?.ThrottlingRateLimit;
}

/**
 * The stage resources of APIs with more than one stage that the audit leaves out (their settings
 * are not read), with an assumption on each such API. `stageOf(arn)`: the stage a web ACL
 * association names (cfn-apis.ts arnStage).
 */
export function stagesLeftOut(ctx: CfnContext, stageOf: (arn: unknown) => string | undefined): Set<string> {
  const byApi = new Map<string, StageCandidate[]>();
  const associated = new Map<string, Set<string>>();
  for (const [id, r] of Object.entries(ctx.resources)) {
    if (r?.Type !== 'AWS::WAFv2::WebACLAssociation' || !ctx.exists(id)) continue;
    const p = ctx.props(id);
    const named = stageOf(p.ResourceArn);
    for (const api of refsIn(p.ResourceArn)) if (named !== undefined) (associated.get(api) ?? associated.set(api, new Set()).get(api)!).add(named);
  }
  for (const [id, r] of Object.entries(ctx.resources)) {
    const read = typeof r?.Type === 'string' && Object.hasOwn(STAGE_TYPES, r.Type) ? STAGE_TYPES[r.Type] : undefined;
    if (!read || !ctx.exists(id)) continue;
    const s = read(ctx.props(id));
    const api = refsIn(s.api)[0];
    const name = ctx.str(s.name);
    // a SAM API's own stage is read with the API (sam.ts): a stage resource beside it is read on top, as before
    if (!api || name === undefined || String(ctx.resources[api]?.Type ?? '').startsWith('AWS::Serverless::')) continue;
    const rate = s.throttle === undefined ? Infinity : numberOf(ctx.values.value(s.throttle));
    const list = byApi.get(api) ?? byApi.set(api, []).get(api)!;
    list.push({ address: id, name, rate: Number.isFinite(rate) ? rate : Infinity, waf: associated.get(api)?.has(name) ?? false });
  }
  const out = new Set<string>();
  for (const [api, list] of byApi) {
    if (list.length < 2) continue;
    const { chosen, others, message } = leastProtected(api, list);
    for (const c of others) out.add(c.address);
    ctx.assume(ctx.loc(chosen.address), message);
  }
  return out;
}
