/**
 * What the CloudFormation and SAM readers share while reading one template: where things are
 * (file, line), resolved values, and the assumption log for values the template leaves open.
 */
import type { Throttle } from '../../stack/types.ts';
import type { AuditModel, Location } from '../model.ts';
import { CfnValues, numberOf, quoted, UNRESOLVED, type Template } from './cfn-values.ts';
import type { LineOf } from './cfn-yaml.ts';

export class CfnContext {
  readonly values: CfnValues;
  /** Stage resources of an API with several stages that the audit does not read (cfn-stages.ts). */
  leftOut: ReadonlySet<string> = new Set();
  constructor(
    readonly file: string,
    readonly t: Template,
    readonly lineOf: LineOf,
    readonly model: AuditModel,
  ) {
    this.values = new CfnValues(t, model.region);
  }

  get resources(): Record<string, { Type?: string; Properties?: Record<string, unknown>; Condition?: string }> {
    return this.t.Resources ?? {};
  }

  props(id: string): Record<string, unknown> {
    const p = this.resources[id]?.Properties;
    return p && typeof p === 'object' ? p : {};
  }

  loc(id: string, ...path: (string | number)[]): Location {
    if (this.t.Resources?.[id]) return { file: this.file, line: this.lineOf(['Resources', id, ...path]), resource: id };
    // SAM's implicit APIs exist only through Globals: point at the Globals section that set it
    const rest = path[0] === 'Properties' ? path.slice(1) : path;
    return { file: this.file, line: Math.max(this.lineOf(['Globals', 'Api', ...rest]), this.lineOf(['Globals', 'HttpApi', ...rest])), resource: id };
  }

  assume(loc: Location, message: string): void {
    this.model.assumptions.push({ ...loc, message });
  }

  /**
   * A number the template gives at `path` under resource `id` (with the raw value `v`), or
   * undefined when absent. A value the template leaves open is an assumption, and undefined.
   */
  num(id: string, path: (string | number)[], v: unknown, what: string): number | undefined {
    if (v === undefined || v === null || this.values.value(v) === undefined) return undefined;
    const n = this.valueNum(v);
    if (n === undefined) this.assume(this.loc(id, 'Properties', ...path), `${what} cannot be determined from the template (${quoted(v)}); the default is used`);
    return n;
  }

  /** The number a value resolves to, or undefined (no assumption: the caller says what it does instead). */
  private valueNum(v: unknown): number | undefined {
    const r = this.values.value(v);
    const n = r === UNRESOLVED || r === undefined ? NaN : numberOf(r);
    return Number.isFinite(n) ? n : undefined;
  }

  str(v: unknown): string | undefined {
    const r = this.values.value(v);
    return typeof r === 'string' ? r : typeof r === 'number' || typeof r === 'boolean' ? String(r) : undefined;
  }

  bool(v: unknown): boolean | undefined {
    const r = this.values.value(v);
    if (r === true || r === 'true' || r === 'True') return true;
    if (r === false || r === 'false' || r === 'False') return false;
    return undefined;
  }

  /** A resource's own Condition: false when it is known to be off (then the resource does not exist). */
  exists(id: string): boolean {
    const c = this.resources[id]?.Condition;
    if (!c) return true;
    const v = this.values.condition(c);
    if (v === undefined) this.assume(this.loc(id, 'Condition'), `condition ${quoted(c)} cannot be determined from the template; the resource is assumed to exist`);
    return v !== false;
  }

  /** Rate/burst keys as CloudFormation spells them; a throttle needs both (AWS treats -1 as "none"). */
  throttle(id: string, path: (string | number)[], o: unknown, rateKey: string, burstKey: string): Throttle | undefined {
    if (!o || typeof o !== 'object') return undefined;
    const rec = this.values.value(o) as Record<string, unknown>;
    if (!rec || typeof rec !== 'object') return undefined;
    const raw = o as Record<string, unknown>;
    // one that is written but cannot be evaluated is said once, with what is used in its place
    const written = (k: string) => raw[k] !== undefined && raw[k] !== null && this.values.value(raw[k]) !== undefined;
    const known = (k: string) => (written(k) ? this.valueNum(raw[k]) : undefined);
    const rate = known(rateKey);
    const burst = known(burstKey);
    if (rate === undefined && burst === undefined) {
      for (const k of [rateKey, burstKey]) if (written(k)) this.assume(this.loc(id, 'Properties', ...path, k), `${k} cannot be determined from the template (${quoted(raw[k])}); the default is used`);
      return undefined;
    }
    if ((rate ?? 0) < 0 || (burst ?? 0) < 0) return undefined;
    if (rate === undefined || burst === undefined) {
      const [missing, other] = rate === undefined ? [rateKey, burstKey] : [burstKey, rateKey];
      const why = written(missing) ? `cannot be determined from the template (${quoted(raw[missing])})` : 'is not set';
      this.assume(this.loc(id, 'Properties', ...path), `${missing} ${why}; it is taken to be ${other}'s value, ${rate ?? burst}`);
    }
    return { rate: rate ?? burst!, burst: Math.round(burst ?? rate!) };
  }
}


/** Every logical id a value mentions: Ref, GetAtt and ${Name} / ${Name.Attr} inside Fn::Sub. */
export function refsIn(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refsIn(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'Ref' && typeof x === 'string') out.push(x.split('.')[0]);
      else if (k === 'Fn::GetAtt') out.push(Array.isArray(x) ? String(x[0]) : String(x).split('.')[0]);
      else if (k === 'Fn::Sub') {
        const text = Array.isArray(x) ? x[0] : x;
        if (typeof text === 'string') for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) out.push(m[1]);
        if (Array.isArray(x)) refsIn(x[1], out);
      } else refsIn(x, out);
    }
  }
  return out;
}
