// Source positions inside a parsed YAML document, so data-file errors can name file:line:column.
import { isMap, isScalar, isSeq, type Document } from 'yaml';

/** Start offset of a node's source range, if it has one. */
export function rangeStart(n: unknown): number | undefined {
  if (n && typeof n === 'object' && 'range' in n) {
    const r = (n as { range?: [number, number, number] | null }).range;
    return r ? r[0] : undefined;
  }
  return undefined;
}

/** Source offset of the key or value at `path`, falling back to the deepest node found. */
export function locate(doc: Document, path: readonly PropertyKey[], which: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return offset;
      const keyOff = rangeStart(pair.key);
      if (last && which === 'key') return keyOff ?? offset;
      // A key with an empty value has no value node: point at the key.
      offset = rangeStart(pair.value) ?? keyOff ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}
