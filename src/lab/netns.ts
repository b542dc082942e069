// Reading and tearing down namespaces and links: the scans that make cleanup work without state files.

import { LabError } from './errors.js';
import { ip, ipQuiet } from './exec.js';
import { overlaps, parseCidr, type Cidr } from './cidr.js';
import { isAlive, isFrrProcess, killPids } from './frr.js';

export async function listNamespaces(): Promise<string[]> {
  const out = await ip(['netns', 'list']);
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.length > 0);
}

export async function namespacePids(namespace: string): Promise<number[]> {
  try {
    const out = await ip(['netns', 'pids', namespace]);
    return out
      .split(/\s+/)
      .filter((s) => /^\d+$/.test(s))
      .map(Number);
  } catch {
    return [];
  }
}

export async function listRootLinks(): Promise<string[]> {
  const out = await ip(['-o', 'link', 'show']);
  const names: string[] = [];
  for (const line of out.split('\n')) {
    // "12: vmx-mr0@if2: <...>" - the @peer suffix is not part of the name
    const match = /^\d+:\s+([^:@\s]+)/.exec(line);
    if (match?.[1]) names.push(match[1]);
  }
  return names;
}

/** Refuses a prefix that overlaps any route of the root namespace, e.g. another lab's management net. */
export async function requireFreePrefix(cidr: Cidr, what: string): Promise<void> {
  const routes = JSON.parse(await ip(['-j', '-4', 'route', 'show', 'table', 'all'])) as Array<{ dst?: string; dev?: string; type?: string }>;
  for (const route of routes) {
    if (!route.dst || route.dst === 'default') continue;
    const dst = route.dst.includes('/') ? route.dst : `${route.dst}/32`;
    let routeCidr: Cidr;
    try {
      routeCidr = parseCidr(dst, 'route');
    } catch {
      continue; // broadcast/local routes with host bits set are not networks we could collide with as prefixes
    }
    if (overlaps(routeCidr, cidr)) {
      throw new LabError(
        'address-in-use',
        `${what}: ${cidr.text} overlaps ${route.dst} already routed via ${route.dev ?? '?'} (another lab, a farm or a real network); pick a disjoint prefix`,
      );
    }
  }
}

/**
 * Kills every process in the namespace (FRR ones only when `frrOnly`), deletes the namespace, and
 * reports what it removed. Safe to call on a namespace that is half gone.
 */
export async function destroyNamespace(namespace: string, removed: string[]): Promise<void> {
  const pids = await namespacePids(namespace);
  const labelled: Array<{ pid: number; label: string }> = [];
  for (const pid of pids) {
    labelled.push({ pid, label: (await isFrrProcess(pid)) ? 'frr daemon' : 'process' });
  }
  const signalled = await killPids(pids);
  for (const { pid, label } of labelled) {
    if (signalled.includes(pid)) removed.push(`${label} ${pid} (netns ${namespace})`);
  }
  if (await ipQuiet(['netns', 'del', namespace])) removed.push(`netns ${namespace}`);
}

export async function killStalePid(pid: number | null, what: string, removed: string[]): Promise<void> {
  if (pid === null || !isAlive(pid) || !(await isFrrProcess(pid))) return;
  await killPids([pid]);
  removed.push(`frr daemon ${pid} (${what})`);
}

export async function deleteRootLink(name: string, removed: string[]): Promise<void> {
  if (await ipQuiet(['link', 'del', name])) removed.push(`link ${name}`);
}
