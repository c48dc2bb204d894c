import { InputError } from '../model/errors.ts';
import { finishProblems, problemsFromIssues, type RawProblem } from '../input/problems.ts';
import { readYaml } from '../input/yaml-input.ts';
import { scenarioRules } from './rules.ts';
import { scenarioSchema, type ScenarioFile, type SegmentFile } from './schema.ts';
import type { Cohort, Scenario, Segment, WeightedRequest } from './types.ts';

const TOP_KEYS = 'name, description, request and cohorts';

/**
 * Reads a scenario from YAML or JSON text into the normalized Scenario (durations in seconds).
 * Throws one InputError carrying every problem found, each with its path in the file.
 */
export function parseScenario(text: string, file?: string): Scenario {
  const { data, locate } = readYaml(text, file, 'scenario', TOP_KEYS);
  const parsed = scenarioSchema.safeParse(data, { reportInput: true });
  const raw: RawProblem[] = parsed.success ? [] : problemsFromIssues(parsed.error.issues, scenarioSchema);
  raw.push(...scenarioRules(data));
  if (raw.length || !parsed.success) {
    throw new InputError(finishProblems(raw, locate), file);
  }
  return normalizeScenario(parsed.data, file);
}

function normalizeScenario(s: ScenarioFile, file: string | undefined): Scenario {
  const cohorts: Cohort[] = s.cohorts.map((c) => {
    const requests: WeightedRequest[] = (c.requests ?? [{ ...c.request, weight: 1 }]).map((r) => ({
      method: r?.method ?? s.request.method,
      path: r?.path ?? s.request.path,
      bodyBytes: r?.bodyBytes ?? s.request.bodyBytes,
      weight: r.weight,
    }));
    return {
      name: c.name,
      role: c.role,
      clients: c.clients,
      apiKey: c.apiKey,
      ...(c.rotate !== undefined ? { rotate: c.rotate } : {}),
      ...(c.forgeForwardedFor ? { forgeForwardedFor: true } : {}),
      requests,
      rate: c.rate.map(toSegment),
    };
  });
  return {
    name: s.name,
    description: s.description,
    ...(file !== undefined ? { file } : {}),
    request: { ...s.request },
    cohorts,
  };
}

function toSegment(seg: SegmentFile): Segment {
  const duration = seg.duration;
  if (seg.rate !== undefined) return { kind: 'constant', duration, rate: seg.rate };
  if (seg.ramp) return { kind: 'ramp', duration, from: seg.ramp[0], to: seg.ramp[1] };
  if (seg.exponential) return { kind: 'exponential', duration, ...seg.exponential };
  if (seg.pulse) return { kind: 'pulse', duration, ...seg.pulse };
  if (seg.random) return { kind: 'random', duration, ...seg.random };
  if (seg.diurnal) return { kind: 'diurnal', duration, ...seg.diurnal };
  // scenarioRules guarantees exactly one shape before we get here.
  throw new Error('segment without a shape passed validation');
}
