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
export function deleteLines(change: WafChange, names: { acl: string; association: string; aclType: string; associationType: string }): string[] {
  if (change.kind === 'delete-acl') {
    return [
      `# delete: ${names.acl} — ${names.aclType}: its only rule was the rate-based rule, and a web ACL without rules still bills $5 a month`,
      `# delete: ${names.association} — ${names.associationType} of that web ACL`,
    ];
  }
  if (change.kind === 'delete-rule') {
    return [`# delete: ${names.acl} rule ${RATE_RULE_NAME} — the rule with the rate-based statement; the web ACL's ${change.others} other rule(s) stay as they are`];
  }
  return [];
}

/** A note above a web ACL a patch writes over the user's own, when the user's has rules tune does not know. */
export function keepOthersNote(change: WafChange, acl: string): string[] {
  if (change.kind !== 'set-rule' || change.others <= 0) return [];
  return [`# ${acl}: only its rate-based rule "${RATE_RULE_NAME}" is shown; keep the web ACL's ${change.others} other rule(s) beside it`];
}
