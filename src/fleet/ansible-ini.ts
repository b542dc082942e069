// Ansible's INI inventory: [group], [group:children], [group:vars], host vars on the line, read
// the way Ansible's ini plugin reads them (shlex words, Python literals), with line numbers.
import { AnsibleInventoryModel, didYouMean, expandHostPattern, isSecretVar, type Origin } from './ansible-model.js';

const SECTION_RE = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[;#].*)?$/;
const GROUP_NAME_RE = /^([^:\]\s]+)\s*(?:#.*)?$/;
const STATES = ['hosts', 'children', 'vars'];

interface Pending {
  origin: Origin;
  kind: 'vars' | 'children';
  parent?: string;
}

/** Parses INI text into the model; problems are collected in `model.issues`. */
export function parseAnsibleIni(text: string, file: string, secretMessage: (key: string) => string): AnsibleInventoryModel {
  const model = new AnsibleInventoryModel(file);
  // Either [g] or [g:children] declares a group; [g:vars] alone or a child never declared is an error.
  const declared = new Set<string>(['all', 'ungrouped']);
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state = 'hosts';
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const at = (key: string, column = raw.indexOf(line) + 1): Origin => ({ file, line: i + 1, column, key });
    const sm = SECTION_RE.exec(line);
    if (sm) {
      group = sm[1]!;
      state = sm[2] ?? 'hosts';
      const origin = at(`[${line.slice(1, line.indexOf(']'))}]`);
      if (!STATES.includes(state)) {
        model.issue(origin, `section has unknown type '${state}'${didYouMean(state, STATES)} (known: hosts, children, vars)`);
        state = 'skip';
        return;
      }
      model.group(group, origin);
      if (state !== 'vars') {
        declared.add(group);
        pending.delete(group);
      } else if (!declared.has(group) && !pending.has(group)) {
        pending.set(group, { origin, kind: 'vars' });
      }
      return;
    }
    if (line.startsWith('[')) {
      model.issue(at(line), `invalid section '${line}': a section is [group], [group:children] or [group:vars], without spaces`);
      state = 'skip';
      return;
    }
    if (state === 'skip') return;
    if (state === 'hosts') {
      const words = shlexSplit(line);
      if ('error' in words) {
        model.issue(at(line), `cannot read host line: ${words.error}`);
        return;
      }
      if (words.tokens.length === 0) return;
      const [pattern, ...assignments] = words.tokens as [string, ...string[]];
      const origin = at(pattern);
      const expanded = expandHostPattern(pattern);
      if ('error' in expanded) {
        model.issue(origin, expanded.error);
        return;
      }
      const vars: Array<[string, unknown, Origin]> = [];
      for (const a of assignments) {
        const col = raw.indexOf(a.split('=')[0]!) + 1;
        const eq = a.indexOf('=');
        if (eq <= 0) {
          model.issue(at(a, col), `expected key=value after the host name, got '${a}'`);
          continue;
        }
        const key = a.slice(0, eq);
        const o = at(`${pattern} ${key}`, col);
        if (isSecretVar(key)) {
          model.issue(o, secretMessage(key));
          continue;
        }
        vars.push([key, parsePythonValue(a.slice(eq + 1)), o]);
      }
      if (expanded.port !== null) vars.unshift(['ansible_port', expanded.port, origin]);
      for (const name of expanded.names) {
        const h = model.addHostToGroup(name, group, origin);
        for (const [k, v, o] of vars) h.vars.set(k, { value: v, origin: o });
      }
      return;
    }
    if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq <= 0) {
        model.issue(at(line), `expected key=value in [${group}:vars], got '${line}'`);
        return;
      }
      const key = line.slice(0, eq).trim();
      const o = at(`[${group}:vars] ${key}`);
      if (isSecretVar(key)) {
        model.issue(o, secretMessage(key));
        return;
      }
      model.group(group, o).vars.set(key, { value: parseVarsValue(line.slice(eq + 1).trim()), origin: o });
      return;
    }
    // children
    const gm = GROUP_NAME_RE.exec(line);
    if (!gm) {
      model.issue(at(line), `expected a group name in [${group}:children], got '${line}'`);
      return;
    }
    const child = gm[1]!;
    const o = at(`[${group}:children] ${child}`);
    model.addChild(group, child, o);
    if (!declared.has(child) && !pending.has(child)) pending.set(child, { origin: o, kind: 'children', parent: group });
  });
  for (const [name, p] of pending) {
    if (declared.has(name)) continue;
    const known = [...declared].filter((g) => g !== 'ungrouped');
    if (p.kind === 'vars') model.issue(p.origin, `[${name}:vars] is for a group that is never declared with [${name}] or [${name}:children]${didYouMean(name, known)}`);
    else model.issue(p.origin, `[${p.parent}:children] names group '${name}', which is never declared with [${name}] or [${name}:children]${didYouMean(name, known)}`);
  }
  return model;
}

