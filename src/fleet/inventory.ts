// YAML inventory: parsing with positions, validation, and the host → groups → defaults lookup.
import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import { z } from 'zod';
import { closest, InventoryError, type InventoryIssue } from './errors.js';
import { locate } from '../yaml/locate.js';
import { DAEMON_PORTS, type VarValue } from '../base/daemons.js';
import { parseYamlSource } from '../yaml/document.js';
import { SshSettingsError, transportSpecFor } from '../transport/ssh-settings.js';
import { cachedParse } from './inventory-cache.js';
import { credentialsModeWarning } from './inventory-load.js';
import { DEFAULT_PASSWORD_ENV, isValidAddress, PASS_THROUGH, resolveDefaults } from './host-defaults.js';

export type { VarValue };

export interface ResolvedHost {
  name: string;
  address: string;
  ports: Record<string, number>;
  groups: string[];
  vars: Record<string, VarValue>;
  passwordEnv: string;
  enablePasswordEnv: string;
  timeouts: { connectMs: number; commandMs: number };
  /** Pass-through scalar settings: `transport`, `vty_address`, `ssh` (as spelled in the file). */
  settings: Record<string, unknown>;
  /**
   * Daemons of `ports` that came from the built-in defaults but only FRR 9+ runs (mgmtd,
   * staticd): their sessions are opened only when a line needs them or the host's suite has them.
   */
  onDemand?: string[];
}

/** What a host gets when nothing more specific says otherwise; also used for ad-hoc hosts. */
export type HostDefaults = Omit<ResolvedHost, 'name' | 'address' | 'groups'>;

export interface Inventory {
  file: string;
  hosts: Map<string, ResolvedHost>;
  /** Groups defined in the file, each with its member hosts in file order. `all` is implicit. */
  groups: Map<string, string[]>;
  defaults: HostDefaults;
  /** Non-fatal problems (e.g. a readable file naming credentials); never printed here. */
  warnings: string[];
}

/** Values that do not come from the file; the CLI passes the user's settings here. */
export interface InventoryFallbacks {
  connectMs?: number;
  commandMs?: number;
}

/** FRR's standard vty ports (keys of `ports:`), from src/base so pure modules need not import the fleet. */
export { DAEMON_PORTS };

// The built-in defaults and hosts from defaults live in a light module (target resolution needs
// them at every start, the parser below only when an inventory is parsed); re-exported here.
export { DEFAULT_PASSWORD_ENV, DEFAULT_ENABLE_PASSWORD_ENV, isValidAddress, hostFromDefaults, builtinDefaults } from './host-defaults.js';

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ENV_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Keys that would hold a literal secret; `password_env` and friends are names, not secrets.
const SECRET_KEY_RE = /(^|[_-])(password|passwd|secret)$/i;
const CREDENTIAL_KEYS = new Set(['password_env', 'enable_password_env']);

const Scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: 'must be a string, number or boolean',
});
const EnvName = z.string().regex(ENV_RE, 'must be an environment variable name like VTYMUX_PASSWORD');
const Port = z.number({ error: 'must be a port number' }).int('must be a whole port number').min(1, 'port must be 1-65535').max(65535, 'port must be 1-65535');
const Seconds = z.number({ error: 'must be a number of seconds' }).positive('must be more than 0 seconds').max(86400, 'must be at most 86400 seconds');

const settingFields = {
  ports: z.record(z.string().refine((k) => k in DAEMON_PORTS), Port).nullish(),
  password_env: EnvName.optional(),
  enable_password_env: EnvName.optional(),
  timeouts: z.strictObject({ connect: Seconds.optional(), command: Seconds.optional() }).nullish(),
  vars: z.record(z.string(), Scalar).nullish(),
  transport: z.string().optional(),
  vty_address: z.string().optional(),
  // A map (user, port, identity, jump, known_hosts, host_key_policy…), checked by src/transport/ssh-settings.ts.
  ssh: z.record(z.string(), z.union([Scalar, z.array(z.string())]), { error: 'must be a map of ssh settings (user, port, identity, jump, known_hosts …)' }).optional(),
};
const Layer = z.strictObject(settingFields);
const HostSchema = z.strictObject({
  address: z.string({ error: 'must be an address string' }).optional(),
  groups: z.array(z.string({ error: 'must be a group name' }), { error: 'must be a list of group names' }).nullish(),
  ...settingFields,
});
const Root = z.strictObject({
  defaults: Layer.nullish(),
  groups: z.record(z.string(), Layer.nullable()).nullish(),
  hosts: z.record(z.string(), HostSchema.nullable()).nullish(),
});
type LayerT = z.infer<typeof Layer>;

const SETTING_KEYS = Object.keys(settingFields);
const HOST_KEYS = ['address', 'groups', ...SETTING_KEYS];

/** An inventory file's text; an unreadable file is an InventoryError naming it (every format reads through here). */
export async function readInventoryText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InventoryError(path, [{ line: 0, column: 0, key: '', message: `cannot read inventory (${code})` }]);
  }
}

