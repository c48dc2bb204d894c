/**
 * What the Terraform readers share: blocks by address with their file and line, variable
 * defaults (with `optional(type, default)` attribute defaults from object types), locals, and
 * value resolution for "${var.x}" / "${local.x}" — anything else a plan would only know at apply
 * time stays UNRESOLVED and becomes an assumption.
 */
import type { Throttle } from '../../stack/types.ts';
import type { AuditModel, Location } from '../model.ts';
import { numberOf, quoted, UNRESOLVED } from './cfn-values.ts';
import { evalHcl, UNKNOWN } from './hcl-expr.ts';

export type Obj = Record<string, unknown>;

export interface TfBlock {
  kind: 'resource' | 'data' | 'module';
  type: string; // "aws_lambda_function" ("module" for modules)
  name: string;
  address: string; // "aws_lambda_function.hello", "data.aws_iam_policy_document.x", "module.api"
  body: Obj;
  loc: Location;
}

/** A nested block: hcl2json writes blocks as lists of bodies; attributes holding maps stay maps. */
export function first(v: unknown): Obj | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return x && typeof x === 'object' ? (x as Obj) : undefined;
}

export function all(v: unknown): Obj[] {
  return (Array.isArray(v) ? v : v ? [v] : []).filter((x): x is Obj => !!x && typeof x === 'object');
}

