/**
 * Streams k6's JSON output (`k6 run --out json=<file>`, optionally gzipped) line by line into a
 * tally. k6 writes one JSON object per line: {"type":"Metric",...} declaring a metric, and
 * {"type":"Point","metric":"http_reqs","data":{"time","value","tags":{...}}} for each sample.
 * Memory stays flat however large the file: a line is read, counted and dropped; only per-second
 * counts and latency histograms are kept. Lines of metrics the import does not use are skipped
 * before they are parsed.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { InputError, RuntimeError } from '../model/errors.ts';
import type { Role } from '../model/timeline.ts';
import { HINT_METRIC } from './response-hints.ts';
import { K6Tally } from './tally.ts';
import { UNTAGGED_COHORT } from './to-timeline.ts';

const USED = new Set(['http_reqs', 'http_req_duration', 'data_received', 'dropped_iterations', HINT_METRIC]);
const METRIC = /"metric"\s*:\s*"([^"]+)"/;
const EARLY_MS = 10;

export interface ReadStats {
  lines: number;
  points: number;
  /** Lines that were not JSON (a truncated last line is expected when k6 was killed). */
  badLines: number;
}

interface Point {
  type?: string;
  metric?: string;
  data?: { time?: string; value?: number; tags?: Record<string, string> | null };
}

/** Reads a k6 JSON output file into `tally`. */
export async function readK6Ndjson(file: string, tally: K6Tally = new K6Tally()): Promise<{ tally: K6Tally; stats: ReadStats }> {
  const input = await openInput(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const stats: ReadStats = { lines: 0, points: 0, badLines: 0 };
  let firstBad: number | undefined;
  try {
    for await (const line of lines) {
      stats.lines++;
      const m = METRIC.exec(line);
      if (!m) {
        if (line.trim() !== '') {
          stats.badLines++;
          firstBad ??= stats.lines;
        }
        continue;
      }
      if (!USED.has(m[1])) continue;
      let p: Point;
      try {
        p = JSON.parse(line) as Point;
      } catch {
        stats.badLines++;
        firstBad ??= stats.lines;
        continue;
      }
      if (p.type === 'Metric') {
        if (p.metric === HINT_METRIC) tally.hintsRecorded = true;
        continue;
      }
      if (p.type !== 'Point' || !p.data) continue;
      if (addPoint(tally, p.metric!, p.data)) stats.points++;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (String((err as NodeJS.ErrnoException).code ?? '').startsWith('Z_')) throw new InputError(`starts like gzip but does not unpack (${(err as Error).message})`, file);
    throw new RuntimeError(`reading ${file} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    lines.close();
    input.destroy();
  }
  if (tally.requests === 0) {
    throw new InputError(
      stats.badLines > 0 && stats.points === 0
        ? `line ${firstBad} is not k6 JSON output: expected lines like {"type":"Point","metric":"http_reqs",…} from \`k6 run --out json=<file>\` (a --summary-export file goes to --summary)`
        : 'no http_reqs points: the run sent no requests, or this is not the output of `k6 run --out json=<file>`',
      file,
    );
  }
  return { tally, stats };
}

function addPoint(tally: K6Tally, metric: string, data: NonNullable<Point['data']>): boolean {
  const ms = typeof data.time === 'string' ? Date.parse(data.time) : NaN;
  const value = typeof data.value === 'number' ? data.value : NaN;
  if (!Number.isFinite(ms) || !Number.isFinite(value)) return false;
  const second = Math.floor(ms / 1000);
  const tags = data.tags ?? {};
  const cohort = tags.cohort || UNTAGGED_COHORT;
  const role: Role | undefined = tags.role === 'legit' || tags.role === 'attack' ? tags.role : undefined;
  switch (metric) {
    case 'http_reqs': {
      const status = Number(tags.status ?? 0);
      tally.request(cohort, role, second, Number.isInteger(status) ? status : 0, value);
      return true;
    }
    case 'http_req_duration':
      tally.latency(cohort, role, value, ms);
      return true;
    case 'data_received':
      tally.bytes(cohort, role, second, value);
      return true;
    case 'dropped_iterations':
      tally.dropped(cohort, role, second, value);
      return true;
    case HINT_METRIC:
      // a hint follows its request by microseconds: one at the very start of a second most likely
      // belongs to a request that ended in the second before
      tally.hint(cohort, role, second, { status: Number(tags.status ?? 0), message: tags.message ?? '', errorType: tags.error_type ?? '', wafAction: tags.waf_action ?? '' }, value, ms - second * 1000 < EARLY_MS);
      return true;
    default:
      return false;
  }
}

/** The file as a text stream, gunzipped when it is gzip (`--out json=results.gz`). */
async function openInput(file: string): Promise<Readable> {
  let gz = false;
  try {
    const fh = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
      gz = bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
    } finally {
      await fh.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected k6 JSON output' : `cannot read it (${code ?? String(err)})`, file);
  }
  const raw = createReadStream(file);
  if (!gz) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}
