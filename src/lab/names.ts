// Naming and paths: namespace, link and directory names derived from a lab or farm name.

import { LabError } from './errors.js';

export const STATE_ROOT = '/run/vtymux';
export const FRR_DIR = '/usr/lib/frr';

/** Six characters keep `<name>-m<host>` (e.g. `abcdef-mlvs50`) inside Linux's 15-character interface names. */
export function validateName(name: string, what = 'name'): string {
  if (!/^[a-z0-9]{1,6}$/.test(name)) {
    const bad = [...name].find((ch) => !/[a-z0-9]/.test(ch));
    const why =
      name.length === 0 ? 'it is empty' : name.length > 6 ? `it has ${name.length} characters (at most 6)` : `character '${bad}' is not allowed`;
    throw new LabError('bad-option', `${what} '${name}' is invalid: ${why}; use 1-6 of [a-z0-9]`);
  }
  return name;
}

export function labStateDir(name: string): string {
  return `${STATE_ROOT}/lab/${name}`;
}

export function farmStateDir(name: string): string {
  return `${STATE_ROOT}/farm/${name}`;
}

export function routerName(): string {
  return 'r0';
}

export function lvsName(i: number): string {
  return `lvs${String(i).padStart(2, '0')}`;
}

export function farmHostName(i: number): string {
  return `f${String(i).padStart(4, '0')}`;
}

export const labNames = {
  hostNamespace: (lab: string, host: string): string => `${lab}-${host}`,
  lanNamespace: (lab: string): string => `${lab}-lan`,
  mgmtBridge: (lab: string): string => `${lab}-br`,
  mgmtVethRoot: (lab: string, host: string): string => `${lab}-m${host}`,
  /** Matches every root-namespace link a lab makes, for cleanup after a crash. */
  rootLinkPattern: (lab: string): RegExp => new RegExp(`^${lab}-(br|m[a-z0-9]+)$`),
  namespacePattern: (lab: string): RegExp => new RegExp(`^${lab}-[a-z0-9]+$`),
};

export const farmNames = {
  namespace: (farm: string): string => farm,
  vethRoot: (farm: string): string => `${farm}-farm`,
  vethInside: 'farm0',
};
