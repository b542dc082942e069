// The one way vtymux reads a YAML data file (inventory, recipe, guard config): the document with
// source positions, and its syntax errors placed where the mistake is (src/yaml/syntax.ts), so
// every file reports `file:line:column` the same way.
import { LineCounter, parseDocument, type Document } from 'yaml';
import { yamlSyntaxIssues } from './syntax.js';

export interface YamlSource {
  doc: Document.Parsed;
  /** Line and column (1-based) of a source offset. */
  at(offset: number): { line: number; column: number };
  /** Syntax errors with their position and a one-line message (`YAML syntax: …`); empty when it parsed. */
  syntax: Array<{ line: number; column: number; message: string }>;
}

export function parseYamlSource(text: string, opts: { uniqueKeys?: boolean } = {}): YamlSource {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, ...(opts.uniqueKeys ? { uniqueKeys: true } : {}) });
  const at = (offset: number) => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const syntax = doc.errors.length ? yamlSyntaxIssues(text, doc.errors).map((e) => ({ ...at(e.offset), message: `YAML syntax: ${e.message}` })) : [];
  return { doc, at, syntax };
}
