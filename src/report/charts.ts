import { createRequire } from 'node:module';
import type { EChartsOption, EChartsType } from 'echarts';
import type { Bill, ResultDocument, StackResult, VariantResult } from '../model/result.ts';
import type { Totals } from '../model/totals.ts';
import { rebucket, chooseBucketSeconds, type Timeline, type CohortTimeline } from '../model/timeline.ts';
import { COLLATERAL_COLOR, OFFERED_COLOR, OUTCOME_COLORS, WITHOUT_COLOR, WITH_COLOR, serviceColor } from './colors.ts';
import { chartLabel } from './escape.ts';
import { formatCountShort, formatMoney, formatPercent, slug } from './format.ts';
import { nonZeroOutcomes } from './figures.ts';
import { detectionMarkLine } from './detection-chart.ts';
import { cumulativeCost } from './cumulative-cost.ts';

/** One chart of a report: what it shows and where it belongs (overview or one stack's section). */
export interface ChartPlan {
  id: string; // file-safe, unique within the report
  title: string; // user text included: escape before use
  kind: 'configs' | 'bill-by-service' | 'cumulative-cost' | 'traffic';
  stackIndex?: number;
  cohort?: string;
  width: number;
  height: number;
}

export interface Chart extends ChartPlan {
  svg: string;
}

/** The charts a report shows, in order, without rendering them (Markdown links need only names). */
export function planCharts(doc: ResultDocument): ChartPlan[] {
  const plans: ChartPlan[] = [];
  if (doc.stacks.length > 0) {
    plans.push({ id: 'configs', title: 'Cost over the horizon per configuration, with vs without throttling', kind: 'configs', width: 1000, height: 360 });
    plans.push({ id: 'bill-by-service', title: 'Bill by service (solid: with throttling, pale: without)', kind: 'bill-by-service', width: 1000, height: 360 });
  }
  doc.stacks.forEach((s, i) => {
    const base = `${i + 1}-${shortSlug(s.name, 'stack')}`;
    plans.push({ id: `cost-${base}`, title: `${s.name}: cumulative cost with vs without throttling`, kind: 'cumulative-cost', stackIndex: i, width: 1000, height: 300 });
    const tl = s.throttled.timeline;
    tl?.cohorts.forEach((c, j) => {
      plans.push({
        id: `traffic-${base}-${j + 1}-${shortSlug(c.name, 'cohort')}`,
        title: `${s.name} · ${c.name} (${c.role}): offered load and outcomes over time`,
        kind: 'traffic',
        stackIndex: i,
        cohort: c.name,
        width: 1000,
        height: 280,
      });
    });
  });
  return plans;
}

function shortSlug(text: string, fallback: string): string {
  return slug(text, fallback).slice(0, 24).replace(/-+$/, '');
}

/** Renders every planned chart to a standalone SVG string (server-side; no script in the output). */
export function renderCharts(doc: ResultDocument): Chart[] {
  return planCharts(doc).map((p) => ({ ...p, svg: renderChart(doc, p) }));
}

export function renderChart(doc: ResultDocument, plan: ChartPlan): string {
  const option = optionFor(doc, plan);
  const svg = renderSvg(option, plan.width, plan.height);
  // several charts share one HTML page: give each its own id/class namespace (clip paths, hover styles)
  const ns = `dw-${plan.id}-`;
  const out = svg.replace(/\bzr\d+-/g, ns);
  if (/<(script|foreignObject|iframe|object|embed)\b/i.test(out) || /\son[a-z]+\s*=\s*"/i.test(out)) {
    throw new Error(`chart ${plan.id} produced active SVG content`);
  }
  return out;
}

let echartsLib: typeof import('echarts') | undefined;
function echarts(): typeof import('echarts') {
  // loaded on first use: commands that only print a summary never pay for the chart library
  echartsLib ??= createRequire(import.meta.url)('echarts') as typeof import('echarts');
  return echartsLib;
}

function renderSvg(option: EChartsOption, width: number, height: number): string {
  const chart: EChartsType = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    // an undisposed SSR chart keeps a timer alive and the process from exiting
    chart.dispose();
  }
}

