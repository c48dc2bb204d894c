import type { Stack, WafRateLimit } from '../stack/types.ts';
import { WAF_WINDOWS } from '../stack/schema.ts';
import { ladder, ladderDimension, type Change, type Dimension, type Rung } from './dimension.ts';
import { peakClientWindowCount, type CohortTraffic } from './traffic.ts';

/** AWS WAF's lowest rate-based limit (aws-facts.md). */
export const WAF_MIN_LIMIT = 10;
/** Detection delay given to a rule tune adds (the stack format's default, from AWS's "within 30 s"). */
const DEFAULT_DELAY = 30;

type Choice = { limit: number; windowSeconds: number };

/**
 * The WAF rate-based rule (REST only): none, or a limit per window for each of AWS's windows
 * (60, 120, 300, 600 s). Limits run from just above the most one legit client sends in a window
 * to the most one attacking client sends; where no attacker out-sends the users per IP, a rule
 * could only cost money, and the dimension is left out (unless the stack has one: removing it is
 * then a candidate). Adding a rule adds a rule to the web ACL (and the web ACL if there is none),
 * and the bill prices both.
 */
export function wafDimension(stack: Stack, traffic: CohortTraffic[]): Dimension | undefined {
  if (stack.api.kind !== 'rest') return undefined;
  const baseRule = stack.waf?.rateLimit;
  const rungs: Rung<Choice>[] = [];
  WAF_WINDOWS.forEach((w, variant) => {
    const legit = peakClientWindowCount(traffic, (c) => c.cohort.role === 'legit', w);
    const attack = peakClientWindowCount(traffic, (c) => c.cohort.role === 'attack', w);
    ladder(Math.floor(legit) + 1, attack, { min: WAF_MIN_LIMIT, steps: 6 }).forEach((limit, level) =>
      rungs.push({ value: { limit: Math.ceil(limit), windowSeconds: w }, level, variant }),
    );
  });
  if (!rungs.length && !baseRule) return undefined;
  const key = baseRule?.key ?? 'ip';
  const delaySeconds = baseRule?.delaySeconds ?? DEFAULT_DELAY;
  const baseRules = stack.waf?.rules ?? 0;
  return ladderDimension<Choice>({
    id: 'waf.rateLimit',
    base: baseRule ? { limit: baseRule.limit, windowSeconds: baseRule.windowSeconds } : null,
    rungs,
    // the tightest limit of each window: past the users' own count, a lower limit only blocks sooner
    coarse: (rs) => rs.flatMap((r, i) => (r.level === 0 ? [i] : [])),
    same: (a, b) => a.limit === b.limit && a.windowSeconds === b.windowSeconds,
    // same key, delay and window: an IP over the higher limit is over the lower one too
    refuses: 'wafBlocked',
    // the web ACL, its rules and every inspected request are billed: the cost floor counts them
    priced: true,
    looser: (a, b) => a.windowSeconds === b.windowSeconds && b.limit >= a.limit,
    apply: (s, v) => {
      if (v) {
        const rateLimit: WafRateLimit = { limit: v.limit, windowSeconds: v.windowSeconds, key, delaySeconds };
        s.waf = { rules: baseRule ? baseRules : baseRules + 1, rateLimit };
      } else if (baseRule) {
        if (baseRules - 1 <= 0) delete s.waf;
        else s.waf = { rules: baseRules - 1 };
      }
    },
    changes: (from, to) => {
      const out: Change[] = [];
      if ((from?.limit ?? null) !== (to?.limit ?? null)) out.push({ path: 'waf.rateLimit.limit', from: from?.limit ?? null, to: to?.limit ?? null });
      const fw = from ? `${from.windowSeconds}s` : null;
      const tw = to ? `${to.windowSeconds}s` : null;
      if (fw !== tw) out.push({ path: 'waf.rateLimit.window', from: fw, to: tw });
      const rulesAfter = to ? (baseRule ? baseRules : baseRules + 1) : baseRule ? baseRules - 1 : baseRules;
      if (rulesAfter !== baseRules) out.push({ path: 'waf.rules', from: stack.waf ? baseRules : null, to: rulesAfter > 0 ? rulesAfter : null });
      return out;
    },
    describe: (v) => (v ? `waf ${v.limit}/${v.windowSeconds}s` : 'waf none'),
  });
}