/**
 * POSIX shlex split with comments, as Ansible splits a host line: quotes group and are removed,
 * a backslash escapes outside single quotes, and `#` outside quotes ends the line (even inside a word).
 */
export function shlexSplit(line: string): { tokens: string[] } | { error: string } {
  const tokens: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) cur += line[++i]!;
      else cur += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) tokens.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    if (c === '#') break;
    inWord = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\' && i + 1 < line.length) cur += line[++i]!;
    else cur += c;
  }
  if (quote) return { error: 'no closing quotation' };
  if (inWord) tokens.push(cur);
  return { tokens };
}

/** A `[g:vars]` value: a Python literal when it is one (a trailing `# comment` aside), else the text. */
function parseVarsValue(v: string): unknown {
  const whole = parsePythonLiteral(v);
  if (whole.ok) return whole.value;
  const m = /^(.*?)\s+#.*$/.exec(v);
  if (m) {
    const part = parsePythonLiteral(m[1]!);
    if (part.ok) return part.value;
  }
  return v;
}

/** A host-line value: Ansible's ast.literal_eval, falling back to the text itself. */
export function parsePythonValue(v: string): unknown {
  const r = parsePythonLiteral(v);
  return r.ok ? r.value : v;
}

/** Python literals as ast.literal_eval reads them: numbers, strings, True/False/None, lists, tuples, dicts. */
export function parsePythonLiteral(text: string): { ok: true; value: unknown } | { ok: false } {
  let i = 0;
  const s = text;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const fail = (): never => {
    throw new SyntaxError('not a literal');
  };
  const value = (): unknown => {
    ws();
    const c = s[i];
    if (c === undefined) return fail();
    if (c === "'" || c === '"') {
      i++;
      let out = '';
      while (i < s.length && s[i] !== c) {
        if (s[i] === '\\' && i + 1 < s.length) {
          const e = s[++i]!;
          out += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        } else out += s[i];
        i++;
      }
      if (s[i] !== c) fail();
      i++;
      return out;
    }
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const items: unknown[] = [];
      ws();
      while (s[i] !== close) {
        items.push(value());
        ws();
        if (s[i] === ',') i++;
        else if (s[i] !== close) fail();
        ws();
      }
      i++;
      return items;
    }
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      while (s[i] !== '}') {
        const k = value();
        ws();
        if (s[i] !== ':') fail();
        i++;
        obj[String(k)] = value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] !== '}') fail();
        ws();
      }
      i++;
      return obj;
    }
    const m = /^[-+]?(?:\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|0|[1-9]\d*)(?![\w.])/.exec(s.slice(i));
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (s.startsWith(word, i) && !/\w/.test(s[i + word.length] ?? '')) {
        i += word.length;
        return v;
      }
    }
    return fail();
  };
  try {
    const v = value();
    ws();
    // Python comments are part of the literal's syntax.
    if (i < s.length && s[i] !== '#') return { ok: false };
    return { ok: true, value: v };
  } catch {
    return { ok: false };
  }
}
