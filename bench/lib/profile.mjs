// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function, and total time by the
// module that caused it (each sample charged to its nearest frame in dist/ or a node_modules
// package, so module loading counts against whoever imported it).
import { readFileSync } from 'node:fs';

const SHORT = /^file:\/\/.*?\/(dist|bench|node_modules)\//;

export function summarizeProfile(file, top = 12) {
  if (!file) return null;
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const byModule = new Map();
  const dt = p.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < (p.samples ?? []).length; i++) {
    const n = byId.get(p.samples[i]);
    const d = (dt[i] ?? 0) / 1000;
    total += d;
    const cf = n.callFrame;
    const where = cf.url ? `${cf.url.replace(/\/bench\/\.snapshot-\d+\//, '/').replace(SHORT, '$1/')}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + d);
    let id = n.id;
    let mod = cf.functionName === '(idle)' ? '(idle)' : cf.functionName === '(garbage collector)' ? '(gc)' : 'node internals';
    while (id !== undefined) {
      const u = byId.get(id).callFrame.url;
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)|\/dist\/([^/]+(?:\/[^/]+)?)\.js|\/bench\/(.*)\.mjs/.exec(u);
      if (m) {
        mod = m[1] ? `npm ${m[1]}` : m[2] ? `dist/${m[2]}` : `bench/${m[3]}`;
        break;
      }
      id = parent.get(id);
    }
    byModule.set(mod, (byModule.get(mod) ?? 0) + d);
  }
  const rows = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: Math.round(total),
    top: rows(self).map(([fn, ms]) => ({ fn, selfMs: Math.round(ms), pct: Math.round((ms / total) * 1000) / 10 })),
    byModule: rows(byModule).map(([module, ms]) => ({ module, ms: Math.round(ms), pct: Math.round((ms / total) * 1000) / 10 })),
  };
}
