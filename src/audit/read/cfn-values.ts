/**
 * Resolves CloudFormation values as far as the template itself determines them: Parameters by
 * their Default, pseudo parameters, Conditions, Fn::If / Sub / Join / Select / FindInMap /
 * Equals / And / Or / Not. Anything else (a resource's runtime id, an ImportValue) stays
 * UNRESOLVED, and the caller turns that into an assumption: never a silent guess.
 */
export const UNRESOLVED = Symbol('unresolved');
export type Resolved = unknown;

export interface Template {
  Parameters?: Record<string, { Default?: unknown; Type?: string }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown>; Condition?: string }>;
  Globals?: Record<string, Record<string, unknown>>;
}

export class CfnValues {
  private readonly conditionCache = new Map<string, boolean | undefined>();
  constructor(
    private readonly t: Template,
    readonly region: string,
  ) {}

  /** A scalar or structure with every intrinsic resolved; UNRESOLVED where the template cannot say. */
  value(v: unknown, depth = 0): Resolved {
    if (depth > 40) return UNRESOLVED;
    if (Array.isArray(v)) return v.map((x) => this.value(x, depth + 1));
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const k = keys[0];
      const arg = o[k];
      switch (k) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::If': {
          if (!Array.isArray(arg) || arg.length !== 3) return UNRESOLVED;
          const c = this.condition(String(arg[0]));
          if (c === undefined) return UNRESOLVED;
          return this.value(c ? arg[1] : arg[2], depth + 1);
        }
        case 'Fn::Sub':
          return this.sub(arg, depth);
        case 'Fn::Join': {
          if (!Array.isArray(arg) || arg.length !== 2) return UNRESOLVED;
          const parts = this.value(arg[1], depth + 1);
          if (!Array.isArray(parts) || parts.some((p) => p === UNRESOLVED || typeof p === 'object')) return UNRESOLVED;
          const separator = this.value(arg[0], depth + 1);
          return typeof separator === 'string' ? parts.join(separator) : UNRESOLVED;
        }
        case 'Fn::Select': {
          if (!Array.isArray(arg) || arg.length !== 2) return UNRESOLVED;
          const i = numberOf(this.value(arg[0], depth + 1));
          const list = this.value(arg[1], depth + 1);
          return Array.isArray(list) && Number.isInteger(i) && i < list.length ? list[i] : UNRESOLVED;
        }
        case 'Fn::FindInMap': {
          if (!Array.isArray(arg) || arg.length < 3) return UNRESOLVED;
          const [m, a, b] = arg.map((x) => this.value(x, depth + 1));
          const hit = this.t.Mappings?.[String(m)]?.[String(a)]?.[String(b)];
          return hit === undefined ? UNRESOLVED : this.value(hit, depth + 1);
        }
        case 'Fn::Equals':
        case 'Fn::And':
        case 'Fn::Or':
        case 'Fn::Not':
        case 'Condition': {
          const c = this.conditionExpr(o, depth);
          return c === undefined ? UNRESOLVED : c;
        }
        default:
          if (k.startsWith('Fn::')) return UNRESOLVED;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = this.value(x, depth + 1);
    return out;
  }

  /** The value with only its Fn::If choices made (where determinable), every other intrinsic kept as written. */
  choices(v: unknown, depth = 0): unknown {
    if (depth > 60) return v;
    if (Array.isArray(v)) return v.map((x) => this.choices(x, depth + 1));
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const arg = o['Fn::If'];
    if (Object.keys(o).length === 1 && Array.isArray(arg) && arg.length === 3) {
      const c = this.condition(String(arg[0]));
      if (c !== undefined) return this.choices(c ? arg[1] : arg[2], depth + 1);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = this.choices(x, depth + 1);
    return out;
  }

  /** A Ref: a parameter's Default, a pseudo parameter, or UNRESOLVED (a resource's physical id). */
  ref(name: string): Resolved {
    if (name === 'AWS::Region') return this.region;
    if (name === 'AWS::NoValue') return undefined;
    if (name === 'AWS::Partition') return 'aws';
    const p = this.t.Parameters?.[name];
    if (p && p.Default !== undefined) {
      if (p.Type && /List</.test(p.Type) || p.Type === 'CommaDelimitedList') return String(p.Default).split(',').map((s) => s.trim());
      return p.Default;
    }
    return UNRESOLVED;
  }

  /** A named condition's truth, or undefined when it depends on something the template does not fix. */
  condition(name: string): boolean | undefined {
    if (this.conditionCache.has(name)) return this.conditionCache.get(name);
    this.conditionCache.set(name, undefined); // a cycle resolves to "unknown"
    const c = this.t.Conditions?.[name];
    const v = c === undefined ? undefined : this.conditionExpr(c, 0);
    this.conditionCache.set(name, v);
    return v;
  }

  private conditionExpr(c: unknown, depth: number): boolean | undefined {
    if (c === true || c === false) return c;
    if (c === null || typeof c !== 'object') return undefined;
    const o = c as Record<string, unknown>;
    if ('Condition' in o) return this.condition(String(o.Condition));
    const list = (k: string) => (Array.isArray(o[k]) ? (o[k] as unknown[]) : []);
    if ('Fn::Equals' in o) {
      const [a, b] = list('Fn::Equals').map((x) => this.value(x, depth + 1));
      if (a === UNRESOLVED || b === UNRESOLVED) return undefined;
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    if ('Fn::Not' in o) {
      const v = this.conditionExpr(list('Fn::Not')[0], depth + 1);
      return v === undefined ? undefined : !v;
    }
    if ('Fn::And' in o || 'Fn::Or' in o) {
      const and = 'Fn::And' in o;
      const vs = list(and ? 'Fn::And' : 'Fn::Or').map((x) => this.conditionExpr(x, depth + 1));
      if (and) return vs.includes(false) ? false : vs.includes(undefined) ? undefined : true;
      return vs.includes(true) ? true : vs.includes(undefined) ? undefined : false;
    }
    return undefined;
  }

  private sub(arg: unknown, depth: number): Resolved {
    let text: unknown = arg;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      text = arg[0];
      const given = this.value(arg[1], depth + 1) ?? {};
      // a variable map the template computes (or that is not a map) says nothing of the names
      if (typeof given !== 'object' || Array.isArray(given)) return UNRESOLVED;
      vars = given as Record<string, unknown>;
    }
    if (typeof text !== 'string') return UNRESOLVED;
    let unresolved = false;
    const out = text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      const v = name in vars ? vars[name] : name.includes('.') ? UNRESOLVED : this.ref(name);
      if (v === UNRESOLVED || typeof v === 'object') {
        unresolved = true;
        return '';
      }
      return String(v);
    });
    return unresolved ? UNRESOLVED : out;
  }
}

/** The logical id a value points at: {Ref: X} or {Fn::GetAtt: [X, …]} (or "X" given as a plain string). */
export function refTarget(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string') return o.Ref.split('.')[0];
    const g = o['Fn::GetAtt'];
    if (Array.isArray(g) && typeof g[0] === 'string') return g[0];
    if (typeof g === 'string') return g.split('.')[0];
  }
  return undefined;
}

/**
 * A resolved value as a number: a number, or a numeric string; NaN for anything else, a value the
 * source leaves open (UNRESOLVED, a symbol `Number()` throws on) included.
 */
export function numberOf(r: unknown): number {
  return typeof r === 'number' ? r : typeof r === 'string' && r.trim() !== '' ? Number(r) : NaN;
}

/** A value as an assumption quotes it: text as written, a structure as JSON, one left open as such; at most 80 characters. */
export function quoted(v: unknown): string {
  const s = typeof v === 'symbol' ? 'left open' : typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
