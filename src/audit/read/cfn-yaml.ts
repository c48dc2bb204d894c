/**
 * Reads a CloudFormation / SAM template (YAML with short-form intrinsics, or JSON) into plain
 * data in the long form ({"Fn::Sub": …}) and a way to find the line of any path in it.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type ParsedNode, type Tags } from 'yaml';
import { InputError } from '../../model/errors.ts';

export type LineOf = (path: (string | number)[]) => number;

const FN_TAGS = ['Sub', 'GetAtt', 'If', 'Join', 'Select', 'Split', 'FindInMap', 'ImportValue', 'Equals', 'And', 'Or', 'Not', 'Base64', 'Cidr', 'GetAZs', 'Transform', 'Length', 'ToJsonString'];

function longForm(tag: string, value: unknown): unknown {
  if (tag === 'Ref') return { Ref: value };
  if (tag === 'Condition') return { Condition: value };
  // !GetAtt A.B is the scalar form of [A, B]
  if (tag === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${tag}`]: value };
}

/** The short-form intrinsic tags, each as a scalar, a sequence and a mapping. */
function cfnTags(): Tags {
  const tags: Tags = [];
  for (const name of ['Ref', 'Condition', ...FN_TAGS]) {
    const tag = `!${name}`;
    tags.push({ tag, identify: () => false, resolve: (str: string) => longForm(name, str) });
    tags.push({ tag, collection: 'seq', identify: () => false, resolve: (seq: ParsedNode) => seq } as never);
    tags.push({ tag, collection: 'map', identify: () => false, resolve: (map: ParsedNode) => map } as never);
  }
  return tags;
}

/** Most aliases one file may expand: anchors nested in anchors grow a file exponentially ("billion laughs"). */
export const MAX_ALIAS_EXPANSIONS = 10_000;

/**
 * Converts the parsed document to plain data, turning tagged collections into their long form.
 * An alias (`*name`) is the anchored node's data, and a merge key (`<<: *defaults`, or a list of
 * them) puts the keys of the merged maps in the map that the map does not set itself, as
 * serverless.yml's parser (js-yaml) does; both were read as nothing before.
 */
function toData(node: unknown, doc: Document.Parsed, budget: { left: number; file: string }): unknown {
  if (isAlias(node)) {
    if (--budget.left < 0) throw new InputError([{ path: '', message: `more than ${MAX_ALIAS_EXPANSIONS.toLocaleString('en-US')} aliases to expand: a file of nested anchors is refused` }], budget.file);
    return toData(node.resolve(doc), doc, budget);
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const merged: Record<string, unknown>[] = [];
    for (const p of node.items) {
      const key = isScalar(p.key) ? p.key.value : p.key;
      if (key === '<<') {
        const v = toData(p.value, doc, budget);
        for (const m of Array.isArray(v) ? v : [v]) if (m && typeof m === 'object' && !Array.isArray(m)) merged.push(m as Record<string, unknown>);
        continue;
      }
      out[String(key)] = toData(p.value, doc, budget);
    }
    // the map's own keys win, then the merged maps in their order
    for (const m of merged) for (const [k, v] of Object.entries(m)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v;
    return wrap(node, out);
  }
  if (isSeq(node)) return wrap(node, node.items.map((n) => toData(n, doc, budget)));
  if (isScalar(node)) return node.value;
  return node ?? null;
}

function wrap(node: Node, value: unknown): unknown {
  const tag = node.tag;
  if (tag && tag.startsWith('!') && !tag.startsWith('!!')) return longForm(tag.slice(1), value);
  return value;
}

/** Parses the template; a syntax error is one InputError with the file and line:column. */
export function readCfnText(text: string, file: string): { data: Record<string, unknown>; lineOf: LineOf } {
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, customTags: cfnTags(), strict: false, uniqueKeys: true });
  } catch (err) {
    throw new InputError(`cannot read the template: ${(err as Error).message}`, file);
  }
  const err = doc.errors[0];
  if (err) {
    const pos = err.pos ? lines.linePos(err.pos[0]) : undefined;
    const where = pos ? `line ${pos.line}, column ${pos.col}` : '';
    // a key twice in one map: the parser keeps one silently where CloudFormation refuses the template
    const why = err.code === 'DUPLICATE_KEY' ? 'a key appears twice in the same map (CloudFormation and the Serverless Framework refuse such a file; which one counts is not defined)' : err.message.split('\n')[0];
    throw new InputError([{ path: where, message: `invalid YAML/JSON: ${why}` }], file);
  }
  const data = toData(doc.contents, doc, { left: MAX_ALIAS_EXPANSIONS, file });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError([{ path: 'line 1', message: 'expected a template: a map with Resources' }], file);
  }
  const lineOfNode = (n: unknown): number | undefined => {
    const r = (n as { range?: [number, number, number] } | null)?.range;
    return r ? lines.linePos(r[0]).line : undefined;
  };
  const lineOf: LineOf = (path) => {
    let node: unknown = doc.contents;
    let line = 1;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        line = lineOfNode(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number' && node.items[key] !== undefined) {
        node = node.items[key];
        line = lineOfNode(node) ?? line;
      } else break;
    }
    return line;
  };
  return { data: data as Record<string, unknown>, lineOf };
}
