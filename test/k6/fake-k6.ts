/**
 * What k6 would have written for a list of requests given by hand — built from k6's documented
 * formats only, never from dowsim's own code (a real k6 run is test/k6/k6-e2e.test.ts):
 *
 * - `--out json=<file>` (Grafana k6 docs, "Results output › JSON"): one JSON object per line,
 *   `{"type":"Metric","data":{"type":…,"contains":…,"tainted":null,"thresholds":[…],"submetrics":null},"metric":…}`
 *   the first time a metric appears, then `{"type":"Point","data":{"time":<RFC 3339 with ns>,
 *   "value":…,"tags":{…}},"metric":…}` per sample. http_reqs points carry the request tags k6
 *   documents (method, name, proto, scenario, status, url, expected_response, group) plus the
 *   script's own tags (cohort, role).
 * - `--summary-export=<file>` (k6 docs, "End-of-test summary"): `{"root_group":…,"metrics":{name:
 *   {"count","rate"} | {"avg","min","med","max","p(90)","p(95)"}}}`, where a sub-metric with a
 *   threshold, `metric{tag:value,…}`, gets its own entry.
 *
 * The dowsim-specific parts are the script's documented contract (docs/k6.md): every request is
 * tagged `cohort` and `role`; answers with status 403, 429 or 500 add a `dowsim_responses` point
 * tagged with the status and the body's `message`; thresholds keep `http_reqs{cohort:…,role:…}`,
 * `http_reqs{cohort:…,status:…}` and `dowsim_responses{cohort:…,status:…,message:…}` counts.
 */

/** One request of the imagined run. */
export interface FakeRequest {
  cohort: string;
  role: 'legit' | 'attack';
  /** Milliseconds after the run's start when the answer came. */
  atMs: number;
  status: number; // 0: no answer (connection error)
  /** The body's "message", for statuses the script records (403, 429, 500). */
  message?: string;
  durationMs?: number;
  bytesReceived?: number;
}

const RUN_START_MS = Date.UTC(2026, 2, 1, 10, 0, 0); // 2026-03-01T10:00:00Z
const BODY_STATUSES = [403, 429, 500];
const TRACKED_STATUSES = [0, 403, 429, 500, 502, 503, 504];
const MESSAGES = ['Limit Exceeded', 'Too Many Requests', 'Forbidden', 'Internal server error', 'Internal Server Error'];

/** Go's RFC3339Nano in a +02:00 zone, as k6 writes times ("2017-05-09T14:34:45.239531499+02:00"). */
function k6Time(ms: number): string {
  const local = new Date(ms + 2 * 3600_000).toISOString().slice(0, 23); // …T12:00:00.123
  return `${local}000417+02:00`;
}

const TYPES: Record<string, 'counter' | 'trend' | 'rate'> = {
  http_reqs: 'counter',
  http_req_duration: 'trend',
  http_req_failed: 'rate',
  dowsim_responses: 'counter',
  data_received: 'counter',
  iterations: 'counter',
};

/** The `--out json` lines of the run (plus k6's own `vus` gauge noise). */
export function k6JsonLines(requests: FakeRequest[], target = 'http://127.0.0.1:8787'): string {
  const lines: string[] = [];
  const declared = new Set<string>();
  const point = (metric: string, ms: number, value: number, tags: Record<string, string> | null) => {
    if (!declared.has(metric)) {
      declared.add(metric);
      const type = metric === 'vus' ? 'gauge' : TYPES[metric];
      lines.push(JSON.stringify({ type: 'Metric', data: { type, contains: type === 'trend' ? 'time' : metric === 'data_received' ? 'data' : 'default', tainted: null, thresholds: [], submetrics: null }, metric }));
    }
    lines.push(JSON.stringify({ type: 'Point', data: { time: k6Time(ms), value, tags }, metric }));
  };
  point('vus', RUN_START_MS, 1, null);
  for (const r of [...requests].sort((a, b) => a.atMs - b.atMs)) {
    const ms = RUN_START_MS + r.atMs;
    const reqTags = {
      cohort: r.cohort,
      role: r.role,
      scenario: r.cohort,
      expected_response: String(r.status >= 200 && r.status < 400),
      group: '',
      method: 'GET',
      name: `${target}/items`,
      proto: 'HTTP/1.1',
      status: String(r.status),
      url: `${target}/items`,
    };
    point('http_reqs', ms, 1, reqTags);
    point('http_req_duration', ms, r.durationMs ?? 5, reqTags);
    point('http_req_failed', ms, r.status >= 200 && r.status < 400 ? 0 : 1, reqTags);
    if (BODY_STATUSES.includes(r.status) && r.message !== undefined) {
      point('dowsim_responses', ms, 1, { cohort: r.cohort, role: r.role, scenario: r.cohort, status: String(r.status), message: r.message });
    }
    point('data_received', ms, r.bytesReceived ?? 0, { cohort: r.cohort, role: r.role, scenario: r.cohort });
    point('iterations', ms, 1, { cohort: r.cohort, role: r.role, scenario: r.cohort });
  }
  return lines.join('\n') + '\n';
}

/** The `--summary-export` document of the same run, with the sub-metrics a dowsim script thresholds. */
export function k6SummaryExport(requests: FakeRequest[], seconds: number): unknown {
  const metrics: Record<string, Record<string, number>> = {};
  const counter = (name: string, count: number) => (metrics[name] = { count, rate: count / seconds });
  const trend = (name: string, values: number[]) => {
    const v = [...values].sort((a, b) => a - b);
    const q = (p: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(p * v.length))] : 0);
    metrics[name] = { avg: v.reduce((s, x) => s + x, 0) / Math.max(1, v.length), min: v[0] ?? 0, med: q(0.5), max: v[v.length - 1] ?? 0, 'p(90)': q(0.9), 'p(95)': q(0.95) };
  };
  counter('http_reqs', requests.length);
  const cohorts = [...new Map(requests.map((r) => [r.cohort, r.role])).entries()];
  for (const [cohort, role] of cohorts) {
    const mine = requests.filter((r) => r.cohort === cohort);
    counter(`http_reqs{cohort:${cohort},role:${role}}`, mine.length);
    for (const s of TRACKED_STATUSES) counter(`http_reqs{cohort:${cohort},status:${s}}`, mine.filter((r) => r.status === s).length);
    for (const m of MESSAGES) {
      for (const s of BODY_STATUSES) {
        const n = mine.filter((r) => r.status === s && r.message === m).length;
        if (n > 0) counter(`dowsim_responses{cohort:${cohort},status:${s},message:${m}}`, n);
      }
    }
    trend(`http_req_duration{cohort:${cohort}}`, mine.map((r) => r.durationMs ?? 5));
    counter(`data_received{cohort:${cohort}}`, mine.reduce((s, r) => s + (r.bytesReceived ?? 0), 0));
    counter(`dropped_iterations{cohort:${cohort}}`, 0);
  }
  return { root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} }, metrics };
}

/** `n` requests of one cohort spread evenly over [fromMs, toMs), all answered with `status`. */
export function evenly(n: number, fromMs: number, toMs: number, r: Omit<FakeRequest, 'atMs'>): FakeRequest[] {
  return Array.from({ length: n }, (_, i) => ({ ...r, atMs: fromMs + ((toMs - fromMs) * i) / n }));
}
