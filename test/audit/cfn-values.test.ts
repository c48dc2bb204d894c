/** CloudFormation's short-form intrinsics and what a template fixes by itself (parameters, conditions, mappings). */
import { describe, expect, it } from 'vitest';
import { CfnValues, numberOf, quoted, UNRESOLVED } from '../../src/audit/read/cfn-values.ts';
import { readCfnText } from '../../src/audit/read/cfn-yaml.ts';

const TEMPLATE = `
Parameters:
  Stage: { Type: String, Default: prod }
  Memory: { Type: Number }
Mappings:
  Sizes: { prod: { mb: 1024 }, dev: { mb: 128 } }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [!Ref AWS::Region, us-east-1]]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      MemorySize: !FindInMap [Sizes, !Ref Stage, mb]
      Timeout: !If [NotProd, 3, 30]
      FunctionName: !Sub '\${Stage}-orders-\${AWS::Region}'
      Description: !Join ['-', [!Ref Stage, !Select [1, [a, b, c]]]]
      Role: !GetAtt Role.Arn
      ReservedConcurrentExecutions: !Ref Memory
      Tags: !Split [',', 'a,b']
`;

describe('CloudFormation values', () => {
  const { data, lineOf } = readCfnText(TEMPLATE, 'template.yaml');
  const v = new CfnValues(data as never, 'us-east-1');
  const p = (data.Resources as Record<string, { Properties: Record<string, unknown> }>).Fn.Properties;

  it('short-form tags read as their long form, !GetAtt A.B as [A, B]', () => {
    expect(p.Role).toEqual({ 'Fn::GetAtt': ['Role', 'Arn'] });
    expect(p.MemorySize).toEqual({ 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'mb'] });
    expect((data.Conditions as Record<string, unknown>).NotProd).toEqual({ 'Fn::Not': [{ Condition: 'IsProd' }] });
  });
  it('an intrinsic whose own arguments the template leaves open, or of the wrong type, is unresolved (never "[object Object]", never a throw)', () => {
    // Memory has no Default: !Ref Memory is open
    expect(v.value({ 'Fn::Select': [{ Ref: 'Memory' }, ['a', 'b']] })).toBe(UNRESOLVED);
    expect(v.value({ 'Fn::Join': [{ Ref: 'Memory' }, ['a', 'b']] })).toBe(UNRESOLVED);
    expect(v.value({ 'Fn::Join': [{ a: 1 }, ['a', 'b']] })).toBe(UNRESOLVED);
    expect(v.value({ 'Fn::Sub': ['${x}-api', { Ref: 'Memory' }] })).toBe(UNRESOLVED);
    expect(v.value({ 'Fn::Sub': ['${x}-api', 5] })).toBe(UNRESOLVED);
    expect(v.value({ 'Fn::Sub': ['${x}-api', { x: 'orders' }] })).toBe('orders-api');
    expect(v.value({ 'Fn::Join': [{ Ref: 'Stage' }, ['a', 'b']] })).toBe('aprodb');
  });

  it('numbers and quotes of resolved values: numeric text is a number, anything else NaN; a quote says a structure as JSON and an open value as such', () => {
    expect([numberOf(5), numberOf('2.5'), numberOf(''), numberOf(' '), numberOf(UNRESOLVED), numberOf({ Ref: 'X' }), numberOf(null)]).toEqual([5, 2.5, NaN, NaN, NaN, NaN, NaN]);
    expect([quoted('${env:X}'), quoted({ Ref: 'L' }), quoted(UNRESOLVED), quoted(undefined), quoted('x'.repeat(100))]).toEqual(['${env:X}', '{"Ref":"L"}', 'left open', 'undefined', `${'x'.repeat(77)}...`]);
  });

  it('parameters by their Default, mappings, conditions, !If, !Sub with pseudo parameters, !Join and !Select resolve', () => {
    expect(v.value(p.MemorySize)).toBe(1024);
    expect(v.condition('IsProd')).toBe(true);
    expect(v.condition('Both')).toBe(true);
    expect(v.value(p.Timeout)).toBe(30);
    expect(v.value(p.FunctionName)).toBe('prod-orders-us-east-1');
    expect(v.value(p.Description)).toBe('prod-b');
  });
  it('what the template does not fix stays unresolved: a parameter without a default, a resource attribute, Fn::Split', () => {
    expect(v.value(p.ReservedConcurrentExecutions)).toBe(UNRESOLVED);
    expect(v.value(p.Role)).toBe(UNRESOLVED);
    expect(v.value(p.Tags)).toBe(UNRESOLVED);
  });
  it('lines point at the key in the source', () => {
    expect(lineOf(['Resources', 'Fn'])).toBe(12);
    expect(lineOf(['Resources', 'Fn', 'Properties', 'Timeout'])).toBe(16);
  });
});
