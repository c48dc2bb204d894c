import { createRequire } from 'node:module';
import type { EChartsOption, EChartsType } from 'echarts';
import type { Bill, BillLine, ResultDocument, StackResult, VariantResult } from '../model/result.ts';
import type { Totals } from '../model/totals.ts';
import type { Outcome } from '../model/outcomes.ts';
import { rebucket, chooseBucketSeconds, type Timeline, type CohortTimeline } from '../model/timeline.ts';
import { chartLabel } from './escape.ts';
import { formatCountShort, formatMoney, formatPercent, slug } from './format.ts';
import { nonZeroOutcomes } from './figures.ts';
import { detectionMarkLine } from './detection-chart.ts';

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

const OUTCOME_COLORS: Record<Outcome, string> = {
  succeeded: '#2e9d57',
  failed: '#d9822b',
  timedOut: '#a03030',
  lambdaThrottled: '#e8b320',
  gatewayThrottled: '#3b72c4',
  quotaExceeded: '#7c4dbd',
  authRejected: '#8a8f98',
  wafBlocked: '#1c9aa0',
};
const SERVICE_PALETTE = ['#3b72c4', '#e8833a', '#2e9d57', '#c44a4a', '#7c4dbd', '#1c9aa0', '#8a8f98', '#b58b00'];
const WITH_COLOR = '#3b72c4';
const WITHOUT_COLOR = '#c44a4a';

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
  return {
    legend: { top: 4, itemGap: 28 },
    grid: { left: 80, right: 70, top: 40, bottom: doc.stacks.length > 3 ? 80 : 40 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: doc.stacks.length > 3 ? 20 : 0 } },
    yAxis: [
      { type: 'value', name: 'USD', axisLabel: moneyAxisLabel },
      { type: 'value', name: 'collateral', min: 0, axisLabel: { formatter: (v: number) => formatPercent(v) }, splitLine: { show: false } },
    ],
    series: [
      { name: 'with throttling', type: 'bar', data: doc.stacks.map((s) => s.throttled.bill.total), itemStyle: { color: WITH_COLOR } },
      { name: 'without throttling', type: 'bar', data: doc.stacks.map((s) => s.unthrottled.bill.total), itemStyle: { color: WITHOUT_COLOR } },
      {
        name: 'collateral (legit not served)',
        type: 'line',
        yAxisIndex: 1,
        data: doc.stacks.map((s) => s.collateral),
        itemStyle: { color: '#333' },
        lineStyle: { type: 'dashed' },
        symbolSize: 8,
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
  services.forEach((svc, k) => {
    const color = SERVICE_PALETTE[k % SERVICE_PALETTE.length];
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
    itemStyle: { color: '#222' },
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

function axisTime(seconds: number, span: number): string {
  if (span >= 2 * 86400) return `${+(seconds / 86400).toFixed(1)}d`;
  if (span >= 2 * 3600) return `${+(seconds / 3600).toFixed(1)}h`;
  if (span >= 120) return `${+(seconds / 60).toFixed(1)}m`;
  return `${+seconds.toFixed(1)}s`;
}

/**
 * What a variant's bill has run up by time t of the horizon. The bill covers the whole horizon and
 * the timeline one pass of the scenario (repeated to fill the horizon), so each bill line is spread
 * over time in proportion to the count that drives it (API requests, invocations, GB-seconds,
 * bytes); monthly fees accrue evenly.
 */
export function cumulativeCost(v: VariantResult, t: number, horizonSeconds: number): number {
  let sum = 0;
  for (const line of v.bill.lines) sum += line.cost * accruedShare(line, v.timeline, t, horizonSeconds);
  return sum;
}

function accruedShare(line: BillLine, tl: Timeline | undefined, t: number, H: number): number {
  if (H <= 0) return 1;
  const key = lineDriver(line);
  const linear = Math.min(1, Math.max(0, t / H));
  if (!key || !tl || tl.durationSeconds <= 0 || tl.durationSeconds > H) return linear;
  const D = tl.durationSeconds;
  const b = tl.bucketSeconds;
  const n = Math.max(...tl.cohorts.map((c) => c.buckets.length), 0);
  const per = new Array<number>(n).fill(0);
  for (const c of tl.cohorts) c.buckets.forEach((x, i) => (per[i] += x[key]));
  const pass = per.reduce((a, x) => a + x, 0);
  if (!(pass > 0)) return linear;
  const within = (x: number) => {
    // share of one pass's driver count reached x seconds into the pass
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const start = i * b;
      if (x >= start + b) acc += per[i];
      else {
        if (x > start) acc += (per[i] * (x - start)) / b;
        break;
      }
    }
    return acc / pass;
  };
  const raw = (x: number) => {
    const done = Math.floor(x / D);
    return done + within(x - done * D);
  };
  // normalised so the curve ends exactly at the bill's total even when the horizon ends mid-pass
  return Math.min(1, Math.max(0, raw(Math.min(t, H)) / raw(H)));
}

function lineDriver(line: BillLine): keyof Totals | undefined {
  const svc = line.service.toLowerCase();
  const unit = line.unit.toLowerCase();
  if (svc.includes('api gateway')) return 'billedApiRequests';
  if (svc.includes('lambda')) return unit.includes('gb') ? 'gbSeconds' : 'invoked';
  if (svc.includes('waf')) return unit.includes('request') ? 'offered' : undefined;
  if (svc.includes('log')) return 'invoked';
  if (svc.includes('transfer')) return 'bytesOut';
  return undefined;
}
