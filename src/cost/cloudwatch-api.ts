import type { BillLine } from '../model/result.ts';
import type { PriceBook } from '../pricing/types.ts';

/**
 * What collecting metrics cost: GetMetricData bills per metric requested ($0.01 per 1,000 in
 * us-east-1, no free tier). Not part of the attack's bill; collectors report it beside it.
 */
export function getMetricDataLines(metricsRequested: number, book: PriceBook): BillLine[] {
  const unitPrice = book.prices.getMetricDataMetric.tiers[0].price;
  return [
    {
      service: 'CloudWatch',
      item: 'GetMetricData metrics requested',
      quantity: metricsRequested,
      unit: 'metrics',
      unitPrice,
      cost: metricsRequested * unitPrice,
    },
  ];
}
