import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { InputError, type Problem } from '../model/errors.ts';
import { duplicateKeyOffsets } from './duplicate-keys.ts';
import type { Locate } from './problems.ts';
import type { PathKey } from './path.ts';

/** A scenario or stack file read into plain data, plus a way to point back at lines in it. */
export interface InputDocument {
  data: Record<string, unknown>;
  locate: Locate;
}

/**
 * Reads YAML (JSON is YAML) into a plain map. Anything that is not a readable map — syntax
 * errors (with line:column), an empty file, a list, a lone value — is an InputError here.
 * `what` names the file kind in messages; `keysHint` says which top-level keys are expected.
 */
export function readYaml(text: string, file: string | undefined, what: string, keysHint: string): InputDocument {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InputError([{ path: '', message: `the ${what} file is empty; expected a map with ${keysHint}` }], file);
  }
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, strict: true });
  } catch (err) {
    // The parser only throws on pathological input (e.g. nesting deep enough to exhaust the stack).
    throw new InputError([{ path: '', message: `cannot read the ${what} file as YAML: ${(err as Error).message}` }], file);
  }
  const problems: Problem[] = [];
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return '';
    const { line, col } = lines.linePos(offset);
    return ` at line ${line}, column ${col} (${line}:${col})`;
  };
  const duplicates = duplicateKeyOffsets(doc).map((offset) => ({ pos: [offset], message: 'Map keys must be unique' }));
  const yamlErrors = [...doc.errors, ...doc.warnings, ...duplicates].sort((a, b) => (a.pos?.[0] ?? 0) - (b.pos?.[0] ?? 0));
  // After the first few, syntax errors are mostly echoes of the first: list those, count the rest.
  for (const e of yamlErrors.slice(0, MAX_YAML_ERRORS)) {
    problems.push({ path: '', message: `invalid YAML${at(e.pos?.[0])}: ${firstLine(e.message)}` });
  }
  if (yamlErrors.length > MAX_YAML_ERRORS) {
    problems.push({ path: '', message: `invalid YAML: ${yamlErrors.length - MAX_YAML_ERRORS} more errors after these` });
  }
  if (problems.length === 0) {
    try {
      checkNodes();
    } catch {
      problems.push({ path: '', message: 'invalid YAML: nested too deeply' });
    }
  }
  function checkNodes(): void {
    visit(doc, {
      Alias(_, alias, path) {
        // An alias inside the node it names makes a cycle (and makes yaml's toJS crawl): refuse it.
        if (path.some((node) => (node as { anchor?: string }).anchor === alias.source)) {
          problems.push({ path: '', message: `invalid YAML${at(alias.range?.[0])}: the alias *${alias.source} refers to a map or list that contains it` });
          return visit.BREAK;
        }
        return undefined;
      },
      Pair(_, pair) {
        if (pair.key !== null && !isScalar(pair.key)) {
          problems.push({ path: '', message: `invalid key${at((pair.key as Node).range?.[0])}: keys must be plain names, not lists or maps` });
        }
      },
    });
  }
  if (problems.length) throw new InputError(problems, file);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new InputError([{ path: '', message: `invalid YAML: ${firstLine((err as Error).message)}` }], file);
  }
  let cyclic: boolean;
  try {
    cyclic = hasCycle(data);
  } catch {
    throw new InputError([{ path: '', message: 'invalid YAML: nested too deeply' }], file);
  }
  if (cyclic) {
    throw new InputError([{ path: '', message: 'invalid YAML: an alias refers to a map or list that contains it' }], file);
  }
  if (data === null || data === undefined) {
    throw new InputError([{ path: '', message: `the ${what} file has no content; expected a map with ${keysHint}` }], file);
  }
  if (Array.isArray(data)) {
    throw new InputError([{ path: '', message: `expected a map with ${keysHint} at the top level, got a list` }], file);
  }
  if (typeof data !== 'object') {
    throw new InputError(
      [{ path: '', message: `expected a map with ${keysHint} at the top level, got a single ${typeof data} value` }],
      file,
    );
  }
  // one index per map, built on first use: a lookup per problem stays O(path length), not O(keys)
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        const name = isScalar(p.key) ? String(p.key.value) : undefined;
        if (name !== undefined && !index.has(name)) index.set(name, p);
      }
      indexes.set(map, index);
    }
    return index.get(key);
  };
  const locate: Locate = (path) => {
    let node: unknown = doc.contents;
    let line: number | undefined = lineOf(node);
    for (const key of path) {
      if (isMap(node)) {
        const pair = pairOf(node, String(key));
        if (!pair) break;
        line = lineOf(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        if (node === undefined) break;
        line = lineOf(node) ?? line;
      } else break;
    }
    return line;
  };
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  return { data: data as Record<string, unknown>, locate };
}

const MAX_YAML_ERRORS = 5;

function firstLine(message: string): string {
  const line = message.split('\n')[0].trim();
  if (/call stack/i.test(line)) return 'nested too deeply';
  // yaml quotes the offending source text; keep that short
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

function hasCycle(value: unknown, stack = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (stack.has(value)) return true;
  stack.add(value);
  const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  for (const child of children) if (hasCycle(child, stack)) return true;
  stack.delete(value);
  return false;
}

export type { PathKey };
