import type { Stack } from '../stack/types.ts';

/** The rate-based rule's name in the web ACL tune writes (and refers to when deleting it). */
export const RATE_RULE_NAME = 'rate-limit-per-ip';

/**
 * What a patch must do to the web ACL for the WAF change from `base` to `tuned`. Stacks count a
 * web ACL's other rules but do not hold them, so a patch never writes them: it keeps them.
 * - `none`: WAF unchanged.
 * - `new-acl`: there was no web ACL: a web ACL with the rate rule, and its association.
 * - `set-rule`: the stage's web ACL gets the rate rule (new or changed); its `others` rules stay.
 * - `delete-rule`: the rate rule goes; the web ACL keeps its `others` rules.
 * - `delete-acl`: the rate rule was the web ACL's only rule: the web ACL and its association go
 *   (a web ACL without rules still bills $5 a month).
 */
export type WafChange =
  | { kind: 'none' }
  | { kind: 'new-acl' }
  | { kind: 'set-rule'; others: number }
  | { kind: 'delete-rule'; others: number }
  | { kind: 'delete-acl' };

export function wafChange(base: Stack, tuned: Stack): WafChange {
  if (JSON.stringify(base.waf ?? null) === JSON.stringify(tuned.waf ?? null)) return { kind: 'none' };
  const rule = tuned.waf?.rateLimit;
  if (rule && !base.waf) return { kind: 'new-acl' };
  if (rule) return { kind: 'set-rule', others: tuned.waf!.rules - 1 };
  if (base.waf?.rateLimit && tuned.waf) return { kind: 'delete-rule', others: tuned.waf.rules };
  if (base.waf?.rateLimit) return { kind: 'delete-acl' };
  return { kind: 'none' }; // only the count of other rules changed: nothing tune writes
}

/**
 * The patch's "# delete:" lines, one per thing to remove: `target` is a resource (its logical id
 * or Terraform address), or a resource and ` rule <name>` for one rule of a web ACL. They read
 * `# delete: <target> — <why>`, so a person and a script can both act on them.
 */
export function deleteLines(change: WafChange, names: { acl: string; association: string; aclType: string; associationType: string }, rule = RATE_RULE_NAME): string[] {
  if (change.kind === 'delete-acl') {
    return [
      `# delete: ${names.acl} — ${names.aclType}: its only rule was the rate-based rule, and a web ACL without rules still bills $5 a month`,
      `# delete: ${names.association} — ${names.associationType} of that web ACL`,
    ];
  }
  if (change.kind === 'delete-rule') {
    return [`# delete: ${names.acl} rule ${rule} — the rule with the rate-based statement; the web ACL's ${change.others} other rule(s) stay as they are`];
  }
  return [];
}

/** A note above a web ACL a patch writes over the user's own, when the user's has rules tune does not know. */
export function keepOthersNote(change: WafChange, acl: string, rule = RATE_RULE_NAME): string[] {
  if (change.kind !== 'set-rule' || change.others <= 0) return [];
  return [`# ${acl}: only its rate-based rule "${rule}" is shown; keep the web ACL's ${change.others} other rule(s) beside it`];
}

/** A web ACL of the user's, as its source says it (audit/targets.ts). */
interface UserAcl {
  id: string;
  rateRule?: { name: string; priority: number };
  priorities: number[];
}

/**
 * The name and priority the rate rule takes in the user's own web ACL: those of their rate-based
 * rule, which it replaces; else ours at priority 0, or after their other rules when 0 is theirs
 * (with a note: a rule of theirs that allows a request first exempts it from the rate rule).
 */
export function rateRuleSlot(acl: UserAcl | undefined): { name: string; priority: number; notes: string[] } {
  const mine = acl?.rateRule;
  if (mine && mine.name && Number.isInteger(mine.priority) && mine.priority >= 0) return { ...mine, notes: [] };
  if (!acl?.priorities.includes(0)) return { name: RATE_RULE_NAME, priority: 0, notes: [] };
  const priority = acl.priorities.reduce((a, b) => Math.max(a, b), 0) + 1; // no spread: a template's rule count is the user's
  return { name: RATE_RULE_NAME, priority, notes: [`# note: ${acl.id}: the rate rule comes after your other rules (priority ${priority}, as 0 is taken): a rule of yours that allows a request first exempts it; give the rate rule a lower priority than those`] };
}

/**
 * The name of the web ACL a patch adds for an API: a WAFv2 name is 1–128 letters, digits, "_" and
 * "-" (AWS::WAFv2::WebACL Name, pattern ^[\w\-]+$); an API read from Terraform is named by its
 * address ("aws_api_gateway_rest_api.api"), whose dot is not allowed.
 */
export function webAclName(apiName: string): string {
  const suffix = '-rate-limit';
  return `${apiName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128 - suffix.length)}${suffix}`;
}
