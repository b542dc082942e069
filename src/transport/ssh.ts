// The SSH transports as TransportFactories: `ssh` opens a direct-tcpip channel to the vty on the
// host's loopback and carries the same telnet/vty bytes; `vtysh` runs vtysh in a pty. Neither
// dials: an SshClientSource (src/fleet/ssh-hub.ts) lends the host's one shared SSH connection.
import { TransportError, type TransportFactory, type TransportHandlers, type Transport } from './tcp.js';
import { hopLabel, type ClientChannel, type SshClient } from './ssh-client.js';
import type { SshEndpoint, SshSettings } from './ssh-settings.js';

export interface SshLease {
  client: SshClient;
  /** Gives the connection back; the last release closes it. Idempotent. */
  release(): void;
}

export interface SshClientSource {
  /** The connection to the last hop of `chain` (earlier hops are jump hosts), shared while leased. */
  acquire(chain: readonly SshEndpoint[], settings: SshSettings, timeoutMs: number): Promise<SshLease>;
}

/** Jump hosts then the destination itself, as the hub dials them. */
export function chainFor(address: string, s: SshSettings): SshEndpoint[] {
  return [...s.jump, { host: address, port: s.port, user: s.user }];
}

/** A vty as vtysh sees it: a pty wide enough that readline never wraps or scrolls a command. */
export const VTYSH_PTY = { term: 'dumb', cols: 8192, rows: 0, width: 0, height: 0 } as const;

type Opener = (client: SshClient, target: { address: string; port: number }) => Promise<ClientChannel>;

/**
 * The common part: lease the host's connection, open a channel, pipe bytes, and keep setup
 * (SSH connect, auth, channel) inside the job's connect timeout.
 */
function channelTransport(settings: SshSettings, source: SshClientSource, open: Opener, what: string): TransportFactory {
  return (target, handlers: TransportHandlers): Transport => {
    let lease: SshLease | null = null;
    let channel: ClientChannel | null = null;
    let done = false;
    let connected = false;
    const dest = hopLabel({ host: target.address, port: settings.port, user: settings.user });
    const finish = (err: TransportError | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      channel?.close();
      lease?.release();
      if (err) handlers.onError(err);
      else handlers.onEnd();
    };
    const timer = setTimeout(() => {
      const stage = lease ? `opening ${what}` : `SSH connect to ${dest}`;
      finish(new TransportError(`${stage} timed out after ${target.connectTimeoutMs} ms`, 'ETIMEDOUT', true, lease ? 'unreachable' : 'ssh-unreachable'));
    }, target.connectTimeoutMs);

    source.acquire(chainFor(target.address, settings), settings, target.connectTimeoutMs).then(
      async (l) => {
        if (done) return l.release();
        lease = l;
        let ch: ClientChannel;
        try {
          ch = await open(l.client, target);
        } catch (e) {
          finish(new TransportError(`${dest}: ${what}: ${(e as Error).message}`, 'ECHANNEL', true, 'unreachable'));
          return;
        }
        if (done) {
          ch.close();
          return;
        }
        channel = ch;
        connected = true;
        clearTimeout(timer);
        ch.on('data', (b: Buffer) => {
          if (!done) handlers.onData(b);
        });
        ch.stderr.on('data', (b: Buffer) => {
          if (!done) handlers.onData(b);
        });
        ch.on('error', (e: Error) => finish(new TransportError(`${dest}: ${what}: ${e.message}`, 'EIO', false)));
        ch.on('close', () => finish(null));
        handlers.onConnect();
      },
      (e: unknown) => finish(e instanceof TransportError ? e : new TransportError(String((e as Error)?.message ?? e), 'ESSH', true, 'ssh-unreachable')),
    );

    return {
      write(bytes) {
        if (connected && !done) channel?.write(bytes);
      },
      close() {
        if (done) return;
        done = true;
        clearTimeout(timer);
        channel?.close();
        lease?.release();
      },
    };
  };
}

/** `transport: ssh`: the vty at vtyAddress:port as seen from the host, through its SSH connection. */
export function sshTunnelTransport(settings: SshSettings, vtyAddress: string, source: SshClientSource): TransportFactory {
  const open: Opener = (client, target) =>
    new Promise((resolve, reject) =>
      client.forwardOut('127.0.0.1', 0, vtyAddress, target.port, (err, ch) => {
        if (!err) return resolve(ch);
        // sshd names why it could not connect: usually the daemon is down or bound elsewhere.
        reject(new Error(`sshd could not connect to the vty at ${vtyAddress}:${target.port} (${err.message.replace(/^\(SSH\)\s*/, '')})`));
      }),
    );
  return channelTransport(settings, source, open, `vty channel to ${vtyAddress}`);
}

/**
 * `transport: vtysh`: `vtysh` (or `vtysh -d DAEMON` for one daemon) in a pty. vtysh prints the
 * banner and lands in enable mode, so the session core treats it like a vty without login.
 */
export function vtyshTransport(settings: SshSettings, daemon: string | null, source: SshClientSource): TransportFactory {
  if (daemon !== null && !/^[a-z0-9]+$/.test(daemon)) throw new Error(`bad daemon name ${JSON.stringify(daemon)}`);
  const command = daemon ? `${settings.vtysh} -d ${daemon}` : settings.vtysh;
  const open: Opener = (client) =>
    new Promise((resolve, reject) =>
      client.exec(command, { pty: VTYSH_PTY }, (err, ch) => (err ? reject(new Error(`cannot run ${command}: ${err.message}`)) : resolve(ch))),
    );
  return channelTransport(settings, source, open, command);
}
