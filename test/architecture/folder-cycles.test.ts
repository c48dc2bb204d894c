import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Layering rule: src/* folders import each other without a cycle (issue 11). The graph is read from
// the import/export lines themselves, so no tool version decides what counts as an edge.
const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Folder → folders it imports, with one example file edge each (for the failure message). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of tsFiles(SRC)) {
    const from = relative(SRC, file).split(sep)[0];
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const target = relative(SRC, normalize(join(dirname(file), m[1] ?? m[2])));
      const parts = target.split(sep);
      if (parts.length < 2 || parts[0] === '..' || parts[0] === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(parts[0])) edges.set(parts[0], `${relative(SRC, file)} -> ${target}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the folder path that closes it. */
function findCycles(graph: Map<string, Iterable<string>>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const walk = (node: string, path: string[]): void => {
    const at = path.indexOf(node);
    if (at >= 0) return void cycles.push([...path.slice(at), node]);
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) walk(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) walk(node, []);
  return cycles;
}

describe('folder-level imports', () => {
  it('finds a cycle when there is one (a → b → c → a) and none in a chain', () => {
    const cyclic = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]);
    expect(findCycles(cyclic)).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('sees the edges that exist (cli imports stack, stack imports model)', () => {
    const graph = folderGraph();
    expect(graph.get('cli')?.has('stack')).toBe(true);
    expect(graph.get('stack')?.has('model')).toBe(true);
  });

  it('has no cycle among src/* folders', () => {
    const graph = folderGraph();
    const cycles = findCycles(new Map([...graph].map(([k, v]) => [k, [...v.keys()]])));
    const explain = cycles.map((c) => c.map((f, i) => (i + 1 < c.length ? graph.get(f)?.get(c[i + 1]) : '')).filter(Boolean).join('; '));
    expect(explain).toEqual([]);
  });
});
