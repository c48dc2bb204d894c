/**
 * CloudFormation's stages of one API (AWS::ApiGateway::Stage, a Deployment with a StageName,
 * AWS::ApiGatewayV2::Stage): which one the audit reads when there are several
 * (least-protected.ts). A SAM API's own stage is one of them where stage resources stand beside
 * it; when another is read, the settings SAM's stage gave the API are let go first (resetStage).
 */
import { refsIn, type CfnContext } from './cfn-context.ts';
import { numberOf } from './cfn-values.ts';
import { leastProtected, loosestRoute, NAME_LEFT_OPEN, type StageCandidate, type StageLimits } from './least-protected.ts';
import { methodSettingKey } from './cfn-apis.ts';
import { withGlobals } from './sam.ts';

type Obj = Record<string, unknown>;

const STAGE_TYPES: Record<string, (ctx: CfnContext, p: Obj) => { api: unknown; name: unknown; limits: StageLimits }> = {
  'AWS::ApiGateway::Stage': (ctx, p) => ({ api: p.RestApiId, name: p.StageName, limits: methodLimits(ctx, p.MethodSettings) }),
  // a deployment with a StageName makes a stage of its own
  'AWS::ApiGateway::Deployment': (ctx, p) => {
    const sd = (p.StageDescription ?? {}) as Obj;
    const limits = methodLimits(ctx, sd.MethodSettings);
    return { api: p.RestApiId, name: p.StageName, limits: { ...limits, wide: rateOf(ctx, sd.ThrottlingRateLimit) ?? limits.wide } };
  },
  'AWS::ApiGatewayV2::Stage': (ctx, p) => {
    const routes = new Map<string, number>();
    const rs = ctx.values.value(p.RouteSettings);
    for (const [key, v] of Object.entries(rs && typeof rs === 'object' && !Array.isArray(rs) ? (rs as Obj) : {})) {
      const r = rateOf(ctx, (v as Obj | undefined)?.ThrottlingRateLimit);
      if (r !== undefined) routes.set(key, r);
    }
    return { api: p.ApiId, name: p.StageName, limits: { wide: rateOf(ctx, ((p.DefaultRouteSettings ?? {}) as Obj).ThrottlingRateLimit), routes } };
  },
};

function rateOf(ctx: CfnContext, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(ctx.values.value(v));
  return Number.isFinite(n) ? n : undefined;
}

/** A REST stage's MethodSettings as limits: the "/*" "*" entry stage-wide, the others by route. */
function methodLimits(ctx: CfnContext, settings: unknown): StageLimits {
  const out: StageLimits = { routes: new Map() };
  const list = ctx.values.value(settings);
  for (const x of Array.isArray(list) ? list : []) {
    if (!x || typeof x !== 'object') continue;
    const rp = String((x as Obj).ResourcePath ?? '/*');
    const hm = String((x as Obj).HttpMethod ?? '*');
    const r = rateOf(ctx, (x as Obj).ThrottlingRateLimit);
    if (r === undefined) continue;
    if (rp === '/*' && hm === '*') out.wide = r;
    else out.routes.set(methodSettingKey(rp, hm), r);
  }
  return out;
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
    const s = read(ctx, ctx.props(id));
    const api = refsIn(s.api)[0];
    if (!api || s.name === undefined) continue;
    // a name the template leaves open (a parameter without a default) is still a stage
    const name = ctx.str(s.name) ?? NAME_LEFT_OPEN;
    const routes = ctx.model.apis.find((a) => a.id === api && a.loc.file === ctx.file)?.routes.map((r) => r.key) ?? [];
    const list = byApi.get(api) ?? byApi.set(api, []).get(api)!;
    list.push({ address: id, name, rate: loosestRoute(s.limits, routes), waf: associated.get(api)?.has(name) ?? false });
  }
  // a SAM API's own stage, where stage resources stand beside it: one of its stages too
  for (const [api, list] of byApi) {
    const type = String(ctx.resources[api]?.Type ?? '');
    if (!type.startsWith('AWS::Serverless::')) continue;
    const http = type === 'AWS::Serverless::HttpApi';
    const p = withGlobals(ctx.t.Globals?.[http ? 'HttpApi' : 'Api'], ctx.props(api));
    const name = ctx.str(p.StageName) ?? (http ? '$default' : NAME_LEFT_OPEN);
    const limits = http ? STAGE_TYPES['AWS::ApiGatewayV2::Stage'](ctx, p).limits : methodLimits(ctx, p.MethodSettings);
    const routes = ctx.model.apis.find((a) => a.id === api && a.loc.file === ctx.file)?.routes.map((r) => r.key) ?? [];
    list.unshift({ address: api, name, rate: loosestRoute(limits, routes), waf: associated.get(api)?.has(name) ?? false });
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
