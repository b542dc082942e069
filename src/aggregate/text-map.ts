// A Map keyed by texts of any length (whole outputs), without V8's quadratic case for long keys.
//
// V8 hashes a string of more than 16,383 characters by its length alone. A Map of outputs that
// share a length (running-configs of one template, hosts differing in one address late in the
// text) keeps them all in one hash bucket and compares every new key with each of them, char by
// char: 1,000 such 80 KB outputs took 12 s to gather (bench/NOTES.md, "Long outputs as map keys").
// Long texts are keyed here by a digest of their content instead, and compared in full only
// against the texts with the same digest.
import { createHash } from 'node:crypto';

/** The longest string V8 still hashes by its content (measured on Node 20: 16,383 chars). */
export const CONTENT_HASHED_MAX = 16383;

function digestOf(text: string): string {
  // latin1 is a straight copy of a one-byte string; a two-byte string loses its high bytes here,
  // which can only make two different texts share a digest, and the bucket tells them apart.
  return createHash('sha1').update(text, 'latin1').digest('base64');
}

export class TextMap<V> {
  private readonly short = new Map<string, V>();
  private readonly long = new Map<string, Array<[string, V]>>();
  private longCount = 0;

  get size(): number {
    return this.short.size + this.longCount;
  }

  get(text: string): V | undefined {
    if (text.length <= CONTENT_HASHED_MAX) return this.short.get(text);
    const bucket = this.long.get(digestOf(text));
    if (!bucket) return undefined;
    for (const [k, v] of bucket) if (k === text) return v;
    return undefined;
  }

  has(text: string): boolean {
    return this.get(text) !== undefined;
  }

  set(text: string, value: V): this {
    this.upsert(text, () => value, true);
    return this;
  }

  /**
   * The value for `text`, made by `make` and stored when there is none: one digest of a long
   * text however it ends (get then set would digest it twice). `replace` stores `make()` always.
   */
  upsert(text: string, make: () => V, replace = false): V {
    if (text.length <= CONTENT_HASHED_MAX) {
      const had = this.short.get(text);
      if (had !== undefined && !replace) return had;
      const v = make();
      this.short.set(text, v);
      return v;
    }
    const d = digestOf(text);
    const bucket = this.long.get(d);
    const v0 = bucket?.find((entry) => entry[0] === text);
    if (v0 && !replace) return v0[1];
    const v = make();
    if (v0) v0[1] = v;
    else {
      if (bucket) bucket.push([text, v]);
      else this.long.set(d, [[text, v]]);
      this.longCount++;
    }
    return v;
  }
}

/** A set of texts, on TextMap. */
export class TextSet {
  private readonly map = new TextMap<true>();

  constructor(texts: Iterable<string> = []) {
    for (const t of texts) this.add(t);
  }

  get size(): number {
    return this.map.size;
  }

  add(text: string): this {
    this.map.upsert(text, () => true);
    return this;
  }

  has(text: string): boolean {
    return this.map.has(text);
  }
}
