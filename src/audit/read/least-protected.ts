/**
 * An API with several stages has an invoke URL per stage, each with its own throttles and web
 * ACL: a flood goes to the least protected. The audit models one stage per API, so the readers
 * (cfn-stages.ts, tf-stages.ts) pick that one before the stages are read: the stage with no
 * stage-wide throttle, else the loosest; among equals one no web ACL is associated with; then the
 * last written (the one the readers kept before). The others are left out.
 */

/** One stage of an API, as the choice sees it: `address` names it in the source (logical id, Terraform address). */
export interface StageCandidate {
  address: string;
  name: string;
  /** The stage-wide rate limit (Infinity: none, or one that cannot be evaluated). */
  rate: number;
  /** A web ACL is associated with it. */
  waf: boolean;
}

/** The stage a flood would choose among `list` (two or more), and the assumption that says so, naming the others. */
export function leastProtected<T extends StageCandidate>(api: string, list: T[]): { chosen: T; others: T[]; message: string } {
  const chosen = list.reduce((a, b) => (b.rate > a.rate || (b.rate === a.rate && (a.waf || !b.waf)) ? b : a));
  const others = list.filter((c) => c !== chosen);
  const why = chosen.rate === Infinity ? 'no stage-wide throttle' : `the loosest stage-wide throttle, ${chosen.rate} rps`;
  const message = `${api} has ${list.length} stages (${list.map((c) => `"${c.name}"`).join(', ')}), each an invoke URL of its own with its own throttles and web ACL; the audit reads "${chosen.name}" (${chosen.address}), the least protected (${why}${chosen.waf ? '' : ', no web ACL'}), as a flood would choose it, and leaves ${others.map((c) => c.address).join(', ')} out`;
  return { chosen, others, message };
}
