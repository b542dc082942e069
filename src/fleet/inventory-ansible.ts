// Ansible inventories (YAML and INI, plus group_vars/ and host_vars/ beside them) as vtymux
// inventories: detected by content, vars resolved by Ansible's precedence, then handed to the
// native inventory's own validation and resolution so both give the same ResolvedHost objects.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import { InventoryError, formatIssue, type InventoryIssue } from './errors.js';
import { credentialsModeWarning } from './inventory-load.js';
import { firstContentLine, NATIVE_TOP, quickInventoryFormat, type InventoryFormat } from './inventory-format.js';
import { loadInventory, parseInventory, readInventoryText, type Inventory, type InventoryFallbacks } from './inventory.js';
import {
  AnsibleInventoryModel,
  didYouMean,
  groupOrder,
  hostGroups,
  hostVars,
  sortGroups,
  combine,
  type AnsibleIssue,
  type Origin,
  type VarDef,
} from './ansible-model.js';
import { parseAnsibleIni } from './ansible-ini.js';
import { parseAnsibleYaml, parseVarsFile, readYaml } from './ansible-yaml.js';

// The line-level part of the decision (and the format names) live in a light module: a cached
// native inventory is answered without YAML (src/fleet/inventory-load.ts).
export type { InventoryFormat };

/**
 * Which reader a file needs, by content: a first line `[section]` or a host line is Ansible INI;
 * a mapping whose top keys are only defaults/groups/hosts is native; any other mapping is
 * Ansible YAML (groups at the top: `all:`, `lvs:` …).
 */
export function detectInventoryFormat(text: string): InventoryFormat {
  const quick = quickInventoryFormat(text);
  if (quick) return quick;
  const first = firstContentLine(text)!;
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length === 0 && isMap(doc.contents)) {
    const keys = doc.contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    return keys.every((k) => NATIVE_TOP.has(k)) ? 'native' : 'ansible-yaml';
  }
  // Not a YAML mapping: `lvs01 ansible_host=…` (ungrouped INI hosts) has no `key:` at its start.
  return /^[^\s#:]+:(\s|$)/.test(first) ? 'native' : 'ansible-ini';
}

/** The inventory loader every command uses: native YAML or Ansible, by content. */
export async function loadInventoryFile(path: string, fallbacks?: InventoryFallbacks): Promise<Inventory> {
  const text = await readInventoryText(path);
  const format = detectInventoryFormat(text);
  if (format === 'native') return loadInventory(path, fallbacks);
  const { inventory, mentionsCredentials } = parseAnsible(text, path, format, fallbacks, { varsDir: dirname(path) });
  if (mentionsCredentials) {
    const w = await credentialsModeWarning(path);
    if (w) inventory.warnings.push(w);
  }
  return inventory;
}

/** Parses Ansible inventory text (format detected unless given); `varsDir` enables group_vars/ and host_vars/. */
export function parseAnsibleInventory(
  text: string,
  file: string,
  fallbacks?: InventoryFallbacks,
  opts: { format?: 'ansible-yaml' | 'ansible-ini'; varsDir?: string } = {},
): Inventory {
  const detected = detectInventoryFormat(text);
  const format = opts.format ?? (detected === 'native' ? 'ansible-yaml' : detected);
  return parseAnsible(text, file, format, fallbacks, opts).inventory;
}

/** One error for problems that may sit in several files (inventory, group_vars/…, host_vars/…). */
export class AnsibleInventoryError extends InventoryError {
  constructor(
    file: string,
    readonly located: AnsibleIssue[],
  ) {
    super(file, located.map(({ line, column, key, message }) => ({ line, column, key, message })));
    this.message = located.map((i) => formatIssue(i.file, i)).join('\n');
  }
}

// vtymux's own settings in Ansible vars, and the native key each one fills.
const VTYMUX_KEYS: Record<string, string> = {
  vtymux_address: 'address',
  vtymux_ports: 'ports',
  vtymux_password_env: 'password_env',
  vtymux_enable_password_env: 'enable_password_env',
  vtymux_timeouts: 'timeouts',
  vtymux_transport: 'transport',
  vtymux_vty_address: 'vty_address',
  vtymux_ssh: 'ssh',
};
const CREDENTIAL_KEYS = new Set(['vtymux_password_env', 'vtymux_enable_password_env']);
// Ansible's connection variables that mean something to vtymux, older spellings after newer.
const ADDRESS_VARS = ['vtymux_address', 'ansible_host', 'ansible_ssh_host'];
const SSH_VARS: Array<[string, string]> = [
  ['ansible_ssh_user', 'user'],
  ['ansible_user', 'user'],
  ['ansible_ssh_port', 'port'],
  ['ansible_port', 'port'],
  ['ansible_ssh_private_key_file', 'identity'],
];