/** Attribute defaults an object type gives with optional(type, default). */
function optionalDefaults(type: unknown): Obj {
  const out: Obj = {};
  if (typeof type !== 'string') return out;
  for (const m of type.matchAll(/(\w+)\s*=\s*optional\(\s*\w+\s*,\s*("[^"]*"|-?[\d.]+|true|false)\s*\)/g)) {
    out[m[1]] = m[2].startsWith('"') ? m[2].slice(1, -1) : m[2] === 'true' ? true : m[2] === 'false' ? false : Number(m[2]);
  }
  return out;
}

export class TfContext {
  readonly vars = new Map<string, unknown>();
  readonly locals = new Map<string, unknown>();
  readonly blocks: TfBlock[] = [];
  constructor(readonly model: AuditModel) {}

  addVariable(name: string, body: Obj): void {
    const d = body.default;
    const defaults = optionalDefaults(body.type);
    if (d === undefined) return;
    this.vars.set(name, d && typeof d === 'object' && !Array.isArray(d) ? { ...defaults, ...(d as Obj) } : d);
  }

  block(address: string): TfBlock | undefined {
    return this.blocks.find((b) => b.address === address);
  }

  assume(loc: Location, message: string): void {
    this.model.assumptions.push({ ...loc, message });
  }

  /**
   * A value with "${var.x}", "${local.x}" (and "${var.x.attr}") resolved, and expressions of them
   * evaluated (hcl-expr.ts: arithmetic, conditionals, a few functions); UNRESOLVED for what the
   * configuration alone cannot say (a resource's attribute, each, count, other functions).
   */
  value(v: unknown, depth = 0): unknown {
    if (depth > 20) return UNRESOLVED;
    if (Array.isArray(v)) return v.map((x) => this.value(x, depth + 1));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, depth + 1)]));
    if (typeof v !== 'string' || !v.includes('${')) return v;
    const whole = /^\$\{\s*(var|local)\.([\w-]+)((?:\.[\w-]+)*)\s*\}$/.exec(v);
    if (whole) {
      const base = whole[1] === 'var' ? this.vars.get(whole[2]) : this.locals.get(whole[2]);
      if (base === undefined) return UNRESOLVED;
      let out: unknown = this.value(base, depth + 1);
      for (const key of whole[3].split('.').filter(Boolean)) out = out && typeof out === 'object' ? (out as Obj)[key] : UNRESOLVED;
      return out === undefined ? UNRESOLVED : out;
    }
    // one expression: arithmetic, a conditional, a function of what the configuration says (hcl-expr.ts)
    const single = /^\$\{([^{}]*)\}$/.exec(v);
    if (single && !single[1].includes('${')) {
      const r = evalHcl(single[1], (root, name) => {
        const base = root === 'var' ? this.vars.get(name) : this.locals.get(name);
        const out = base === undefined ? UNKNOWN : this.value(base, depth + 1);
        return out === UNRESOLVED ? UNKNOWN : out;
      });
      return r === UNKNOWN ? UNRESOLVED : r;
    }
    // "prefix-${var.x}": interpolate when every part resolves to a scalar
    let unresolved = false;
    const s = v.replace(/\$\{([^}]*)\}/g, (_, expr: string) => {
      const r = this.value(`\${${expr.trim()}}`, depth + 1);
      if (r === UNRESOLVED || r === null || typeof r === 'object' || /^\$\{/.test(String(r))) {
        unresolved = true;
        return '';
      }
      return String(r);
    });
    return unresolved ? UNRESOLVED : s;
  }

  num(b: TfBlock, v: unknown, what: string): number | undefined {
    if (v === undefined || v === null || this.value(v) === null) return undefined;
    const n = this.valueNum(v);
    if (n === undefined) this.assume(b.loc, `${what} cannot be determined from the configuration (${quoted(v)}); the default is used`);
    return n;
  }

  /** A number the value resolves to, or undefined (no assumption: the caller says what it does instead). */
  private valueNum(v: unknown): number | undefined {
    const r = this.value(v);
    const n = r === UNRESOLVED || r === null ? NaN : numberOf(r);
    return Number.isFinite(n) ? n : undefined;
  }

  str(v: unknown): string | undefined {
    const r = this.value(v);
    return typeof r === 'string' && !r.includes('${') ? r : typeof r === 'number' || typeof r === 'boolean' ? String(r) : undefined;
  }

  bool(v: unknown): boolean | undefined {
    const r = this.value(v);
    return r === true || r === 'true' ? true : r === false || r === 'false' ? false : undefined;
  }

  /** throttling_rate_limit / throttling_burst_limit (or rate_limit / burst_limit); -1 (or absent) is "none". */
  throttle(b: TfBlock, o: Obj | undefined, rateKey: string, burstKey: string): Throttle | undefined {
    if (!o) return undefined;
    // one that is written but cannot be evaluated is said once, with what is used in its place
    const written = (k: string) => o[k] !== undefined && o[k] !== null;
    const known = (k: string) => (written(k) ? this.valueNum(o[k]) : undefined);
    const rate = known(rateKey);
    const burst = known(burstKey);
    if (rate === undefined && burst === undefined) {
      for (const k of [rateKey, burstKey]) if (written(k)) this.assume(b.loc, `${b.address} ${k} cannot be determined from the configuration (${quoted(o[k])}); the default is used`);
      return undefined;
    }
    if ((rate ?? 0) < 0 || (burst ?? 0) < 0) return undefined;
    if (rate === undefined || burst === undefined) {
      const [missing, other] = rate === undefined ? [rateKey, burstKey] : [burstKey, rateKey];
      const why = written(missing) ? `cannot be determined from the configuration (${quoted(o[missing])})` : 'is not set';
      this.assume(b.loc, `${b.address} ${missing} ${why}; it is taken to be ${other}'s value, ${rate ?? burst}`);
    }
    return { rate: rate ?? burst!, burst: Math.round(burst ?? rate!) };
  }

  /**
   * Addresses a value of block `b` mentions, `each.value` and `each.key` read as an instance of
   * what its for_each names (`for_each = aws_api_gateway_stage.s` with `resource_arn = each.value.arn`
   * refers to the stage).
   */
  blockRefs(b: TfBlock, v: unknown): string[] {
    const out = this.refs(v);
    const text = typeof v === 'string' ? v : JSON.stringify(v ?? '');
    return /\beach\.(value|key)\b/.test(text) ? [...out, ...this.refs(b.body.for_each)] : out;
  }

  /** Addresses a value mentions: "${aws_x.name.id}" → "aws_x.name"; "${module.m.out}" → "module.m". */
  refs(v: unknown): string[] {
    const out: string[] = [];
    const text = typeof v === 'string' ? v : JSON.stringify(v ?? '');
    for (const m of text.matchAll(/\b(module\.[\w-]+|data\.[a-z0-9_]+\.[\w-]+|aws_[a-z0-9_]+\.[\w-]+)/g)) out.push(m[1]);
    return out;
  }

  /** Content of a dynamic block whose attributes read `<name>.value.<attr>` from one variable's object. */
  dynamicContent(b: TfBlock, name: string): Obj | undefined {
    const d = all(first(b.body.dynamic)?.[name])[0] ?? all((b.body.dynamic as Obj | undefined)?.[name])[0];
    if (!d) return undefined;
    const content = first(d.content) ?? {};
    const v = /var\.([\w-]+)/.exec(String(d.for_each ?? ''))?.[1];
    const source = v ? this.vars.get(v) : undefined;
    const out: Obj = {};
    for (const [k, expr] of Object.entries(content)) {
      const m = new RegExp(`^\\$\\{\\s*${name}\\.value\\.([\\w-]+)\\s*\\}$`).exec(String(expr));
      out[k] = m && source && typeof source === 'object' ? ((source as Obj)[m[1]] ?? null) : expr;
    }
    return out;
  }
}
