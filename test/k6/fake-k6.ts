/**
 * A stand-in for `k6 run --out json=<file>` when no k6 binary is at hand: it runs an export's
 * scenarios on their arrival schedule (iteration n starts when the area under the stages reaches
 * n, as k6's ramping-arrival-rate does), sends real HTTP requests with the headers the script
 * sends (using the script's own helper code), and writes the lines k6 writes — Metric
 * declarations and Points with k6's tags, noise metrics included — plus an end-of-test summary
 * shaped like --summary-export, aggregated from the same samples by the script's thresholds.
 */
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { request } from 'undici';
import type { K6Export } from '../../src/k6/export.ts';
import { ADDRESS_JS, MESSAGE_JS, SYNTHETIC_KEY_JS } from '../../src/k6/script-runtime.ts';
import { planArrivalsBetween, type ExecutorPlan } from '../../src/k6/stages.ts';
import { parseK6Duration } from '../../src/k6/k6-duration.ts';
import { parseSubmetric } from '../../src/k6/read-summary.ts';

const documentationAddress = new Function(`${ADDRESS_JS}; return documentationAddress;`)() as (n: number) => string;
const messageOf = new Function(`${MESSAGE_JS}; return messageOf;`)() as (b: unknown) => string;
const syntheticKey = new Function(`${SYNTHETIC_KEY_JS}; return syntheticKey;`)() as (p: string, d: number, c: number) => string;

interface ScriptCohort {
  cohort: string;
  role: string;
  method: string;
  path: string;
  bodyBytes: number;
  clients: number;
  rotate: number;
  identityBase: number;
  keys: { kind: 'none' } | { kind: 'invalid'; cohortIndex: number } | { kind: 'plan'; prefix: string; digits: number };
}

interface Sample {
  metric: string;
  type: 'counter' | 'trend' | 'rate';
  ms: number;
  value: number;
  tags: Record<string, string>;
}

export interface FakeRun {
  /** http_reqs points written. */
  httpReqs: number;
  lines: number;
  samples: Sample[];
  /** A --summary-export document of the same run. */
  summary: unknown;
  /** Seconds from the first to the last request that went out. */
  sendingSeconds: number;
}

/** Epoch ms → RFC 3339 with nanoseconds in a +02:00 zone, as k6 writes times (Go's RFC3339Nano). */
function k6Time(ms: number, micros: number): string {
  const shifted = new Date(ms + 2 * 3600_000).toISOString().slice(0, 19);
  const frac = String(Math.floor(ms % 1000)).padStart(3, '0') + String(micros).padStart(3, '0') + '417';
  return `${shifted}.${frac}+02:00`;
}

/** When iteration n (1-based) of a plan starts, seconds after the scenario's start. */
function iterationStart(plan: ExecutorPlan, n: number, end: number): number {
  let lo = 0;
  let hi = end;
  for (let k = 0; k < 50; k++) {
    const mid = (lo + hi) / 2;
    if (planArrivalsBetween(plan, 0, mid) >= n) hi = mid;
    else lo = mid;
  }
  return hi;
}

function planLength(plan: ExecutorPlan): number {
  return plan.executor === 'constant-arrival-rate' ? parseK6Duration(plan.duration) : plan.stages.reduce((s, st) => s + parseK6Duration(st.duration), 0);
}