let refusal: string | null = null;
/** The native inventory's own words for a literal secret, with this key in them. */
export function secretRefusal(key: string): string {
  if (refusal === null) {
    try {
      parseInventory('defaults:\n  password: x\n', 'probe');
      refusal = "literal 'password' is refused";
    } catch (e) {
      refusal = e instanceof InventoryError ? (e.issues[0]?.message ?? '') : String(e);
    }
  }
  return refusal.replace("'password'", `'${key}'`);
}

function parseAnsible(
  text: string,
  file: string,
  format: 'ansible-yaml' | 'ansible-ini',
  fallbacks: InventoryFallbacks | undefined,
  opts: { varsDir?: string },
): { inventory: Inventory; mentionsCredentials: boolean } {
  let model: AnsibleInventoryModel;
  if (format === 'ansible-ini') model = parseAnsibleIni(text, file, secretRefusal);
  else {
    const r = readYaml(text, file);
    if (r.doc === null) throw new AnsibleInventoryError(file, r.issues);
    const top = r.doc.contents;
    if (isMap(top) && top.items.some((p) => isScalar(p.key) && p.key.value === 'plugin')) {
      throw new AnsibleInventoryError(file, [
        { file, line: 1, column: 1, key: 'plugin', message: "this is an inventory plugin's configuration, not an inventory: write one out with `ansible-inventory -i FILE --list -y > hosts.yml`" },
      ]);
    }
    model = parseAnsibleYaml(r.doc, r.lc, file, secretRefusal);
  }
  if (opts.varsDir) readVarsDirs(model, opts.varsDir);
  checkVtymuxKeys(model);
  const order = groupOrder(model);
  if (model.issues.length > 0) throw new AnsibleInventoryError(file, dedupe(model.issues));

  const mentionsCredentials = [...model.groups.values(), ...model.hosts.values()].some((x) => [...x.vars.keys(), ...x.dirVars.keys()].some((k) => CREDENTIAL_KEYS.has(k)));
  const native = new NativeText();
  const all = model.groups.get('all')!;
  native.line(0, 'defaults:', null);
  emitLayer(native, 1, combine([all.vars, all.dirVars]), false);
  const groupNames = [...model.groups.keys()].filter((g) => g !== 'all' && g !== 'ungrouped');
  native.line(0, groupNames.length ? 'groups:' : 'groups: {}', null);
  for (const g of groupNames) native.line(1, `${JSON.stringify(g)}: {}`, model.groups.get(g)!.origin);
  native.line(0, model.hosts.size ? 'hosts:' : 'hosts: {}', null);
  const membership = new Map<string, string[]>();
  for (const h of model.hosts.values()) {
    // Highest precedence first: that is the native lookup order of a host's `groups:`.
    const groups = sortGroups(hostGroups(h, order), model, order).reverse();
    membership.set(h.name, groups);
    native.line(1, `${JSON.stringify(h.name)}:`, h.origin);
    native.line(2, `groups: ${JSON.stringify(groups)}`, h.origin);
    emitLayer(native, 2, hostVars(h, model, order), true);
  }

  let inventory: Inventory;
  try {
    inventory = parseInventory(native.text(), file, fallbacks);
  } catch (e) {
    if (e instanceof InventoryError) throw new AnsibleInventoryError(file, dedupe(e.issues.map((i) => native.remap(i, file))));
    throw e;
  }
  // Native membership comes from the hosts' lists; Ansible also has empty groups and `ungrouped`.
  const groups = new Map<string, string[]>();
  for (const g of groupNames) groups.set(g, []);
  groups.set('ungrouped', []);
  for (const [host, gs] of membership) {
    for (const g of gs) groups.get(g)!.push(host);
    if (gs.length === 0) groups.get('ungrouped')!.push(host);
  }
  return { inventory: { ...inventory, groups }, mentionsCredentials };
}

/** Native inventory text built line by line, remembering which Ansible definition each line came from. */
class NativeText {
  private readonly lines: string[] = [];
  private readonly origins: Array<Origin | null> = [];

  line(indent: number, text: string, origin: Origin | null): void {
    this.lines.push(`${'  '.repeat(indent)}${text}`);
    this.origins.push(origin);
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }

  /** A native issue (line in this text) as an issue at the Ansible definition behind that line. */
  remap(i: InventoryIssue, file: string): AnsibleIssue {
    const o = i.line > 0 ? this.origins[i.line - 1] : null;
    if (!o) return { file, line: 0, column: 0, key: i.key, message: i.message };
    return { ...o, message: i.message };
  }
}

const json = (v: unknown): string => JSON.stringify(v);

