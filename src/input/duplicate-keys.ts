import { isMap, isScalar, visit, type Document } from 'yaml';

/**
 * Where a map repeats a key (the offset of each repeat). yaml's own `uniqueKeys` check compares
 * every new key with all earlier ones of its map — quadratic, 90 s for a map of 32,000 keys — so
 * files are parsed without it and checked here with one set per map.
 */
export function duplicateKeyOffsets(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        // non-scalar keys are refused elsewhere; yaml compares scalar keys by their value
        if (!isScalar(pair.key)) continue;
        const value = pair.key.value;
        if (seen.has(value)) offsets.push(pair.key.range?.[0] ?? 0);
        else seen.add(value);
      }
    },
  });
  return offsets;
}