export async function fakeK6Run(exp: K6Export, opts: { target: string; out: string; gzip?: boolean; bodyStatuses?: number[] }): Promise<FakeRun> {
  const m = /const COHORTS = (\{[\s\S]*?\n\});/.exec(exp.script);
  const cohorts = JSON.parse(m![1]) as Record<string, ScriptCohort>;
  const totalClients = Number(/const TOTAL_CLIENTS = (\d+);/.exec(exp.script)![1]);
  const bodyStatuses = JSON.parse(/const BODY_STATUSES = (\[[^\]]*\]);/.exec(exp.script)![1]) as number[];
  const target = opts.target.replace(/\/+$/, '');

  const file = createWriteStream(opts.out);
  const sink = opts.gzip ? createGzip() : undefined;
  if (sink) sink.pipe(file);
  const out = sink ?? file;
  let lines = 0;
  const declared = new Set<string>();
  const samples: Sample[] = [];
  let micro = 0;
  const emit = (s: Sample) => {
    if (!declared.has(s.metric)) {
      declared.add(s.metric);
      out.write(`${JSON.stringify({ metric: s.metric, type: 'Metric', data: { name: s.metric, type: s.type, contains: s.type === 'trend' ? 'time' : 'default', thresholds: [], submetrics: null } })}\n`);
      lines++;
    }
    out.write(`${JSON.stringify({ metric: s.metric, type: 'Point', data: { time: k6Time(s.ms, (micro = (micro + 7) % 1000)), value: s.value, tags: s.tags } })}\n`);
    lines++;
    samples.push(s);
  };
  emit({ metric: 'vus', type: 'counter', ms: Date.now(), value: 1, tags: {} });

  const t0 = Date.now() + 50;
  const pending: Promise<void>[] = [];
  let httpReqs = 0;
  let firstSent = Infinity;
  let lastSent = -Infinity;
  for (const c of exp.cohorts) {
    const plan = c.arrivals.plan!;
    const sc = cohorts[c.scenarioKey];
    const start = parseK6Duration(plan.startTime);
    const length = planLength(plan);
    const n = Math.floor(planArrivalsBetween(plan, 0, length) + 1e-9);
    const scenarioTags = { cohort: sc.cohort, role: sc.role, scenario: c.scenarioKey };
    const body = sc.bodyBytes > 0 ? 'x'.repeat(sc.bodyBytes) : undefined;
    for (let i = 0; i < n; i++) {
      const at = t0 + (start + iterationStart(plan, i + 1, length)) * 1000;
      pending.push(
        new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()))).then(async () => {
          const client = i % sc.clients;
          const epoch = sc.rotate > 0 ? Math.floor((Date.now() - (t0 + start * 1000)) / 1000 / sc.rotate) : 0;
          const headers: Record<string, string> = {
            'X-Forwarded-For': documentationAddress(sc.identityBase + client + epoch * totalClients),
            'x-dowsim-cohort': sc.cohort,
            'x-dowsim-role': sc.role,
          };
          if (sc.keys.kind === 'invalid') headers['x-api-key'] = `dowsim-invalid-${sc.keys.cohortIndex}-${client}-0000000000`;
          if (sc.keys.kind === 'plan') headers['x-api-key'] = syntheticKey(sc.keys.prefix, sc.keys.digits, client);
          if (body) headers['Content-Type'] = 'application/octet-stream';
          firstSent = Math.min(firstSent, Date.now());
          lastSent = Math.max(lastSent, Date.now());
          const began = performance.now();
          let status = 0;
          let text = '';
          let errorType = '';
          let received = 0;
          try {
            const res = await request(target + sc.path, { method: sc.method as 'GET', headers, body });
            status = res.statusCode;
            text = await res.body.text();
            const et = res.headers['x-amzn-errortype'];
            errorType = (Array.isArray(et) ? et[0] : (et ?? '')).split(':')[0];
            received = Buffer.byteLength(text) + 200;
          } catch {
            status = 0;
          }
          const ms = Date.now();
          const reqTags = {
            ...scenarioTags,
            expected_response: String(status >= 200 && status < 400),
            group: '',
            method: sc.method,
            name: `${sc.method} ${sc.path}`,
            proto: 'HTTP/1.1',
            status: String(status),
            url: target + sc.path,
          };
          emit({ metric: 'http_reqs', type: 'counter', ms, value: 1, tags: reqTags });
          httpReqs++;
          emit({ metric: 'http_req_duration', type: 'trend', ms, value: performance.now() - began, tags: reqTags });
          emit({ metric: 'http_req_waiting', type: 'trend', ms, value: performance.now() - began, tags: reqTags });
          emit({ metric: 'http_req_failed', type: 'rate', ms, value: status >= 200 && status < 400 ? 0 : 1, tags: reqTags });
          if (bodyStatuses.includes(status)) {
            const tags: Record<string, string> = { ...scenarioTags, status: String(status), message: messageOf(text) };
            if (errorType) tags.error_type = errorType;
            emit({ metric: 'dowsim_responses', type: 'counter', ms: Date.now(), value: 1, tags });
          }
          emit({ metric: 'data_received', type: 'counter', ms: Date.now(), value: received, tags: scenarioTags });
          emit({ metric: 'iterations', type: 'counter', ms: Date.now(), value: 1, tags: scenarioTags });
        }),
      );
    }
  }
  await Promise.all(pending);
  await new Promise<void>((resolve) => {
    file.on('finish', () => resolve());
    out.end();
  });
  return { httpReqs, lines, samples, summary: summaryOf(exp, samples, (Date.now() - t0) / 1000), sendingSeconds: (lastSent - firstSent) / 1000 };
}

/** What k6 writes with --summary-export: each thresholded sub-metric aggregated over matching samples. */
function summaryOf(exp: K6Export, samples: Sample[], seconds: number): unknown {
  const metrics: Record<string, Record<string, number>> = {};
  const aggregate = (name: string, list: Sample[], type: Sample['type'] | undefined) => {
    if (type === 'trend') {
      const v = list.map((s) => s.value).sort((a, b) => a - b);
      const q = (p: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(p * v.length))] : 0);
      metrics[name] = { avg: v.reduce((s, x) => s + x, 0) / Math.max(1, v.length), min: v[0] ?? 0, med: q(0.5), max: v[v.length - 1] ?? 0, 'p(90)': q(0.9), 'p(95)': q(0.95), 'p(99)': q(0.99) };
    } else {
      const count = list.reduce((s, x) => s + x.value, 0);
      metrics[name] = { count, rate: count / seconds };
    }
  };
  const types = new Map(samples.map((s) => [s.metric, s.type]));
  for (const metric of types.keys()) aggregate(metric, samples.filter((s) => s.metric === metric), types.get(metric));
  for (const key of Object.keys(exp.options.thresholds)) {
    const sub = parseSubmetric(key);
    if (!sub) continue;
    const list = samples.filter((s) => s.metric === sub.metric && Object.entries(sub.tags).every(([k, v]) => s.tags[k] === v));
    aggregate(key, list, types.get(sub.metric) ?? (sub.metric === 'http_req_duration' ? 'trend' : 'counter'));
  }
  return { root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} }, metrics };
}