function isScalarValue(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** One native layer (defaults or a host) from resolved Ansible vars. */
function emitLayer(out: NativeText, indent: number, vars: Map<string, VarDef>, isHost: boolean): void {
  if (isHost) {
    const addr = ADDRESS_VARS.map((k) => vars.get(k)).find((d) => d !== undefined && d.value !== null);
    if (addr) out.line(indent, `address: ${json(isScalarValue(addr.value) ? String(addr.value) : addr.value)}`, addr.origin);
  }
  for (const [key, native] of Object.entries(VTYMUX_KEYS)) {
    if (native === 'address' || native === 'ssh') continue;
    const def = vars.get(key);
    if (!def || def.value === null) continue;
    emitValue(out, indent, native, def);
  }
  // ssh: Ansible's connection vars, then vtymux_ssh on top (it is the more specific one).
  const ssh = new Map<string, { value: unknown; origin: Origin }>();
  for (const [k, sub] of SSH_VARS) {
    const d = vars.get(k);
    if (d && d.value !== null) ssh.set(sub, { value: d.value, origin: d.origin });
  }
  const vs = vars.get('vtymux_ssh');
  if (vs && vs.value !== null && typeof vs.value === 'object' && !Array.isArray(vs.value)) {
    for (const [k, v] of Object.entries(vs.value as Record<string, unknown>)) ssh.set(k, { value: v, origin: vs.keyOrigins?.[k] ?? vs.origin });
  } else if (vs && vs.value !== null) {
    emitValue(out, indent, 'ssh', vs);
  }
  if (ssh.size > 0 && !(vs && vs.value !== null && (typeof vs.value !== 'object' || Array.isArray(vs.value)))) {
    out.line(indent, 'ssh:', [...ssh.values()][0]!.origin);
    for (const [k, { value, origin }] of ssh) out.line(indent + 1, `${json(k)}: ${json(value)}`, origin);
  }
  const plain = [...vars].filter(([k, d]) => !k.startsWith('ansible_') && !k.startsWith('vtymux_') && isScalarValue(d.value));
  if (plain.length > 0) {
    out.line(indent, 'vars:', null);
    for (const [k, d] of plain) out.line(indent + 1, `${json(k)}: ${json(d.value)}`, d.origin);
  }
}

function emitValue(out: NativeText, indent: number, native: string, def: VarDef): void {
  if (typeof def.value === 'object' && def.value !== null && !Array.isArray(def.value)) {
    const entries = Object.entries(def.value as Record<string, unknown>);
    out.line(indent, entries.length ? `${native}:` : `${native}: {}`, def.origin);
    for (const [k, v] of entries) out.line(indent + 1, `${json(k)}: ${json(v)}`, def.keyOrigins?.[k] ?? def.origin);
  } else {
    out.line(indent, `${native}: ${json(def.value)}`, def.origin);
  }
}

/** `vtymux_*` keys must be ones vtymux knows; a typo gets a "did you mean". */
function checkVtymuxKeys(model: AnsibleInventoryModel): void {
  const known = Object.keys(VTYMUX_KEYS);
  for (const x of [...model.groups.values(), ...model.hosts.values()]) {
    for (const [k, d] of [...x.vars, ...x.dirVars]) {
      if (k.startsWith('vtymux_') && !(k in VTYMUX_KEYS)) model.issue(d.origin, `unknown vtymux setting '${k}'${didYouMean(k, known)} (known: ${known.join(', ')})`);
    }
  }
  for (const g of model.groups.values()) {
    const a = g.vars.get('vtymux_address') ?? g.dirVars.get('vtymux_address');
    if (a) model.issue(a.origin, `vtymux_address belongs to a host, not to group '${g.name}'`);
  }
}

function dedupe(issues: AnsibleIssue[]): AnsibleIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.file}\0${i.line}\0${i.column}\0${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const VARS_EXT = ['', '.yml', '.yaml', '.json'];

/** group_vars/NAME[.yml|.yaml|.json] or group_vars/NAME/* beside the inventory, as Ansible reads them. */
function readVarsDirs(model: AnsibleInventoryModel, dir: string): void {
  const read = (sub: 'group_vars' | 'host_vars', name: string, into: Map<string, VarDef>) => {
    const base = join(dir, sub, name);
    const files: string[] = [];
    for (const ext of VARS_EXT) {
      const f = base + ext;
      if (existsSync(f) && statSync(f).isFile()) files.push(f);
    }
    if (existsSync(base) && statSync(base).isDirectory()) {
      for (const f of readdirSync(base).sort()) if (VARS_EXT.some((e) => e !== '' && f.endsWith(e))) files.push(join(base, f));
    }
    for (const f of files) {
      const layer = new Map<string, VarDef>();
      parseVarsFile(readFileSync(f, 'utf8'), f, model, layer, secretRefusal);
      for (const [k, v] of combine([into, layer])) into.set(k, v);
    }
  };
  if (existsSync(join(dir, 'group_vars'))) for (const g of model.groups.values()) read('group_vars', g.name, g.dirVars);
  if (existsSync(join(dir, 'host_vars'))) for (const h of model.hosts.values()) read('host_vars', h.name, h.dirVars);
}
