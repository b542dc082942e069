// IPv4 prefix arithmetic for the lab, and the guard that keeps it inside documentation ranges.

import { LabError } from './errors.js';

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  network: number;
  prefixLength: number;
  /** The text as given, normalised to network/len. */
  text: string;
}

/** The only ranges the lab may use (RFC 5737 TEST-NET-1..3); anything else could leak onto a real network. */
const DOCUMENTATION_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];

export function parseIpv4(text: string, what: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new LabError('bad-option', `${what}: '${text}' is not an IPv4 address (need four dotted numbers)`);
  let value = 0;
  for (const [i, part] of parts.entries()) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) {
      throw new LabError('bad-option', `${what}: '${text}' octet ${i + 1} ('${part}') is not a number 0..255`);
    }
    value = value * 256 + Number(part);
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function mask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** Parses `a.b.c.d/len`; host bits must be zero so the user notices a typo rather than getting a surprise network. */
export function parseCidr(text: string, what: string): Cidr {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  if (!match) throw new LabError('bad-option', `${what}: '${text}' is not a CIDR prefix like 198.51.100.0/25`);
  const address = parseIpv4(match[1] ?? '', what);
  const prefixLength = Number(match[2]);
  if (prefixLength > 30) throw new LabError('bad-option', `${what}: '${text}' prefix length /${prefixLength} is too long (at most /30)`);
  const network = (address & mask(prefixLength)) >>> 0;
  if (network !== address) {
    throw new LabError(
      'bad-option',
      `${what}: '${text}' has host bits set; did you mean ${formatIpv4(network)}/${prefixLength}?`,
    );
  }
  return { network, prefixLength, text: `${formatIpv4(network)}/${prefixLength}` };
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefixLength >= outer.prefixLength && ((inner.network & mask(outer.prefixLength)) >>> 0) === outer.network;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

/** Rejects prefixes outside 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24. */
export function requireDocumentationRange(cidr: Cidr, what: string): void {
  const ok = DOCUMENTATION_RANGES.some((range) => contains(parseCidr(range, 'range'), cidr));
  if (!ok) {
    throw new LabError(
      'bad-option',
      `${what}: '${cidr.text}' is outside the documentation ranges the lab may use (${DOCUMENTATION_RANGES.join(', ')})`,
    );
  }
}

/** Number of usable host addresses (network and broadcast excluded). */
export function usableHosts(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefixLength) - 2;
}

/** The n-th host address (1 = first usable). */
export function hostAddress(cidr: Cidr, n: number, what: string): string {
  if (n < 1 || n > usableHosts(cidr)) {
    throw new LabError('bad-option', `${what}: '${cidr.text}' has only ${usableHosts(cidr)} usable addresses, need host #${n}`);
  }
  return formatIpv4(cidr.network + n);
}
