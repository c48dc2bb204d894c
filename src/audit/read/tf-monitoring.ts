/**
 * Terraform alarms and budgets (aws_cloudwatch_metric_alarm, aws_budgets_budget): their arguments
 * are CloudWatch's / Budgets' property names in snake_case, mapped one to one onto the shared
 * mapping in src/stack/alarm-keys.ts. What dowsim cannot model is an assumption with the block's line.
 */
import { alarmEntry, budgetEntries, type BudgetProps, type CloudWatchAlarmProps } from '../../stack/alarm-keys.ts';
import { all, type Obj, type TfBlock, type TfContext } from './tf-context.ts';

export function readTfAlarm(ctx: TfContext, b: TfBlock): void {
  const namespace = ctx.str(b.body.namespace);
  const metric = ctx.str(b.body.metric_name);
  const n = (k: string) => ctx.num(b, b.body[k], `${b.address} ${k}`);
  const queries = all(b.body.metric_query);
  const props: CloudWatchAlarmProps = {
    AlarmName: ctx.str(b.body.alarm_name),
    Namespace: namespace,
    MetricName: metric,
    Statistic: ctx.str(b.body.statistic),
    ExtendedStatistic: ctx.str(b.body.extended_statistic),
    Period: n('period'),
    EvaluationPeriods: n('evaluation_periods'),
    DatapointsToAlarm: n('datapoints_to_alarm'),
    Threshold: n('threshold'),
    ComparisonOperator: ctx.str(b.body.comparison_operator),
    Metrics: queries.length ? queries : undefined,
  };
  const dims = Object.values((all(b.body.dimensions)[0] ?? {}) as Obj);
  const known = new Set([...ctx.model.apis.map((a) => a.id), ...ctx.model.functions.map((f) => f.id)]);
  const dimensions = {
    refs: dims.flatMap((v) => ctx.refs(v)).filter((r) => known.has(r) || ctx.block(r)),
    values: dims.map((v) => ctx.str(v)).filter((v): v is string => !!v),
  };
  const r = alarmEntry(props, b.address);
  if ('skipped' in r) ctx.assume(b.loc, `${r.skipped}; it is not evaluated`);
  ctx.model.alarms.push({ loc: b.loc, ...(namespace ? { namespace } : {}), ...(metric ? { metric } : {}), ...('alarm' in r ? { entry: r.alarm } : {}), dimensions });
}

export function readTfBudget(ctx: TfContext, b: TfBlock): void {
  const props: BudgetProps = {
    BudgetName: ctx.str(b.body.name),
    BudgetType: ctx.str(b.body.budget_type),
    TimeUnit: ctx.str(b.body.time_unit),
    BudgetLimit: { Amount: ctx.str(b.body.limit_amount), Unit: ctx.str(b.body.limit_unit) },
    Notifications: all(b.body.notification).map((x) => ({
      NotificationType: ctx.str(x.notification_type),
      ComparisonOperator: ctx.str(x.comparison_operator),
      Threshold: Number(ctx.str(x.threshold)),
      ThresholdType: ctx.str(x.threshold_type),
    })),
  };
  const { budgets, skipped } = budgetEntries(props, b.address);
  for (const s of skipped) ctx.assume(b.loc, `${s}; it is not evaluated`);
  ctx.model.budgets.push({ loc: b.loc, entries: budgets });
}