/** Reads and parses an inventory; adds a warning when a readable file names credentials. */
export async function loadInventory(path: string, fallbacks?: InventoryFallbacks): Promise<Inventory> {
  const text = await readInventoryText(path);
  const { inventory, mentionsCredentials } = cachedParse(text, path, fallbacks, import.meta.url, () => parse(text, path, fallbacks));
  if (mentionsCredentials) {
    const w = await credentialsModeWarning(path);
    if (w) inventory.warnings.push(w);
  }
  return inventory;
}

/** Parses inventory text; `file` only labels positions in errors. Throws InventoryError. */
export function parseInventory(text: string, file: string, fallbacks?: InventoryFallbacks): Inventory {
  return parse(text, file, fallbacks).inventory;
}

function parse(text: string, file: string, fallbacks: InventoryFallbacks = {}): { inventory: Inventory; mentionsCredentials: boolean } {
  const { doc, at, syntax } = parseYamlSource(text);
  if (syntax.length > 0) throw new InventoryError(file, syntax.map((e) => ({ ...e, key: '' })));
  const issueAt = (path: readonly PropertyKey[], message: string, which: 'key' | 'value' = 'value'): InventoryIssue => ({
    ...at(locate(doc, path, which)),
    key: path.map(String).join('.'),
    message,
  });

  // Literal secrets are refused before anything else so no other message can echo them.
  const secrets: InventoryIssue[] = [];
  let mentionsCredentials = false;
  walkKeys(doc.contents, [], (key, path) => {
    if (SECRET_KEY_RE.test(key)) {
      secrets.push(
        issueAt(
          path,
          `literal '${key}' is refused: never put a secret in the inventory; name an environment variable with password_env / enable_password_env (e.g. password_env: ${DEFAULT_PASSWORD_ENV})`,
          'key',
        ),
      );
    }
    if (CREDENTIAL_KEYS.has(key)) mentionsCredentials = true;
  });
  if (secrets.length > 0) throw new InventoryError(file, secrets);

  const raw: unknown = doc.toJS() ?? {};
  const parsed = Root.safeParse(raw);
  if (!parsed.success) {
    const issues: InventoryIssue[] = [];
    for (const iss of parsed.error.issues) {
      const path = iss.path;
      if (iss.code === 'unrecognized_keys') {
        for (const k of iss.keys) {
          const hint = closest(k, knownKeysAt(path));
          issues.push(issueAt([...path, k], `unknown key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}`, 'key'));
        }
      } else if (iss.code === 'invalid_key') {
        const k = String(path[path.length - 1]);
        const hint = closest(k, Object.keys(DAEMON_PORTS));
        issues.push(issueAt(path, `unknown daemon '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}`, 'key'));
      } else {
        issues.push(issueAt(path, friendly(iss.message)));
      }
    }
    throw new InventoryError(file, issues);
  }

  const root = parsed.data;
  const issues: InventoryIssue[] = [];
  const groupDefs = new Map<string, LayerT>();
  for (const [g, def] of Object.entries(root.groups ?? {})) {
    if (!NAME_RE.test(g)) issues.push(issueAt(['groups', g], `bad group name '${g}' (letters, digits, '.', '_', '-'; starting with a letter or digit)`, 'key'));
    else if (g === 'all') issues.push(issueAt(['groups', g], `group name 'all' is reserved (@all always means every host)`, 'key'));
    groupDefs.set(g, def ?? {});
  }

  const defaults = resolveDefaults(root.defaults ?? {}, fallbacks);
  const hosts = new Map<string, ResolvedHost>();
  const members = new Map<string, string[]>([...groupDefs.keys()].map((g) => [g, []]));
  for (const [name, h] of Object.entries(root.hosts ?? {})) {
    const host = h ?? {};
    if (!NAME_RE.test(name)) {
      issues.push(issueAt(['hosts', name], `bad host name '${name}' (letters, digits, '.', '_', '-'; starting with a letter or digit)`, 'key'));
      continue;
    }
    // Nornir/Ansible habit: a host without `address` is reached by its name.
    const address = host.address ?? name;
    if (!isValidAddress(address)) {
      issues.push(issueAt(host.address === undefined ? ['hosts', name] : ['hosts', name, 'address'], `bad address '${address}'`, host.address === undefined ? 'key' : 'value'));
    }
    const groups = host.groups ?? [];
    const layers: LayerT[] = [host];
    groups.forEach((g, i) => {
      const def = groupDefs.get(g);
      if (def === undefined) {
        const hint = closest(g, [...groupDefs.keys()]);
        issues.push(issueAt(['hosts', name, 'groups', i], `undefined group '${g}'${hint ? ` (did you mean '${hint}'?)` : ''}`));
        return;
      }
      layers.push(def);
      const list = members.get(g)!;
      if (!list.includes(name)) list.push(name);
    });
    const resolved: ResolvedHost = { name, address, groups: [...new Set(groups)], ...resolveLayers(layers, defaults, root.defaults?.ports ?? undefined) };
    hosts.set(name, resolved);
    const bad = transportProblem(resolved);
    if (bad) {
      // Point at the layer the value came from (host, then its groups, then defaults), once.
      const [top, sub] = bad.key.split('.') as [string, string | undefined];
      const sets = (l: LayerT | undefined) => {
        const v = (l as Record<string, unknown> | undefined)?.[top];
        return v !== undefined && (sub === undefined || (typeof v === 'object' && v !== null && sub in v));
      };
      const from = sets(host) ? ['hosts', name] : (groups.map((g) => ['groups', g]).find(([, g]) => sets(groupDefs.get(g!))) ?? (sets(root.defaults ?? undefined) ? ['defaults'] : ['hosts', name]));
      const path = sets(host) || from[0] !== 'hosts' ? [...from, top, ...(sub ? [sub] : [])] : from;
      const issue = issueAt(path, bad.message);
      if (!issues.some((i) => i.line === issue.line && i.column === issue.column && i.message === issue.message)) issues.push(issue);
    }
  }
  if (issues.length > 0) throw new InventoryError(file, issues);
  return { inventory: { file, hosts, groups: members, defaults, warnings: [] }, mentionsCredentials };
}

