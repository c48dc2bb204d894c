/**
 * CloudFormation alarms and budgets (AWS::CloudWatch::Alarm, AWS::Budgets::Budget), read into the
 * stack file's `alarms:` / `budgets:` entries by the shared mapping in src/stack/alarm-keys.ts. What
 * dowsim cannot model is an assumption with the resource's line, never silently dropped.
 */
import { alarmEntry, budgetEntries, type BudgetProps, type CloudWatchAlarmProps } from '../../stack/alarm-keys.ts';
import type { CfnContext } from './cfn-context.ts';
import { refsIn } from './cfn-context.ts';

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
    refs: dims.flatMap((d) => refsIn(d?.Value)).filter((r) => ctx.resources[r]),
    values: dims.map((d) => ctx.str(d?.Value)).filter((v): v is string => !!v),
  };
  const r = alarmEntry(props, id);
  if ('skipped' in r) ctx.assume(ctx.loc(id), `${r.skipped}; it is not evaluated`);
  ctx.model.alarms.push({ loc: ctx.loc(id), ...(namespace ? { namespace } : {}), ...(metric ? { metric } : {}), ...('alarm' in r ? { entry: r.alarm } : {}), dimensions });
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
