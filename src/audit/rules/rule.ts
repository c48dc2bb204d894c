/**
 * What a rule is (cfn-lint / Checkov style: one rule per file): an id, a one-line title, a
 * category, a severity, help naming the equivalent cfn_nag / Checkov / cdk-nag checks, and one
 * function from the resource model (and the priced stacks) to findings.
 */
import type { Detection } from '../../model/result.ts';
import type { Stack } from '../../stack/types.ts';
import type { Category, Finding, Severity } from '../document.ts';
import type { AuditModel, Location } from '../model.ts';
import type { DerivedStack } from '../stack-document.ts';

export interface PricedStack extends DerivedStack {
  scenario: string;
  perHour: { throttled: number; unthrottled: number };
  /** Its alarms' and budgets' detection under `scenario`, as configured (empty when it has none). */
  detection: Detection[];
}

export interface RuleContext {
  model: AuditModel;
  stacks: PricedStack[];
  /** $/hour of `stack` (as configured) under the worst of the attacks the priced stack was priced under (a fix may change which is worst). */
  price(priced: PricedStack, stack: Stack): number;
}

/** A finding as a rule reports it; the rule's id, category and severity are added by `runRules`. */
export type RuleFinding = Omit<Finding, 'rule' | 'category' | 'severity' | 'file' | 'line' | 'resource'> & { loc: Location; severity?: Severity };

export interface Rule {
  id: string;
  title: string;
  category: Category;
  severity: Severity;
  /** Why it matters and the equivalent checks of other tools. */
  help: string;
  check(ctx: RuleContext): RuleFinding[];
}

export function toFinding(rule: Rule, f: RuleFinding): Finding {
  const { loc, severity, ...rest } = f;
  return { rule: rule.id, category: rule.category, severity: severity ?? rule.severity, file: loc.file, line: loc.line, resource: loc.resource, ...rest };
}
