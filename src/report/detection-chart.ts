import type { VariantResult } from '../model/result.ts';
import { chartLabel } from './escape.ts';
import { formatMoney } from './format.ts';

/**
 * Markers for the cost-over-time chart: a vertical line where each alarm or budget of the variant
 * fires, labelled with its name and the bill by then (echarts markLine). None when nothing fires.
 * `drawn`: the variant whose markers are already on the chart.
 */
export function detectionMarkLine(v: VariantResult, color: string, drawn?: VariantResult): Record<string, unknown> | undefined {
  // a marker the other variant already draws at the same time (same alarm) is not drawn twice
  const same = (alarm: string, t: number | null) => drawn?.detection?.some((d) => d.alarm === alarm && d.firesAtSeconds === t) ?? false;
  const fired = (v.detection ?? []).filter((d) => d.firesAtSeconds !== null && !same(d.alarm, d.firesAtSeconds));
  if (fired.length === 0) return undefined;
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { color, type: 'dotted', width: 1.5 },
    label: { formatter: '{b}', position: 'insideEndTop', fontSize: 10, color },
    data: fired.map((d) => ({ name: chartLabel(`${d.alarm} ${formatMoney(d.costBeforeUsd)}`, 36), xAxis: d.firesAtSeconds })),
  };
}
