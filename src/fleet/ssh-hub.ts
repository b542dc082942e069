// One SSH connection per host (and per jump host) shared by every channel to it: zebra's and
// ospfd's vty channels ride the same connection, and a bastion carries all hosts behind it.
import { connectHop, hopLabel, openDirect, type SshClient } from '../transport/ssh-client.js';
import { sshTunnelTransport, vtyshTransport, type SshClientSource, type SshLease } from '../transport/ssh.js';
import type { SshEndpoint, SshSettings, TransportSpec } from '../transport/ssh-settings.js';
import { TransportError, type TransportFactory } from '../transport/tcp.js';

interface Entry {
  key: string;
  refs: number;
  ready: Promise<SshClient>;
  client: SshClient | null;
  parent: SshLease | null;
  gone: boolean;
}

/** What makes two connections interchangeable: the hop chain and everything that decides auth and trust. */
function keyOf(chain: readonly SshEndpoint[], s: SshSettings): string {
  return JSON.stringify([chain.map(hopLabel), s.port, s.identities, s.agent, s.knownHosts, s.hostKeyPolicy, s.passwordEnv]);
}

export class SshHub implements SshClientSource {
  private entries = new Map<string, Entry>();
  /** SSH connections dialled (handshakes started) since the hub was made; tests read it. */
  connectsStarted = 0;

  acquire(chain: readonly SshEndpoint[], settings: SshSettings, timeoutMs: number): Promise<SshLease> {
    const key = keyOf(chain, settings);
    let entry = this.entries.get(key);
    if (!entry || entry.gone) {
      entry = this.dial(key, chain, settings, timeoutMs);
      this.entries.set(key, entry);
    }
    const e = entry;
    e.refs++;
    let released = false;
    const lease = (client: SshClient): SshLease => ({
      client,
      release: () => {
        if (released) return;
        released = true;
        this.unref(e);
      },
    });
    return e.ready.then(lease, (err: unknown) => {
      if (!released) {
        released = true;
        this.unref(e);
      }
      throw err;
    });
  }

  /** Open connections right now (for tests and diagnostics). */
  get open(): number {
    return [...this.entries.values()].filter((e) => e.client && !e.gone).length;
  }

  private dial(key: string, chain: readonly SshEndpoint[], settings: SshSettings, timeoutMs: number): Entry {
    const dest = chain[chain.length - 1]!;
    const jumps = chain.slice(0, -1);
    const entry = { key, refs: 0, client: null, parent: null, gone: false } as Omit<Entry, 'ready'> as Entry;
    entry.ready = (async (): Promise<SshClient> => {
      let sock;
      if (jumps.length) {
        // The jump host is a shared entry too: a bastion carries every host behind it.
        entry.parent = await this.acquire(jumps, settings, timeoutMs);
        const via = jumps[jumps.length - 1]!;
        try {
          sock = await openDirect(entry.parent.client, dest.host, dest.port);
        } catch (e) {
          throw new TransportError(`jump host ${hopLabel(via)} could not reach ${dest.host}:${dest.port} (${(e as Error).message.replace(/^\(SSH\)\s*/, '')})`, 'EJUMP', true, 'ssh-unreachable');
        }
      }
      this.connectsStarted++;
      const context = jumps.length ? `via ${jumps.map(hopLabel).join(' -> ')}: ` : '';
      const client = await connectHop(dest, { settings, timeoutMs, ...(sock ? { sock } : {}), context });
      entry.client = client;
      client.on('close', () => this.drop(entry));
      // Errors after ready (keepalive timeout, reset) end in 'close'; channels report their own end.
      client.on('error', () => undefined);
      // Everyone gave up while we were connecting (their connect timeout): nobody will use it.
      if (entry.gone || entry.refs <= 0) this.drop(entry);
      if (entry.gone) client.end();
      return client;
    })();
    entry.ready.catch(() => this.drop(entry));
    return entry;
  }

  private unref(e: Entry): void {
    e.refs--;
    if (e.refs <= 0) this.drop(e);
  }

  private drop(e: Entry): void {
    if (e.gone) return;
    e.gone = true;
    if (this.entries.get(e.key) === e) this.entries.delete(e.key);
    e.client?.end();
    e.parent?.release();
  }

  /** Closes every connection (end of a run, or a pool shutting down). */
  closeAll(): void {
    for (const e of [...this.entries.values()]) this.drop(e);
  }
}

/** The process-wide hub: every job of a run to the same host shares its connection. */
export const sharedSshHub = new SshHub();

/**
 * The factory for a job's transport, or undefined for telnet (the caller's default applies).
 * `daemon` picks `vtysh -d DAEMON`; the pseudo-daemon `vtysh` means all daemons.
 */
export function transportFactoryFor(spec: TransportSpec | undefined, daemon: string, hub: SshClientSource = sharedSshHub): TransportFactory | undefined {
  if (!spec || spec.kind === 'telnet') return undefined;
  if (spec.kind === 'ssh') return sshTunnelTransport(spec.ssh, spec.vtyAddress, hub);
  return vtyshTransport(spec.ssh, daemon === VTYSH_ALL ? null : daemon, hub);
}

/** The daemon label of a vtysh job that reaches every daemon (vtysh routes each line itself). */
export const VTYSH_ALL = 'vtysh';
