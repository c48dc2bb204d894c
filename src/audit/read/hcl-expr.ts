/**
 * The part of Terraform's expression language a configuration's settings are usually written in,
 * evaluated on what the configuration itself says (variables' defaults, locals): literals,
 * `var.` and `local.` references with attributes and indexes, arithmetic, comparison, logic, the
 * conditional `c ? a : b`, tuples, and a few functions (min, max, abs, floor, ceil, length,
 * tonumber, tostring, tobool, tolist, toset, lookup, coalesce, lower, upper). Anything else (a
 * resource's attribute, `each`, `count`, another function) cannot be evaluated here: `UNKNOWN`.
 */

/** What cannot be evaluated from the configuration. */
export const UNKNOWN: unique symbol = Symbol('unknown');

type Value = unknown;
type Lookup = (root: 'var' | 'local', name: string) => Value;

class Unknown extends Error {}

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  min: (a) => Math.min(...a.map(num)),
  max: (a) => Math.max(...a.map(num)),
  abs: ([x]) => Math.abs(num(x)),
  floor: ([x]) => Math.floor(num(x)),
  ceil: ([x]) => Math.ceil(num(x)),
  length: ([x]) => (typeof x === 'string' ? [...x].length : Array.isArray(x) ? x.length : x && typeof x === 'object' ? Object.keys(x).length : fail()),
  tonumber: ([x]) => (x === null ? null : num(x)),
  tostring: ([x]) => (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? String(x) : x === null ? null : fail()),
  tobool: ([x]) => (x === true || x === 'true' ? true : x === false || x === 'false' ? false : fail()),
  tolist: ([x]) => (Array.isArray(x) ? x : fail()),
  // a set of strings: sorted, without duplicates (Terraform orders a set of strings lexically)
  // a set of numbers is ordered by value, of strings (or numbers and strings, all made strings) lexically, as cty orders them
  toset: ([x]) => {
    if (!Array.isArray(x)) return fail();
    if (x.every((e) => typeof e === 'number')) return [...new Set(x as number[])].sort((a, b) => a - b);
    return [...new Set(x.map((e) => (typeof e === 'string' || typeof e === 'number' ? String(e) : fail())))].sort();
  },
  lookup: ([m, k, d]) => {
    if (!m || typeof m !== 'object' || Array.isArray(m) || typeof k !== 'string') return fail();
    return Object.hasOwn(m, k) ? (m as Record<string, Value>)[k] : d === undefined ? fail() : d;
  },
  coalesce: (a) => a.find((x) => x !== null && x !== '') ?? fail(),
  lower: ([x]) => (typeof x === 'string' ? x.toLowerCase() : fail()),
  upper: ([x]) => (typeof x === 'string' ? x.toUpperCase() : fail()),
};

function fail(): never {
  throw new Unknown();
}

/** A number, or a string Terraform reads as one: decimal only, no spaces, no 0x (cty's ParseNumberVal, base 10). */
function num(v: Value): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : fail();
}

function bool(v: Value): boolean {
  return v === true || v === 'true' ? true : v === false || v === 'false' ? false : fail();
}

/** Evaluates the expression inside a `${…}` (as hcl2json writes an expression), or UNKNOWN. */
export function evalHcl(expr: string, lookup: Lookup): Value {
  const toks = tokens(expr);
  if (!toks) return UNKNOWN;
  let i = 0;
  const peek = () => toks[i];
  const eat = (t?: string) => {
    const x = toks[i];
    if (x === undefined || (t !== undefined && x !== t)) fail();
    i++;
    return x;
  };

  const conditional = (): Value => {
    const c = or();
    if (peek() !== '?') return c;
    eat('?');
    const a = conditional();
    eat(':');
    const b = conditional();
    return bool(c) ? a : b;
  };
  const or = (): Value => {
    let l = and();
    while (peek() === '||') {
      eat();
      const r = and();
      l = bool(l) || bool(r);
    }
    return l;
  };
  const and = (): Value => {
    let l = equality();
    while (peek() === '&&') {
      eat();
      const r = equality();
      l = bool(l) && bool(r);
    }
    return l;
  };
  const equality = (): Value => {
    let l = comparison();
    while (peek() === '==' || peek() === '!=') {
      const op = eat();
      const r = comparison();
      const same = JSON.stringify(l) === JSON.stringify(r);
      l = op === '==' ? same : !same;
    }
    return l;
  };
  const comparison = (): Value => {
    let l = additive();
    while (['<', '<=', '>', '>='].includes(peek() ?? '')) {
      const op = eat();
      const [a, b] = [num(l), num(additive())];
      l = op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
    return l;
  };
  const additive = (): Value => {
    let l = multiplicative();
    while (peek() === '+' || peek() === '-') {
      const op = eat();
      const r = num(multiplicative());
      l = op === '+' ? num(l) + r : num(l) - r;
    }
    return l;
  };
  const multiplicative = (): Value => {
    let l = unary();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = eat();
      const r = num(unary());
      if (op !== '*' && r === 0) fail();
      l = op === '*' ? num(l) * r : op === '/' ? num(l) / r : num(l) % r;
    }
    return l;
  };
  const unary = (): Value => {
    if (peek() === '-') {
      eat();
      return -num(unary());
    }
    if (peek() === '!') {
      eat();
      return !bool(unary());
    }
    return postfix(primary());
  };
  const postfix = (v: Value): Value => {
    for (;;) {
      if (peek() === '.') {
        eat();
        const key = eat();
        if (!/^[A-Za-z_][\w-]*$/.test(key)) fail();
        v = attr(v, key);
      } else if (peek() === '[') {
        eat('[');
        const k = conditional();
        eat(']');
        v = Array.isArray(v) ? (v[num(k)] ?? fail()) : attr(v, typeof k === 'string' ? k : fail());
      } else return v;
    }
  };
  const primary = (): Value => {
    const t = eat();
    if (t === '(') {
      const v = conditional();
      eat(')');
      return v;
    }
    if (t === '[') {
      const items: Value[] = [];
      while (peek() !== ']') {
        items.push(conditional());
        if (peek() === ',') eat(',');
        else break;
      }
      eat(']');
      return items;
    }
    if (t.startsWith('"')) return JSON.parse(t) as string;
    if (/^\d/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (t === 'var' || t === 'local') {
      eat('.');
      const name = eat();
      const v = lookup(t, name);
      return v === undefined || v === UNKNOWN ? fail() : v;
    }
    if (Object.hasOwn(FUNCTIONS, t) && peek() === '(') {
      eat('(');
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(conditional());
        if (peek() === ',') eat(',');
        else break;
      }
      eat(')');
      return FUNCTIONS[t](args);
    }
    return fail(); // a resource, data source, module, each, count, path, another function…
  };

  try {
    const v = conditional();
    return i === toks.length && v !== undefined ? v : UNKNOWN;
  } catch (e) {
    if (e instanceof Unknown || e instanceof SyntaxError) return UNKNOWN;
    throw e;
  }
}

function attr(v: Value, key: string): Value {
  if (!v || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, key)) fail();
  return (v as Record<string, Value>)[key];
}

/** The expression's tokens, or undefined when it has one this evaluator does not know (a template, a heredoc, a `for`). */
function tokens(expr: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\$%]|\\.)*")|([A-Za-z_][\w-]*)|(==|!=|<=|>=|&&|\|\||[-+*/%<>!?:.,()[\]]))/y;
  let at = 0;
  while (at < expr.length) {
    if (/^\s*$/.test(expr.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(expr);
    if (!m) return undefined;
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    at = re.lastIndex;
  }
  return out;
}
