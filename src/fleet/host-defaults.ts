// What a host gets when nothing more specific says otherwise: the built-in ports, password env
// names and timeouts, the defaults layer on top of them, and hosts built from defaults alone
// (ad-hoc -H targets). Light on purpose: target resolution imports it at every command's start,
// while the inventory's parser (src/fleet/inventory.ts: YAML and zod) loads only when an
// inventory has to be parsed.
import { isIPv4, isIPv6 } from 'node:net';
import type { HostDefaults, InventoryFallbacks, ResolvedHost } from './inventory.js';
import type { VarValue } from '../base/daemons.js';

export const DEFAULT_PASSWORD_ENV = 'VTYMUX_PASSWORD';
export const DEFAULT_ENABLE_PASSWORD_ENV = 'VTYMUX_ENABLE_PASSWORD';
const BUILTIN_PORTS = { zebra: 2601, ospfd: 2604 };
// FRR 9+ moved interface and static configuration to mgmtd (and static routes' daemon has its
// own vty): every host may have them, but only hosts whose suite runs them are ever dialled there.
const BUILTIN_ON_DEMAND_PORTS = { staticd: 2616, mgmtd: 2623 };
const builtinPorts = () => ({ ...BUILTIN_PORTS, ...BUILTIN_ON_DEMAND_PORTS });
const BUILTIN_ON_DEMAND = Object.keys(BUILTIN_ON_DEMAND_PORTS);
const BUILTIN_CONNECT_MS = 5000;
const BUILTIN_COMMAND_MS = 10000;
/** Scalar settings passed through to the transport as spelled in the file. */
export const PASS_THROUGH = ['transport', 'vty_address', 'ssh'] as const;

/** The inventory's `defaults:` layer, as its schema (src/fleet/inventory.ts) admits it. */
export interface DefaultsLayer {
  ports?: Record<string, number> | null | undefined;
  password_env?: string | undefined;
  enable_password_env?: string | undefined;
  timeouts?: { connect?: number | undefined; command?: number | undefined } | null | undefined;
  vars?: Record<string, VarValue> | null | undefined;
  transport?: string | undefined;
  vty_address?: string | undefined;
  ssh?: Record<string, VarValue | string[]> | undefined;
}

/** True for an IPv4/IPv6 address or a DNS host name; digits-and-dots must be a real IPv4. */
export function isValidAddress(a: string): boolean {
  if (/^[0-9.]+$/.test(a)) return isIPv4(a);
  if (a.includes(':')) return isIPv6(a);
  return a.length <= 253 && /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(a);
}

/** The defaults layer on top of built-ins (what an ad-hoc host gets). */
export function resolveDefaults(d: DefaultsLayer, fb: InventoryFallbacks): HostDefaults {
  const settings: Record<string, unknown> = {};
  for (const k of PASS_THROUGH) if (d[k] !== undefined) settings[k] = d[k];
  return {
    ports: { ...(d.ports ?? builtinPorts()) },
    ...(d.ports ? {} : { onDemand: [...BUILTIN_ON_DEMAND] }),
    passwordEnv: d.password_env ?? DEFAULT_PASSWORD_ENV,
    enablePasswordEnv: d.enable_password_env ?? DEFAULT_ENABLE_PASSWORD_ENV,
    timeouts: {
      connectMs: d.timeouts?.connect !== undefined ? d.timeouts.connect * 1000 : (fb.connectMs ?? BUILTIN_CONNECT_MS),
      commandMs: d.timeouts?.command !== undefined ? d.timeouts.command * 1000 : (fb.commandMs ?? BUILTIN_COMMAND_MS),
    },
    vars: { ...(d.vars ?? {}) },
    settings,
  };
}

/** A host built from defaults alone (ad-hoc targets, -H). */
export function hostFromDefaults(name: string, address: string, defaults: HostDefaults): ResolvedHost {
  return {
    name,
    address,
    groups: [],
    ports: { ...defaults.ports },
    ...(defaults.onDemand ? { onDemand: [...defaults.onDemand] } : {}),
    passwordEnv: defaults.passwordEnv,
    enablePasswordEnv: defaults.enablePasswordEnv,
    timeouts: { ...defaults.timeouts },
    vars: { ...defaults.vars },
    settings: { ...defaults.settings },
  };
}

/** Defaults when there is no inventory at all. */
export function builtinDefaults(fallbacks: InventoryFallbacks = {}): HostDefaults {
  return resolveDefaults({}, fallbacks);
}
