// Ansible's YAML inventory (`all: children: … hosts: … vars: …`) and group_vars / host_vars
// files, read node by node so every group, host and variable keeps its file:line:column.
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { AnsibleInventoryModel, didYouMean, expandHostPattern, isSecretVar, type Origin, type VarDef } from './ansible-model.js';
import { rangeStart } from '../yaml/locate.js';

const GROUP_KEYS = ['hosts', 'vars', 'children'];

interface Ctx {
  file: string;
  lc: LineCounter;
  model: AnsibleInventoryModel;
  secretMessage: (key: string) => string;
}

function originOf(ctx: Ctx, node: unknown, key: string): Origin {
  const off = rangeStart(node) ?? 0;
  const p = ctx.lc.linePos(off);
  return { file: ctx.file, line: p.line, column: p.col, key };
}

/** Parses a YAML document; syntax errors become issues with their position. */
export function readYaml(text: string, file: string): { doc: Document; lc: LineCounter } | { doc: null; issues: Array<Origin & { message: string }> } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return {
      doc: null,
      issues: doc.errors.map((e) => {
        const p = lc.linePos(e.pos[0]);
        return { file, line: p.line, column: p.col, key: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  return { doc, lc };
}

/** Parses an Ansible YAML inventory document into the model. */
export function parseAnsibleYaml(doc: Document, lc: LineCounter, file: string, secretMessage: (key: string) => string): AnsibleInventoryModel {
  const model = new AnsibleInventoryModel(file);
  const ctx: Ctx = { file, lc, model, secretMessage };
  const root = doc.contents;
  if (!isMap(root)) {
    model.issue(originOf(ctx, root, ''), 'an Ansible YAML inventory is a mapping of groups (all: { hosts: …, children: …, vars: … })');
    return model;
  }
  for (const pair of root.items) {
    if (!isScalar(pair.key)) continue;
    readGroup(ctx, String(pair.key.value), pair.key, pair.value, String(pair.key.value));
  }
  return model;
}

function readGroup(ctx: Ctx, name: string, keyNode: unknown, value: unknown, path: string): void {
  const { model } = ctx;
  const origin = originOf(ctx, keyNode, path);
  model.group(name, origin);
  if (value === null || (isScalar(value) && value.value === null)) return;
  if (!isMap(value)) {
    model.issue(originOf(ctx, value, path), `group '${name}' must be a mapping with hosts, children and vars`);
    return;
  }
  for (const pair of value.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const section = String(pair.key.value);
    const sub = `${path}.${section}`;
    if (!GROUP_KEYS.includes(section)) {
      model.issue(originOf(ctx, pair.key, sub), `unknown key '${section}' in group '${name}'${didYouMean(section, GROUP_KEYS)} (a group has hosts, children and vars)`);
      continue;
    }
    const body = pair.value;
    if (body === null || (isScalar(body) && body.value === null)) continue;
    // Ansible accepts `hosts: web1` (one name) as `hosts: { web1: }`.
    if (isScalar(body) && section !== 'vars') {
      const n = String(body.value);
      if (section === 'hosts') addHosts(ctx, name, n, body, null, `${sub}.${n}`);
      else {
        model.addChild(name, n, originOf(ctx, body, `${sub}.${n}`));
      }
      continue;
    }
    if (!isMap(body)) {
      model.issue(originOf(ctx, body, sub), `'${section}' of group '${name}' must be a mapping`);
      continue;
    }
    if (section === 'vars') {
      readVars(ctx, body, sub, model.group(name, origin).vars);
    } else if (section === 'children') {
      for (const c of body.items) {
        if (!isScalar(c.key)) continue;
        const child = String(c.key.value);
        model.addChild(name, child, originOf(ctx, c.key, `${sub}.${child}`));
        readGroup(ctx, child, c.key, c.value, `${sub}.${child}`);
      }
    } else {
      for (const h of body.items) {
        if (!isScalar(h.key)) continue;
        const pattern = String(h.key.value);
        addHosts(ctx, name, pattern, h.key, h.value, `${sub}.${pattern}`);
      }
    }
  }
}

function addHosts(ctx: Ctx, group: string, pattern: string, keyNode: unknown, value: unknown, path: string): void {
  const { model } = ctx;
  const origin = originOf(ctx, keyNode, path);
  const expanded = expandHostPattern(pattern);
  if ('error' in expanded) {
    model.issue(origin, expanded.error);
    return;
  }
  const vars = new Map<string, VarDef>();
  if (expanded.port !== null) vars.set('ansible_port', { value: expanded.port, origin });
  if (value !== null && !(isScalar(value) && value.value === null)) {
    if (isMap(value)) readVars(ctx, value, path, vars);
    else model.issue(originOf(ctx, value, path), `host '${pattern}' must be a mapping of variables (or empty)`);
  }
  for (const n of expanded.names) {
    const h = model.addHostToGroup(n, group, origin);
    for (const [k, v] of vars) h.vars.set(k, v);
  }
}

/** Reads `key: value` pairs into `into`; literal secrets are refused here, wherever they sit. */
export function readVars(ctx: Ctx, node: unknown, path: string, into: Map<string, VarDef>): void {
  if (!isMap(node)) {
    if (node !== null && !(isScalar(node) && node.value === null)) ctx.model.issue(originOf(ctx, node, path), 'variables must be a mapping (key: value)');
    return;
  }
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const o = originOf(ctx, pair.key, `${path}.${key}`);
    const secret = findSecret(pair.value);
    if (isSecretVar(key) || secret) {
      const k = secret ?? key;
      ctx.model.issue(secret ? { ...o, key: `${path}.${key}.${secret}` } : o, ctx.secretMessage(k));
      continue;
    }
    const def: VarDef = { value: toJs(pair.value), origin: { ...originOf(ctx, pair.value ?? pair.key, `${path}.${key}`) } };
    if (isMap(pair.value)) {
      def.keyOrigins = {};
      for (const sub of pair.value.items) {
        if (isScalar(sub.key)) def.keyOrigins[String(sub.key.value)] = originOf(ctx, sub.value ?? sub.key, `${path}.${key}.${String(sub.key.value)}`);
      }
    }
    into.set(key, def);
  }
}

/** A secret key nested anywhere in a map value (`vtymux_ssh: { password: … }`), as a dotted path. */
function findSecret(node: unknown): string | null {
  if (!isMap(node)) return null;
  for (const p of node.items) {
    if (!isScalar(p.key)) continue;
    const k = String(p.key.value);
    if (isSecretVar(k)) return k;
    const deeper = findSecret(p.value);
    if (deeper) return `${k}.${deeper}`;
  }
  return null;
}

function toJs(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (typeof node === 'object' && 'toJSON' in node && typeof (node as { toJSON: unknown }).toJSON === 'function') {
    return (node as { toJSON: () => unknown }).toJSON();
  }
  return node;
}

/** group_vars/NAME or host_vars/NAME file text into `into` (a mapping of variables). */
export function parseVarsFile(text: string, file: string, model: AnsibleInventoryModel, into: Map<string, VarDef>, secretMessage: (key: string) => string): void {
  const r = readYaml(text, file);
  if (r.doc === null) {
    for (const i of r.issues) model.issue(i, i.message);
    return;
  }
  const ctx: Ctx = { file, lc: r.lc, model, secretMessage };
  const c = r.doc.contents;
  if (c === null || (isScalar(c) && c.value === null)) return;
  readVars(ctx, c, '', into);
  // Keys in a vars file have no enclosing path: drop the leading dot.
  for (const def of into.values()) {
    if (def.origin.file === file && def.origin.key.startsWith('.')) def.origin.key = def.origin.key.slice(1);
    for (const o of Object.values(def.keyOrigins ?? {})) if (o.file === file && o.key.startsWith('.')) o.key = o.key.slice(1);
  }
  for (const i of model.issues) if (i.file === file && i.key.startsWith('.')) i.key = i.key.slice(1);
}
