// Test helpers for recipes: running-configs cut out of the recorded FRR 8.4.4 transcripts, and a
// fake FRR that keeps per host×daemon config trees so apply/rollback can be checked end to end.
import path from 'node:path';
import { bytesOf, fixturesDir, loadTranscript } from '../../helpers/transcript.js';
import { applyLine, findNode, parseRunningConfig, type ConfigNode } from '../../../src/recipe/config-tree.js';
import type { RecipeExecutor } from '../../../src/recipe/apply.js';
import type { CommandResult } from '../../../src/protocol/types.js';

/** The `show running-config` reply of a recorded flow, without echo and prompt. */
export function recordedRunningConfig(file: string): string {
  const text = bytesOf(loadTranscript(path.join(fixturesDir('frr-8.4.4'), file)), 'in').toString('latin1');
  const start = text.indexOf('show running-config\r\n');
  if (start < 0) throw new Error(`${file}: no show running-config`);
  const body = text.slice(start + 'show running-config\r\n'.length);
  const end = body.search(/\r\n[^\r\n]*# $|\r\n[^\r\n]*# /);
  return (end < 0 ? body : body.slice(0, end)).replace(/\r\n/g, '\n');
}

export function serialize(root: ConfigNode, hostname: string): string {
  const out = ['', 'Current configuration:', '!', 'frr version 8.4.4', 'frr defaults traditional', '!', `hostname ${hostname}`, 'password [redacted]', '!'];
  const walk = (n: ConfigNode, depth: number) => {
    out.push(`${' '.repeat(depth)}${n.line}`);
    for (const c of n.children) walk(c, depth + 1);
    if (n.children.length) out.push(depth === 0 ? 'exit' : `${' '.repeat(depth)}exit`, ...(depth === 0 ? ['!'] : []));
  };
  for (const n of root.children) walk(n, 0);
  out.push('end');
  return out.join('\n') + '\n';
}

const NODE_RE = /^(router \S+|interface \S+)/;

export interface FakeHost {
  trees: Record<string, ConfigNode>;
  mode: string;
  ctx: string[];
  down?: boolean;
}

/**
 * A fake FRR: `show running-config` serialises the tree, config lines edit it, `failOn` makes a
 * line fail like `% [OSPF] Unknown command`, `show` answers come from `answer`.
 */
export class FakeFrr implements RecipeExecutor {
  readonly hosts = new Map<string, FakeHost>();
  readonly sent: Array<{ host: string; daemon: string; command: string }> = [];
  failOn: RegExp | null = null;
  answer: (host: string, daemon: string, command: string) => string = () => '';

  addHost(name: string, configs: Record<string, string>): void {
    const trees: Record<string, ConfigNode> = {};
    for (const [d, text] of Object.entries(configs)) trees[d] = parseRunningConfig(text);
    this.hosts.set(name, { trees, mode: 'enable', ctx: [] });
  }

  config(host: string, daemon: string): string {
    return serialize(this.hosts.get(host)!.trees[daemon]!, host);
  }

  async run(host: string, daemon: string, commands: readonly string[], opts: { stopOnError?: boolean } = {}): Promise<CommandResult[]> {
    const h = this.hosts.get(host);
    const out: CommandResult[] = [];
    let failed = false;
    for (const command of commands) {
      const base = { host, daemon, command, partial: false, elapsedMs: 0 };
      if (!h || h.down) {
        out.push({ ...base, status: 'unreachable', output: '', error: 'connection refused', mode: null });
        continue;
      }
      if (failed) {
        out.push({ ...base, status: 'error', output: '', error: 'not run: an earlier command on this host failed', mode: null });
        continue;
      }
      this.sent.push({ host, daemon, command });
      const r = this.exec(h, daemon, command);
      out.push({ ...base, ...r, mode: h.mode });
      if (r.status !== 'ok' && (opts.stopOnError ?? true)) failed = true;
    }
    return out;
  }

  private exec(h: FakeHost, daemon: string, command: string): Pick<CommandResult, 'status' | 'output' | 'error'> {
    const ok = (output = '') => ({ status: 'ok' as const, output, error: null });
    if (this.failOn?.test(command)) return { status: 'error', output: `% [OSPF] Unknown command: ${command}`, error: `% [OSPF] Unknown command: ${command}` };
    if (command === 'show running-config') return ok(serialize(h.trees[daemon]!, [...this.hosts].find(([, v]) => v === h)![0]));
    if (command.startsWith('show ')) return ok(this.answer([...this.hosts].find(([, v]) => v === h)![0], daemon, command));
    if (command === 'write memory') return ok('Configuration saved');
    if (command === 'configure terminal') {
      h.mode = 'config';
      h.ctx = [];
      return ok();
    }
    if (command === 'end') {
      if (h.mode === 'enable') return { status: 'error', output: '% Unknown command: end', error: '% Unknown command: end' };
      h.mode = 'enable';
      h.ctx = [];
      return ok();
    }
    if (h.mode === 'enable') return { status: 'error', output: `% Unknown command: ${command}`, error: `% Unknown command: ${command}` };
    if (command === 'exit') {
      h.ctx = h.ctx.slice(0, -1);
      h.mode = h.ctx.length ? 'config-router' : 'config';
      return ok();
    }
    if (NODE_RE.test(command)) {
      h.ctx = [command];
      h.mode = command.startsWith('router') ? 'config-router' : 'config-if';
      // Entering creates the node only in memory; an empty node is not shown, as in FRR.
      return ok();
    }
    if (command.startsWith('no router ')) {
      const t = h.trees[daemon]!;
      t.children = t.children.filter((c) => c.line !== command.slice(3));
      return ok();
    }
    applyLine(h.trees[daemon]!, h.ctx, command);
    // FRR drops a node that became empty.
    const t = h.trees[daemon]!;
    t.children = t.children.filter((c) => c.children.length > 0 || !NODE_RE.test(c.line));
    return ok();
  }
}

export const LVS_VIP = '192.0.2.100';
const EMPTY_ZEBRA = 'hostname lvs\ninterface lan0\n description lab LAN\nexit\nno ip forwarding\n';
export const LVS_HOSTS = ['lvs01', 'lvs02', 'lvs03'].map((name, i) => ({ name, vars: { lan_ip: `203.0.113.${11 + i}`, router_id: `203.0.113.${11 + i}`, lan_if: 'lan0', area: 0 } }));

/** r0's view: one next hop per host whose ospfd announces the LVS_VIP (`network LVS_VIP/32`). */
export function lvsWorld(): FakeFrr {
  const f = new FakeFrr();
  for (const h of LVS_HOSTS) f.addHost(h.name, { zebra: EMPTY_ZEBRA, ospfd: 'hostname lvs\n' });
  f.addHost('r0', { zebra: 'hostname r0\n', ospfd: 'hostname r0\n' });
  const announces = (host: string) => findNode(parseRunningConfig(f.config(host, 'ospfd')), ['router ospf'])?.children.some((c) => c.line === `network ${LVS_VIP}/32 area 0`) ?? false;
  f.answer = (host, _d, command) => {
    if (command === 'show ip ospf neighbor json') return JSON.stringify({ neighbors: { '203.0.113.1': [{ nbrState: 'Full/DR', converged: 'Full', role: 'DR', ifaceAddress: '203.0.113.1', ifaceName: 'lan0:203.0.113.11' }] } });
    if (command === 'show ip ospf database router self-originate json') {
      const links = announces(host) ? { link0: { linkType: 'Stub Network', networkAddress: LVS_VIP, networkMask: '255.255.255.255', tos0Metric: 0 } } : {};
      return JSON.stringify({ routerId: '203.0.113.11', 'Router Link States': { '0.0.0.0': { '203.0.113.11': { routerLinks: links } } } });
    }
    if (host === 'r0' && command === `show ip route ${LVS_VIP}/32 json`) {
      const ann = LVS_HOSTS.filter((h) => announces(h.name));
      if (!ann.length) return '{}';
      return JSON.stringify({ [`${LVS_VIP}/32`]: [{ prefix: `${LVS_VIP}/32`, protocol: 'ospf', selected: true, nexthops: ann.map((h) => ({ ip: h.vars.lan_ip, interfaceName: 'lan0', fib: true })) }] });
    }
    return '';
  };
  return f;
}