function optionFor(doc: ResultDocument, plan: ChartPlan): EChartsOption {
  switch (plan.kind) {
    case 'configs':
      return configsOption(doc);
    case 'bill-by-service':
      return byServiceOption(doc);
    case 'cumulative-cost':
      return cumulativeCostOption(doc, doc.stacks[plan.stackIndex!]);
    case 'traffic': {
      const s = doc.stacks[plan.stackIndex!];
      const c = s.throttled.timeline!.cohorts.find((x) => x.name === plan.cohort)!;
      return trafficOption(s.throttled.timeline!, c);
    }
  }
}

const moneyAxisLabel = { formatter: (v: number) => formatMoney(v) };

function configsOption(doc: ResultDocument): EChartsOption {
  const names = doc.stacks.map((s) => chartLabel(s.name, 28));
  const values = doc.stacks.flatMap((s) => [s.throttled.bill.total, s.unthrottled.bill.total]);
  const positive = values.filter((v) => v > 0);
  // bills that span orders of magnitude ($0.40 beside $1,400) go on a log axis, so the small ones stay visible
  const log = positive.length === values.length && positive.length > 0 && Math.max(...positive) / Math.min(...positive) >= 100;
  // every bar says its figure, whatever the axis
  const label = { show: true, position: 'top' as const, fontSize: 11, formatter: (p: { value: unknown }) => formatMoney(Number(p.value)) };
  return {
    legend: { top: 4, itemGap: 28 },
    grid: { left: 80, right: 70, top: 40, bottom: doc.stacks.length > 3 ? 80 : 40 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: doc.stacks.length > 3 ? 20 : 0 } },
    yAxis: [
      log ? { type: 'log', name: 'USD (log scale)', axisLabel: moneyAxisLabel } : { type: 'value', name: 'USD', axisLabel: moneyAxisLabel },
      { type: 'value', name: 'collateral', min: 0, axisLabel: { formatter: (v: number) => formatPercent(v) }, splitLine: { show: false } },
    ],
    series: [
      { name: 'with throttling', type: 'bar', data: doc.stacks.map((s) => s.throttled.bill.total), itemStyle: { color: WITH_COLOR }, label },
      { name: 'without throttling', type: 'bar', data: doc.stacks.map((s) => s.unthrottled.bill.total), itemStyle: { color: WITHOUT_COLOR }, label },
      {
        // one marker per stack: the stacks are unrelated, so no line joins them
        name: 'collateral (legit not served)',
        type: 'scatter',
        yAxisIndex: 1,
        data: doc.stacks.map((s) => s.collateral),
        itemStyle: { color: COLLATERAL_COLOR },
        symbol: 'diamond',
        symbolSize: 12,
      },
    ],
  };
}

function byServiceOption(doc: ResultDocument): EChartsOption {
  const services: string[] = [];
  for (const s of doc.stacks) {
    for (const l of [...s.throttled.bill.lines, ...s.unthrottled.bill.lines]) {
      if (!services.includes(l.service)) services.push(l.service);
    }
  }
  const perService = (bill: Bill, service: string) => bill.lines.filter((l) => l.service === service).reduce((a, l) => a + l.cost, 0);
  const series: NonNullable<EChartsOption['series']> = [];
  services.forEach((svc) => {
    const color = serviceColor(svc);
    series.push({ name: chartLabel(svc), type: 'bar', stack: 'with', data: doc.stacks.map((s) => perService(s.throttled.bill, svc)), itemStyle: { color } });
    series.push({ name: chartLabel(svc), type: 'bar', stack: 'without', data: doc.stacks.map((s) => perService(s.unthrottled.bill, svc)), itemStyle: { color, opacity: 0.4 } });
  });
  return {
    legend: { top: 4, itemGap: 28, data: services.map((s) => chartLabel(s)) },
    grid: { left: 80, right: 20, top: 40, bottom: doc.stacks.length > 3 ? 80 : 40 },
    xAxis: { type: 'category', data: doc.stacks.map((s) => chartLabel(s.name, 28)), axisLabel: { interval: 0, rotate: doc.stacks.length > 3 ? 20 : 0 } },
    yAxis: { type: 'value', name: 'USD', axisLabel: moneyAxisLabel },
    series,
  };
}

