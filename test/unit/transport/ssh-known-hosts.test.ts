// known_hosts parsing and the host-key policy (strict / accept-new), on keys and hashed lines
// made by OpenSSH's own ssh-keygen (9.2p1): `ssh-keygen -H` output and `ssh-keygen -lf` fingerprints.
import { describe, expect, it } from 'vitest';
import {
  blobType,
  checkHostKey,
  entryMatches,
  fingerprint,
  knownHostName,
  knownHostsLine,
  knownKeyTypes,
  namesMatch,
  parseKnownHosts,
} from '../../../src/transport/ssh-known-hosts.js';
import { hostKeyDecision } from '../../../src/transport/ssh-client.js';

const KA = 'AAAAC3NzaC1lZDI1NTE5AAAAIBibj8ndiV0Z8qYoDcvzcNmYgUEM3V5fPzh66BUy+8xt';
const KB = 'AAAAC3NzaC1lZDI1NTE5AAAAINlkGcIzoEfObs8dzayvzBreQ3vufX8gR7/2ex9wvrCz';
const KC = 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDRb5Ak1jtwtYozHQUCpTGLDNS2wjlQuotQuoTQPx7YehF5sQVmaKYPOaTL8D11i6E0D2DW8TtOGx/c1xMFDMmg=';
const ka = Buffer.from(KA, 'base64');
const kb = Buffer.from(KB, 'base64');
const kc = Buffer.from(KC, 'base64');

// `ssh-keygen -H` of "203.0.113.7 <ka>" and "[203.0.113.8]:2222 <kb>"
const HASHED = [
  `|1|5AYtplpAdCdzV+2EgExlomJeixU=|Ez/z3w4v/nqoZSXtdHB5kW8OSuY= ssh-ed25519 ${KA}`,
  `|1|EdGb7VoE8fp2bCBVQdG6Mp/iYu4=|wURxMNnqgUwgRX16mfZG408TGwI= ssh-ed25519 ${KB}`,
].join('\n');

describe('parseKnownHosts', () => {
  it('reads plain, multi-name, commented and marker lines, and skips garbage', () => {
    const text = [
      '# comment',
      '',
      `r1,203.0.113.1 ssh-ed25519 ${KA} root@r1`,
      `@revoked * ssh-ed25519 ${KB}`,
      `@cert-authority *.example ssh-ed25519 ${KA}`,
      '@bogus-marker x ssh-ed25519 AAAA',
      'onlyname',
      `r2 ssh-rsa ${KA}`, // type does not match the blob: skipped
      `r3 ssh-ed25519 not*base64`,
    ].join('\n');
    const e = parseKnownHosts(text, 'kh');
    expect(e.map((x) => [x.line, x.marker, x.patterns])).toEqual([
      [3, null, ['r1', '203.0.113.1']],
      [4, 'revoked', ['*']],
      [5, 'cert-authority', ['*.example']],
    ]);
    expect(e[0]!.keyType).toBe('ssh-ed25519');
    expect(e[0]!.key.equals(ka)).toBe(true);
    expect(e[0]!.file).toBe('kh');
  });

  it('matches hashed names exactly as OpenSSH wrote them, port form included', () => {
    const [a, b] = parseKnownHosts(HASHED);
    expect(a!.hashed).not.toBeNull();
    expect(entryMatches(a!, '203.0.113.7')).toBe(true);
    expect(entryMatches(a!, '203.0.113.70')).toBe(false);
    expect(entryMatches(b!, '[203.0.113.8]:2222')).toBe(true);
    expect(entryMatches(b!, '203.0.113.8')).toBe(false);
    expect(checkHostKey([a!, b!], '203.0.113.8', 2222, kb).kind).toBe('known');
    expect(checkHostKey([a!, b!], '203.0.113.8', 22, kb).kind).toBe('unknown');
  });
});

