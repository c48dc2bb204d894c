import type { VariantResult } from '../model/result.ts';
import { chartLabel } from './escape.ts';
import { formatMoney } from './format.ts';

/**
 * Markers for the cost-over-time chart: a vertical line where each alarm or budget of the variant
 * fires, labelled with its name and the bill by then (echarts markLine). None when nothing fires.
 */
export function detectionMarkLine(v: VariantResult, color: string): Record<string, unknown> | undefined {
  const fired = (v.detection ?? []).filter((d) => d.firesAtSeconds !== null);
  if (fired.length === 0) return undefined;
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { color, type: 'dotted', width: 1.5 },
    label: { formatter: '{b}', position: 'insideEndTop', fontSize: 10, color },
    data: fired.map((d) => ({ name: chartLabel(`${d.alarm} ${formatMoney(d.costBeforeUsd)}`, 36), xAxis: d.firesAtSeconds })),
  };
}