function cumulativeCostOption(doc: ResultDocument, stack: StackResult): EChartsOption {
  const H = doc.horizonSeconds;
  const points = 120;
  const times = Array.from({ length: points + 1 }, (_, k) => (k * H) / points);
  const curve = (v: VariantResult) => times.map((t) => [t, cumulativeCost(v, t, H)] as [number, number]);
  return {
    legend: { top: 4, itemGap: 28 },
    grid: { left: 80, right: 30, top: 40, bottom: 40 },
    xAxis: { type: 'value', min: 0, max: H, interval: timeTick(H), axisLabel: { formatter: (v: number) => axisTime(v, H) } },
    yAxis: { type: 'value', name: 'USD', axisLabel: moneyAxisLabel },
    series: [
      { name: 'with throttling', type: 'line', showSymbol: false, data: curve(stack.throttled), itemStyle: { color: WITH_COLOR }, lineStyle: { width: 2 }, markLine: detectionMarkLine(stack.throttled, WITH_COLOR) },
      { name: 'without throttling', type: 'line', showSymbol: false, data: curve(stack.unthrottled), itemStyle: { color: WITHOUT_COLOR }, lineStyle: { width: 2, type: 'dashed' }, markLine: detectionMarkLine(stack.unthrottled, WITHOUT_COLOR, stack.throttled) },
    ],
  };
}

function trafficOption(tl: Timeline, cohort: CohortTimeline): EChartsOption {
  const target = chooseBucketSeconds(tl.durationSeconds, 180);
  const coarse = target > tl.bucketSeconds ? rebucket({ ...tl, cohorts: [cohort] }, target) : { ...tl, cohorts: [cohort] };
  const c = coarse.cohorts[0];
  const b = coarse.bucketSeconds;
  const outcomes = nonZeroOutcomes(c.buckets);
  const at = (i: number) => i * b;
  const series: NonNullable<EChartsOption['series']> = outcomes.map((o) => ({
    name: o,
    type: 'line',
    stack: 'outcomes',
    step: 'end',
    showSymbol: false,
    areaStyle: { opacity: 0.75 },
    lineStyle: { width: 0 },
    itemStyle: { color: OUTCOME_COLORS[o] },
    data: stepData(c.buckets, b, (t) => t[o] / b),
  }));
  series.push({
    name: 'offered',
    type: 'line',
    step: 'end',
    showSymbol: false,
    itemStyle: { color: OFFERED_COLOR },
    lineStyle: { width: 1.5, type: 'dashed' },
    data: stepData(c.buckets, b, (t) => t.offered / b),
  });
  return {
    legend: { top: 4, itemGap: 28 },
    grid: { left: 70, right: 30, top: 40, bottom: 40 },
    xAxis: { type: 'value', min: 0, max: at(c.buckets.length), interval: timeTick(at(c.buckets.length)), axisLabel: { formatter: (v: number) => axisTime(v, at(c.buckets.length)) } },
    yAxis: { type: 'value', name: 'req/s', axisLabel: { formatter: (v: number) => formatCountShort(v) } },
    series,
  };
}

// A step series needs a closing point so the last bucket is drawn over its whole width.
function stepData(buckets: Totals[], b: number, f: (t: Totals) => number): [number, number][] {
  const out = buckets.map((t, i) => [i * b, f(t)] as [number, number]);
  if (buckets.length > 0) out.push([buckets.length * b, f(buckets[buckets.length - 1])]);
  return out;
}

// Ticks on round times (every 10 minutes, 4 hours, 5 days …) rather than echarts' decimal steps.
function timeTick(span: number): number | undefined {
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400, 172800, 432000, 604800, 1209600, 2592000];
  return nice.find((s) => span / s <= 8);
}

/** An axis time as whole units ("15m", "1h30m", "5d"): ticks fall on round times, and so do their labels. */
function axisTime(seconds: number, span: number): string {
  if (seconds === 0) return '0';
  const parts: string[] = [];
  let rest = Math.round(seconds * 1000) / 1000;
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    const n = Math.floor(rest / size + 1e-9);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  if (rest > 1e-6 || parts.length === 0) parts.push(`${+rest.toFixed(span < 10 ? 1 : 0)}s`);
  return parts.slice(0, 2).join('');
}