/**
 * A host's transport settings checked when the inventory loads (so a typo in `ssh:` is a
 * file:line:column error before any session, like every other key). Only the file's own values
 * are judged here: the environment (SSH_AUTH_SOCK, $USER, $HOME) is read when jobs are built.
 */
function transportProblem(h: ResolvedHost): { key: string; message: string } | null {
  try {
    transportSpecFor(h.name, h.settings, { env: { USER: 'vtymux', SSH_AUTH_SOCK: '/nonexistent/agent' }, home: '/nonexistent' });
    return null;
  } catch (e) {
    if (e instanceof SshSettingsError) return { key: e.key, message: e.message.replace(/^host [^:]+: /, '') };
    throw e;
  }
}

/**
 * The one lookup order: layers[0] is the host, then its groups in listed order, then defaults.
 * Scalars take the first layer that sets them; ports, vars and timeouts merge key by key.
 * The built-in ports (zebra 2601, ospfd 2604) apply only when no layer declares `ports`: once
 * the file names daemons, those are the daemons (an ospfd-only farm has no zebra).
 */
function resolveLayers(layers: LayerT[], defaults: HostDefaults, defaultPorts: Record<string, number> | undefined): HostDefaults {
  const declared = defaultPorts !== undefined || layers.some((l) => l.ports);
  const out: HostDefaults = {
    ports: declared ? { ...defaultPorts } : { ...defaults.ports },
    ...(!declared && defaults.onDemand ? { onDemand: [...defaults.onDemand] } : {}),
    passwordEnv: defaults.passwordEnv,
    enablePasswordEnv: defaults.enablePasswordEnv,
    timeouts: { ...defaults.timeouts },
    vars: { ...defaults.vars },
    settings: { ...defaults.settings },
  };
  // Apply lowest priority first so higher layers overwrite.
  for (const l of [...layers].reverse()) {
    Object.assign(out.ports, l.ports ?? {});
    Object.assign(out.vars, l.vars ?? {});
    if (l.password_env !== undefined) out.passwordEnv = l.password_env;
    if (l.enable_password_env !== undefined) out.enablePasswordEnv = l.enable_password_env;
    if (l.timeouts?.connect !== undefined) out.timeouts.connectMs = l.timeouts.connect * 1000;
    if (l.timeouts?.command !== undefined) out.timeouts.commandMs = l.timeouts.command * 1000;
    const below = out.settings.ssh as Record<string, unknown> | undefined;
    for (const k of PASS_THROUGH) if (l[k] !== undefined) out.settings[k] = l[k];
    // ssh merges key by key like vars: defaults give user and known_hosts, a group adds jump.
    if (l.ssh !== undefined) out.settings.ssh = { ...below, ...l.ssh };
  }
  return out;
}

/** zod speaks JS; the user wrote YAML. */
function friendly(message: string): string {
  return message
    .replace(/^Invalid input: /, '')
    .replace(/\b(record|object)\b/g, 'a mapping (key: value)')
    .replace(/\barray\b/g, 'a list');
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return ['defaults', 'groups', 'hosts'];
  const last = String(path[path.length - 1]);
  if (last === 'timeouts') return ['connect', 'command'];
  if (path[0] === 'hosts' && path.length === 2) return HOST_KEYS;
  return SETTING_KEYS;
}

function walkKeys(node: unknown, path: PropertyKey[], visit: (key: string, path: PropertyKey[]) => void): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const p = [...path, key];
      visit(key, p);
      walkKeys(pair.value, p, visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walkKeys(item, [...path, i], visit));
  }
}
