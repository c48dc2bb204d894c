import { describe, expect, it } from 'vitest';
import { parseStack } from '../../src/stack/parse.ts';
import { InputError } from '../../src/model/errors.ts';
import { monitoringFileKeys } from '../../src/stack/alarms-schema.ts';
import { loadStack } from '../../src/stack/load.ts';

const stack = (kind: string, extra: string) => `name: s
api: { kind: ${kind} }
lambda: { memoryMb: 128 }
${extra}`;

const problems = (text: string): string[] => {
  try {
    parseStack(text, 'stack.yaml');
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
};

describe('alarms: and budgets: in a stack file', () => {
  it('fills in CloudWatch defaults: Sum, 5m, 1 of 1, GreaterThanThreshold, 60s delay; budgets at 100 % ACTUAL', () => {
    const s = parseStack(stack('rest', 'alarms:\n  - { name: t, metric: Count, threshold: 10 }\nbudgets:\n  - { name: b, limitUsd: 20 }\n'));
    expect(s.alarms).toEqual([
      { name: 't', metric: 'Count', statistic: 'Sum', periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 10, comparison: 'GreaterThanThreshold', delaySeconds: 60 },
    ]);
    expect(s.budgets).toEqual([{ name: 'b', limitUsd: 20, thresholdPercent: 100, type: 'ACTUAL' }]);
  });

  it('datapointsToAlarm defaults to evaluationPeriods; an HTTP API\'s 5xx is 5XXError', () => {
    const s = parseStack(stack('http', 'alarms:\n  - { name: e, metric: 5xx, period: 1m, evaluationPeriods: 3, threshold: 1 }\n'));
    expect(s.alarms![0]).toMatchObject({ metric: '5XXError', periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 3 });
  });

  it('a stack without them has neither key', () => {
    const s = parseStack(stack('rest', ''));
    expect(s.alarms).toBeUndefined();
    expect(s.budgets).toBeUndefined();
  });

  it('reports every mistake at once, each with its path and line', () => {
    const text = stack(
      'function-url',
      [
        'alarms:',
        '  - { name: a, metric: Count, threshold: 5 }',
        '  - { name: b, metric: Throttles, threshold: 5, period: 45s, evaluationPeriods: 2, datapointsToAlarm: 3 }',
        '  - { name: a, metric: Duration, threshold: high, statistic: p99 }',
        'budgets:',
        '  - { name: b, limitUsd: -1, type: MAYBE }',
      ].join('\n'),
    );
    expect(problems(text)).toEqual([
      'alarms[0].metric: expected a Lambda or billing metric: Count is an API Gateway metric, and a function URL has no API Gateway (line 5)',
      expect.stringMatching(/^alarms\[1\]\.period: expected a period of 10s, 30s or a whole number of minutes .*"45s" \(line 6\)$/),
      'alarms[1].datapointsToAlarm: expected at most evaluationPeriods (2), got 3 (line 6)',
      'alarms[2].statistic: expected one of Sum, Average, Maximum, SampleCount, got "p99" (line 7)',
      'alarms[2].threshold: expected a number, got "high" (line 7)',
      'alarms[2].name: expected a name no other alarm or budget has; "a" is also the name of alarms[0] (line 7)',
      'budgets[0].limitUsd: expected a number > 0, got -1 (line 9)',
      'budgets[0].type: expected one of ACTUAL, FORECASTED, got "MAYBE" (line 9)',
      'budgets[0].name: expected a name no other alarm or budget has; "b" is also the name of alarms[1] (line 9)',
    ]);
  });
});

describe('alarms and budgets written back to a stack file', () => {
  it('read back to the same alarms and budgets', () => {
    const s = loadStack('rest-alarmed');
    const again = parseStack(JSON.stringify({ name: 'x', api: { kind: 'rest' }, lambda: { memoryMb: 128 }, ...monitoringFileKeys(s) }));
    expect(again.alarms).toEqual(s.alarms);
    expect(again.budgets).toEqual(s.budgets);
  });
});
