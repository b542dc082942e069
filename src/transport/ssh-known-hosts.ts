// OpenSSH known_hosts: parsing (plain, wildcard, negated and hashed names, @revoked), the
// verdict for a presented host key, and the line accept-new appends. Pure except readKnownHosts.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

export interface KnownHostEntry {
  file: string;
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** Comma-separated patterns, or null when the name is hashed. */
  patterns: string[] | null;
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  /** The name is known with a different key: the dangerous case, never accepted. */
  | { kind: 'changed'; entries: KnownHostEntry[] }
  | { kind: 'revoked'; entry: KnownHostEntry };

/** Parses known_hosts text; lines it cannot read are skipped (OpenSSH does the same). */
export function parseKnownHosts(text: string, file = 'known_hosts'): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [names, keyType, b64] = fields;
    if (!names || !keyType || !b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return;
    const key = Buffer.from(b64, 'base64');
    if (key.length < 8 || blobType(key) !== keyType) return;
    let hashed: KnownHostEntry['hashed'] = null;
    let patterns: string[] | null = null;
    if (names.startsWith('|1|')) {
      const [, , salt, hash] = names.split('|');
      if (!salt || !hash) return;
      hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      patterns = names.split(',').filter(Boolean);
    }
    out.push({ file, line: i + 1, marker, patterns, hashed, keyType, key });
  });
  return out;
}

/** The key type named inside an SSH public key blob (its first string). */
export function blobType(key: Buffer): string | null {
  if (key.length < 4) return null;
  const n = key.readUInt32BE(0);
  if (n === 0 || n > 64 || key.length < 4 + n) return null;
  return key.subarray(4, 4 + n).toString('latin1');
}

/** How OpenSSH names a host in known_hosts: `host`, or `[host]:port` off port 22. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** OpenSSH match_hostname: any positive pattern matches and no negated one does. */
export function namesMatch(patterns: readonly string[], name: string): boolean {
  let positive = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(name)) return false;
    } else if (globToRegExp(p).test(name)) {
      positive = true;
    }
  }
  return positive;
}

export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed) {
    const h = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return h.equals(entry.hashed.hash);
  }
  return namesMatch(entry.patterns ?? [], name);
}

/**
 * The verdict for the key a host presented. A revoked key loses whatever else matches; a name
 * that is known only with other keys is `changed` (even when the other key is of another type:
 * a host that suddenly shows a new type is treated as re-keyed, not as new).
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostName(host, port);
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const mine = entries.filter((e) => e.marker === null && entryMatches(e, name));
  const same = mine.find((e) => e.key.equals(key));
  if (same) return { kind: 'known', entry: same };
  return mine.length ? { kind: 'changed', entries: mine } : { kind: 'unknown' };
}

/** Key types the host is known by, to ask the server for those first (OpenSSH does the same). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostName(host, port);
  return [...new Set(entries.filter((e) => e.marker === null && entryMatches(e, name)).map((e) => e.keyType))];
}

/** `SHA256:…` as `ssh-keygen -lf` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The line accept-new appends; hashed like Debian's HashKnownHosts yes when asked. */
export function knownHostsLine(host: string, port: number, key: Buffer, hash = false): string {
  const name = knownHostName(host, port);
  let shown = name;
  if (hash) {
    const salt = randomBytes(20);
    shown = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  return `${shown} ${blobType(key) ?? 'unknown'} ${key.toString('base64')}`;
}

const cache = new Map<string, { mtimeMs: number; size: number; entries: KnownHostEntry[] }>();

/** Reads and parses known_hosts files (cached by mtime: a 1,000-host run reads each once). Missing files are empty. */
export function readKnownHosts(files: readonly string[]): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  for (const file of files) {
    let st;
    try {
      st = statSync(file);
    } catch {
      continue;
    }
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
      out.push(...hit.entries);
      continue;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const entries = parseKnownHosts(text, file);
    cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, entries });
    out.push(...entries);
  }
  return out;
}