describe('names', () => {
  it('uses [host]:port off port 22, lower case', () => {
    expect(knownHostName('R1.Example', 22)).toBe('r1.example');
    expect(knownHostName('r1', 2222)).toBe('[r1]:2222');
  });
  it('globs with * and ?, and a negated pattern vetoes', () => {
    expect(namesMatch(['*.lab'], 'r1.lab')).toBe(true);
    expect(namesMatch(['r?.lab'], 'r12.lab')).toBe(false);
    expect(namesMatch(['*.lab', '!bad.lab'], 'bad.lab')).toBe(false);
    expect(namesMatch(['!bad.lab'], 'good.lab')).toBe(false); // negation alone matches nothing
    expect(namesMatch(['203.0.113.*'], '203.0.113.9')).toBe(true);
    expect(namesMatch(['R1'], 'r1')).toBe(true);
    expect(namesMatch(['r1.lab'], 'r1xlab')).toBe(false); // '.' is literal
  });
});

describe('checkHostKey', () => {
  const entries = parseKnownHosts([`r1 ssh-ed25519 ${KA}`, `r2 ecdsa-sha2-nistp256 ${KC}`, `@revoked * ssh-ed25519 ${KB}`].join('\n'), 'kh');

  it('known, changed (same or other type), unknown, revoked', () => {
    expect(checkHostKey(entries, 'r1', 22, ka).kind).toBe('known');
    const changed = checkHostKey(entries, 'r2', 22, ka);
    expect(changed.kind).toBe('changed');
    if (changed.kind === 'changed') expect(changed.entries.map((e) => e.line)).toEqual([2]);
    expect(checkHostKey(entries, 'r9', 22, ka).kind).toBe('unknown');
    expect(checkHostKey(entries, 'r1', 22, kb).kind).toBe('revoked');
  });

  it('lists the key types a host is known by', () => {
    expect(knownKeyTypes(entries, 'r2', 22)).toEqual(['ecdsa-sha2-nistp256']);
    expect(knownKeyTypes(entries, 'r9', 22)).toEqual([]);
  });
});

describe('fingerprint and lines', () => {
  it('prints SHA256 fingerprints like ssh-keygen -lf', () => {
    expect(fingerprint(ka)).toBe('SHA256:MC+NcNy4s7WKutC8SJ9TDjZ7zJVUATCfuTHJXbHOx7A');
    expect(blobType(kc)).toBe('ecdsa-sha2-nistp256');
  });
  it('writes lines its own parser reads back, plain and hashed', () => {
    for (const hash of [false, true]) {
      const line = knownHostsLine('203.0.113.9', 2222, ka, hash);
      const e = parseKnownHosts(line);
      expect(e).toHaveLength(1);
      expect(checkHostKey(e, '203.0.113.9', 2222, ka).kind).toBe('known');
      expect(line.includes('203.0.113.9')).toBe(!hash);
    }
  });
});

describe('hostKeyDecision (policy)', () => {
  const files = ['/home/u/.ssh/known_hosts'];
  const entries = parseKnownHosts(`r1 ssh-ed25519 ${KA}\n@revoked * ecdsa-sha2-nistp256 ${KC}`, files[0]);

  it('strict: only a known key passes; unknown and changed are refused with a reason', () => {
    expect(hostKeyDecision(entries, { host: 'r1', port: 22 }, ka, 'strict', files)).toEqual({ accept: true });
    const unknown = hostKeyDecision(entries, { host: 'r2', port: 22 }, ka, 'strict', files);
    expect(unknown.accept).toBe(false);
    expect(unknown.append).toBeUndefined();
    expect(unknown.problem).toMatch(/not in \/home\/u\/\.ssh\/known_hosts .*SHA256:MC\+Nc.*accept-new/);
    const changed = hostKeyDecision(entries, { host: 'r1', port: 22 }, kb, 'strict', files);
    expect(changed.accept).toBe(false);
    expect(changed.problem).toMatch(/HOST KEY CHANGED for r1: .*known_hosts:1/);
  });

  it('accept-new: records an unknown host, still refuses a changed or revoked key', () => {
    const fresh = hostKeyDecision(entries, { host: 'r2', port: 2222 }, kb, 'accept-new', files);
    expect(fresh.accept).toBe(true);
    expect(fresh.append).toBe(`[r2]:2222 ssh-ed25519 ${KB}`);
    expect(hostKeyDecision(entries, { host: 'r1', port: 22 }, kb, 'accept-new', files).accept).toBe(false);
    const revoked = hostKeyDecision(entries, { host: 'r3', port: 22 }, kc, 'accept-new', files);
    expect(revoked.accept).toBe(false);
    expect(revoked.problem).toMatch(/REVOKED/);
  });
});
