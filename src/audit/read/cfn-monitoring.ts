/**
 * CloudFormation alarms and budgets (AWS::CloudWatch::Alarm, AWS::Budgets::Budget), read into the
 * stack file's `alarms:` / `budgets:` entries by the shared mapping in src/stack/alarm-keys.ts. What
 * dowsim cannot model is an assumption with the resource's line, never silently dropped.
 */
import { alarmEntry, budgetEntries, type BudgetProps, type CloudWatchAlarmProps } from '../../stack/alarm-keys.ts';
import type { AuditModel } from '../model.ts';
import { CfnContext, refsIn } from './cfn-context.ts';
import type { Template } from './cfn-values.ts';
import type { LineOf } from './cfn-yaml.ts';

type Obj = Record<string, unknown>;

export function readAlarm(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const namespace = ctx.str(p.Namespace);
  const metric = ctx.str(p.MetricName);
  const n = (k: string) => ctx.num(id, [k], p[k], k);
  const props: CloudWatchAlarmProps = {
    AlarmName: ctx.str(p.AlarmName),
    Namespace: namespace,
    MetricName: metric,
    Statistic: ctx.str(p.Statistic),
    ExtendedStatistic: ctx.str(p.ExtendedStatistic),
    Period: n('Period'),
    EvaluationPeriods: n('EvaluationPeriods'),
    DatapointsToAlarm: n('DatapointsToAlarm'),
    Threshold: n('Threshold'),
    ComparisonOperator: ctx.str(p.ComparisonOperator),
    Metrics: Array.isArray(p.Metrics) ? p.Metrics : undefined,
  };
  const dims = Array.isArray(p.Dimensions) ? (p.Dimensions as Obj[]) : [];
  const dimensions = {
    refs: dims.flatMap((d) => refsIn(d?.Value)).map((r) => modelId(ctx, r)).filter((r) => ctx.resources[r] || ctx.model.apis.some((a) => a.id === r) || ctx.model.functions.some((f) => f.id === r)),
    values: dims.map((d) => ctx.str(d?.Value)).filter((v): v is string => !!v),
  };
  const r = alarmEntry(props, id);
  if ('skipped' in r) ctx.assume(ctx.loc(id), `${r.skipped}; it is not evaluated`);
  ctx.model.alarms.push({ loc: ctx.loc(id), ...(namespace ? { namespace } : {}), ...(metric ? { metric } : {}), ...('alarm' in r ? { entry: r.alarm } : {}), dimensions });
}

/**
 * A logical id as the model names it: in a Serverless `resources:` section, the Framework's
 * `<Name>LambdaFunction` is the function `<name>` (ApiGatewayRestApi and HttpApi are the API ids already).
 */
function modelId(ctx: CfnContext, ref: string): string {
  if (ctx.model.format !== 'serverless' || !ref.endsWith('LambdaFunction')) return ref;
  const norm = (s: string) => s.replace(/-/g, 'Dash').replace(/_/g, 'Underscore').toLowerCase();
  return ctx.model.functions.find((f) => norm(f.id) === norm(ref.slice(0, -'LambdaFunction'.length)))?.id ?? ref;
}

/**
 * A Serverless service's `resources: { Resources: … }` is CloudFormation: its alarms and budgets are
 * read like a template's, lines pointing into serverless.yml.
 */
export function readServerlessResources(data: Record<string, unknown>, file: string, lineOf: LineOf, model: AuditModel): void {
  const res = (data.resources as Obj | undefined)?.Resources;
  if (!res || typeof res !== 'object' || Array.isArray(res)) return;
  const ctx = new CfnContext(file, { Resources: res } as Template, (path) => lineOf(['resources', ...path]), model);
  for (const [id, r] of Object.entries(res as Record<string, Obj>)) {
    if (r?.Type === 'AWS::CloudWatch::Alarm') readAlarm(ctx, id);
    if (r?.Type === 'AWS::Budgets::Budget') readBudget(ctx, id);
  }
}

export function readBudget(ctx: CfnContext, id: string): void {
  const p = ctx.props(id);
  const b = (ctx.values.value(p.Budget) ?? {}) as Obj;
  const limit = (b.BudgetLimit ?? {}) as Obj;
  const subs = ctx.values.value(p.NotificationsWithSubscribers);
  const props: BudgetProps = {
    BudgetName: typeof b.BudgetName === 'string' ? b.BudgetName : undefined,
    BudgetType: typeof b.BudgetType === 'string' ? b.BudgetType : undefined,
    TimeUnit: typeof b.TimeUnit === 'string' ? b.TimeUnit : undefined,
    BudgetLimit: { Amount: limit.Amount as number | string | undefined, Unit: typeof limit.Unit === 'string' ? limit.Unit : undefined },
    Notifications: (Array.isArray(subs) ? subs : []).map((s) => ((s as Obj)?.Notification ?? {}) as NonNullable<BudgetProps['Notifications']>[number]),
  };
  const { budgets, skipped } = budgetEntries(props, id);
  for (const s of skipped) ctx.assume(ctx.loc(id), `${s}; it is not evaluated`);
  ctx.model.budgets.push({ loc: ctx.loc(id), entries: budgets });
}
