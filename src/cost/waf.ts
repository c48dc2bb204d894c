import type { BillLine } from '../model/result.ts';
import type { CostInput } from './input.ts';
import { horizonMonths, usageLines } from './monthly.ts';

/**
 * WAF's lines, only for a stack with a web ACL: the web ACL and its rules, monthly fees prorated to
 * the horizon (AWS prorates them hourly), and every request inspected. WAF sits in front of
 * everything else, so it inspects all `offered` requests, allowed and blocked alike.
 */
export function wafLines({ totals, stack, book, horizonSeconds }: CostInput): BillLine[] {
  if (!stack.waf) return [];
  const months = horizonMonths(horizonSeconds);
  const acl = book.prices.wafWebAcl.tiers[0].price;
  const rule = book.prices.wafRule.tiers[0].price;
  const rules = stack.waf.rules;
  return [
    { service: 'WAF', item: 'Web ACL (prorated)', quantity: months, unit: 'web ACL-months', unitPrice: acl, cost: months * acl },
    {
      service: 'WAF',
      item: `Rules (${rules}, prorated)`,
      quantity: rules * months,
      unit: 'rule-months',
      unitPrice: rule,
      cost: rules * months * rule,
    },
    ...usageLines({
      service: 'WAF',
      item: 'Requests inspected',
      price: book.prices.wafRequest,
      quantity: totals.offered,
      horizonSeconds,
    }),
  ];
}
