// Host-set folding (`lvs01,lvs02,lvs03` -> `lvs[01-03]`) and the natural order every host list uses.

/**
 * Natural order: digit runs compare as numbers (`lvs2 < lvs10`, `198.51.100.3 < 198.51.100.20`),
 * everything else by UTF-16 code unit so the order never depends on the locale.
 * Equal numbers with different zero padding sort shorter first (`1 < 01`), so the order is total.
 */
export function naturalCompare(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let j = 0;
  let padTie = 0;
  while (i < la && j < lb) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      const si = i;
      const sj = j;
      while (i < la && a.charCodeAt(i) === 48) i++;
      while (j < lb && b.charCodeAt(j) === 48) j++;
      const zi = i;
      const zj = j;
      while (i < la && isDigit(a.charCodeAt(i))) i++;
      while (j < lb && isDigit(b.charCodeAt(j))) j++;
      const lenA = i - zi;
      const lenB = j - zj;
      if (lenA !== lenB) return lenA - lenB;
      for (let k = 0; k < lenA; k++) {
        const d = a.charCodeAt(zi + k) - b.charCodeAt(zj + k);
        if (d !== 0) return d;
      }
      if (padTie === 0) padTie = i - si - (j - sj);
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  if (i < la || j < lb) return la - i - (lb - j);
  return padTie;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

interface Parsed {
  prefix: string;
  digits: string;
  suffix: string;
}

// A port is split off first so `198.51.100.3:2604` folds on the last octet, not on the port.
const PORT_RE = /^([^:]+)(:\d+)$/;
// Lazy prefix: the first position where only digits-then-non-digits remain is the last run.
const LAST_RUN_RE = /^(.*?)(\d+)(\D*)$/s;

function parse(name: string): Parsed | null {
  // IPv6 literals are left whole: their last decimal run is not a meaningful index.
  let base = name;
  let port = '';
  const pm = PORT_RE.exec(name);
  if (pm) {
    base = pm[1] as string;
    port = pm[2] as string;
  } else if (name.includes(':')) {
    return null;
  }
  const m = LAST_RUN_RE.exec(base);
  if (!m) return null;
  const prefix = m[1] as string;
  const digits = m[2] as string;
  return { prefix, digits, suffix: (m[3] as string) + port };
}

interface Part {
  /** The smallest member, used to order parts. */
  first: string;
  text: string;
}

/**
 * Fold host names into ClusterShell notation. Only the last number run of a name folds; a
 * `:port` suffix is kept and grouped on. Zero padding is part of the identity: `lvs01` and
 * `lvs1` never merge, while `lvs09,lvs10` fold to `lvs[09-10]`.
 * Order of the comma-joined parts: natural order of each part's smallest member, so
 * `r0,lvs01,lvs02` folds to `lvs[01-02],r0`. Duplicates are dropped.
 */
export function foldHosts(hosts: readonly string[]): string {
  const buckets = new Map<string, { prefix: string; suffix: string; items: Array<{ n: number; digits: string }> }>();
  const parts: Part[] = [];
  const seen = new Set<string>();
  for (const name of hosts) {
    if (seen.has(name)) continue;
    seen.add(name);
    const p = parse(name);
    // Past 15 digits the number loses precision; such names stay literal.
    if (!p || p.digits.length > 15) {
      parts.push({ first: name, text: name });
      continue;
    }
    const key = `${p.prefix}\u0000${p.suffix}`;
    let b = buckets.get(key);
    if (!b) {
      b = { prefix: p.prefix, suffix: p.suffix, items: [] };
      buckets.set(key, b);
    }
    b.items.push({ n: Number(p.digits), digits: p.digits });
  }
  for (const b of buckets.values()) foldBucket(b.prefix, b.suffix, b.items, parts);
  parts.sort((x, y) => naturalCompare(x.first, y.first));
  return parts.map((p) => p.text).join(',');
}

/**
 * Split one prefix/suffix bucket into width classes. A padded number (`01`) only fits the class
 * of its exact length; an unpadded one (`10`) joins the widest padded class it fits, else the
 * unpadded class, so `09,10` stays one range but `1,01` never merges.
 */
function foldBucket(
  prefix: string,
  suffix: string,
  items: Array<{ n: number; digits: string }>,
  out: Part[],
): void {
  const paddedWidths = new Set<number>();
  for (const it of items) if (it.digits.length > 1 && it.digits.charCodeAt(0) === 48) paddedWidths.add(it.digits.length);
  const classes = new Map<number, number[]>();
  const widths = [...paddedWidths].sort((x, y) => y - x);
  for (const it of items) {
    const len = it.digits.length;
    let w = 1;
    if (len > 1 && it.digits.charCodeAt(0) === 48) w = len;
    else for (const pw of widths) if (pw <= len) { w = pw; break; }
    let c = classes.get(w);
    if (!c) {
      c = [];
      classes.set(w, c);
    }
    c.push(it.n);
  }
  for (const [w, nums] of classes) {
    nums.sort((x, y) => x - y);
    const fmt = (n: number): string => String(n).padStart(w, '0');
    if (nums.length === 1) {
      const name = prefix + fmt(nums[0] as number) + suffix;
      out.push({ first: name, text: name });
      continue;
    }
    const ranges: string[] = [];
    let start = nums[0] as number;
    let prev = start;
    for (let k = 1; k <= nums.length; k++) {
      const n = nums[k];
      if (n !== undefined && n === prev + 1) {
        prev = n;
        continue;
      }
      ranges.push(start === prev ? fmt(start) : `${fmt(start)}-${fmt(prev)}`);
      if (n !== undefined) {
        start = n;
        prev = n;
      }
    }
    out.push({ first: prefix + fmt(nums[0] as number) + suffix, text: `${prefix}[${ranges.join(',')}]${suffix}` });
  }
}
