/**
 * Terraform's stages of one API (aws_api_gateway_stage, aws_apigatewayv2_stage): which one the
 * audit reads when there are several (least-protected.ts); the others, and the method settings
 * of theirs, are left out.
 */
import type { ApiModel } from '../model.ts';
import { numberOf } from './cfn-values.ts';
import { leastProtected, loosestRoute, NAME_LEFT_OPEN, type StageCandidate, type StageLimits } from './least-protected.ts';
import { routeOfMethodPath } from '../method-path.ts';
import { all, first, type TfBlock, type TfContext } from './tf-context.ts';

interface Candidate extends StageCandidate {
  block: TfBlock;
}

/** The blocks the audit does not read (stages not chosen, and method settings of theirs). `apiOf`: the API a value refers to. */
export function tfStagesLeftOut(ctx: TfContext, apiOf: (v: unknown) => ApiModel | undefined): Set<TfBlock> {
  const of = (type: string) => ctx.blocks.filter((b) => b.kind === 'resource' && b.type === type);
  const settings = of('aws_api_gateway_method_settings');
  const associations = [...of('aws_wafv2_web_acl_association'), ...of('aws_wafregional_web_acl_association')];
  // whether a value names stage block s: a reference to it, or its name written out
  const names = (b: TfBlock, v: unknown, s: TfBlock, name: string) => ctx.blockRefs(b, v).includes(s.address) || ctx.str(v) === name;
  const byApi = new Map<ApiModel, Candidate[]>();
  for (const s of [...of('aws_api_gateway_stage'), ...of('aws_apigatewayv2_stage')]) {
    const rest = s.type === 'aws_api_gateway_stage';
    const api = apiOf(rest ? s.body.rest_api_id : s.body.api_id);
    if (!api) continue;
    // a name the configuration leaves open (a variable without a default, count.index) is still a stage
    const name = ctx.str(rest ? s.body.stage_name : s.body.name) ?? NAME_LEFT_OPEN;
    const limits: StageLimits = { routes: new Map() };
    const rateOf = (v: unknown) => (v === undefined ? undefined : numberOf(ctx.value(v)));
    if (rest) {
      for (const m of settings.filter((x) => names(x, x.body.stage_name, s, name))) {
        const r = rateOf(first(m.body.settings)?.throttling_rate_limit);
        const path = ctx.str(m.body.method_path);
        if (r === undefined || path === undefined || !Number.isFinite(r)) continue;
        if (path === '*/*') limits.wide = r;
        else limits.routes.set(routeOfMethodPath(path), r);
      }
    } else {
      limits.wide = rateOf((first(s.body.default_route_settings) ?? {}).throttling_rate_limit);
      for (const rs of all(s.body.route_settings)) {
        const r = rateOf(rs.throttling_rate_limit);
        const key = ctx.str(rs.route_key);
        if (r !== undefined && key) limits.routes.set(key, r);
      }
    }
    const rate = loosestRoute(limits, api.routes.map((r) => r.key));
    const waf = associations.some((a) => ctx.blockRefs(a, a.body.resource_arn).includes(s.address) || String(a.body.resource_arn ?? '').endsWith(`/stages/${name}`));
    const list = byApi.get(api) ?? byApi.set(api, []).get(api)!;
    list.push({ block: s, address: s.address, name, rate, waf });
  }
  const out = new Set<TfBlock>();
  for (const [api, list] of byApi) {
    if (list.length < 2) continue;
    const { chosen, others, message } = leastProtected(api.id, list);
    for (const c of others) {
      out.add(c.block);
      for (const m of settings) if (names(m, m.body.stage_name, c.block, c.name) && !names(m, m.body.stage_name, chosen.block, chosen.name)) out.add(m);
    }
    ctx.assume(chosen.block.loc, message);
  }
  return out;
}
