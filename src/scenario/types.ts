/** A scenario after parsing: defaults filled in, durations in seconds. */
export interface RequestSpec {
  method: string; // upper case
  path: string; // starts with '/'
  bodyBytes: number;
}

/** One request of a cohort's mix: a share weight / Σ weights of the cohort's requests. */
export interface WeightedRequest extends RequestSpec {
  weight: number; // > 0, relative
}

export type Segment =
  | { kind: 'constant'; duration: number; rate: number }
  | { kind: 'ramp'; duration: number; from: number; to: number }
  | { kind: 'exponential'; duration: number; start: number; factor: number; every: number }
  | { kind: 'pulse'; duration: number; high: number; low: number; on: number; off: number }
  | { kind: 'random'; duration: number; min: number; max: number; every: number; seed: number }
  | { kind: 'diurnal'; duration: number; mean: number; amplitude: number; period: number };

export interface Cohort {
  name: string;
  role: 'legit' | 'attack';
  clients: number;
  /** 'none' | 'invalid' | a usage plan's name (each client holds its own key of that plan). */
  apiKey: string;
  rotate?: number; // seconds between IP rotations
  /**
   * Each request claims a fresh forged address as its first X-Forwarded-For hop (the client's real
   * address follows as the last): a WAF rule keyed on `forwarded-ip` sees a new key every time.
   */
  forgeForwardedFor?: boolean;
  /** What the cohort sends: one request (weight 1) or a weighted mix, in file order. */
  requests: WeightedRequest[];
  rate: Segment[];
}

export interface Scenario {
  name: string;
  description: string;
  file?: string;
  request: RequestSpec;
  cohorts: Cohort[];
}
