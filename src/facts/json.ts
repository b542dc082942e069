// Small, strict readers over FRR's JSON documents: a missing or mistyped field is a ParseError naming
// the key, never a silent undefined that turns into a wrong fact.
import { ParseError, excerpt } from './errors.js';

export type JsonObject = Record<string, unknown>;

/** Parses an FRR JSON answer (FRR prints only the document; a leading banner line is tolerated). */
export function parseJsonOutput(output: string): unknown {
  const start = output.search(/[{[]/);
  if (start < 0) throw new ParseError(`not JSON: ${excerpt(output)}`);
  try {
    return JSON.parse(output.slice(start));
  } catch (e) {
    throw new ParseError(`not JSON (${(e as Error).message}): ${excerpt(output.slice(start))}`);
  }
}

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function obj(v: unknown, where: string): JsonObject {
  if (!isObject(v)) throw new ParseError(`${where} is not an object`);
  return v;
}

export function str(o: JsonObject, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ParseError(`${where}.${key} is missing or not a string`);
  return v;
}

export function optStr(o: JsonObject, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

export function optNum(o: JsonObject, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function optBool(o: JsonObject, key: string): boolean | null {
  const v = o[key];
  return typeof v === 'boolean' ? v : null;
}

/** The first of several keys that is a string (FRR renamed fields between 8.4 and 10). */
export function firstStr(o: JsonObject, keys: readonly string[]): string | null {
  for (const k of keys) if (typeof o[k] === 'string') return o[k] as string;
  return null;
}

export function firstNum(o: JsonObject, keys: readonly string[]): number | null {
  for (const k of keys) if (typeof o[k] === 'number') return o[k] as number;
  return null;
}
