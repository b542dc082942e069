// An in-memory TransportFactory that plays an FRR 8.4 (or Quagga 1.2.4) vty byte for byte as the
// recorded transcripts show it (greeting with telnet options, `Password: `, echo, prompts per
// mode), with per-host misbehaviour on demand. For unit tests of the fleet engine: it counts
// logins per host×daemon and the logins in flight, which a real daemon cannot tell us.
import type { Transport, TransportFactory, TransportHandlers } from '../../src/transport/tcp.js';
import { TransportError } from '../../src/transport/tcp.js';

export interface ScriptedHost {
  hostname: string;
  password?: string;
  enablePassword?: string;
  suite?: 'frr' | 'frr10' | 'quagga';
  /** Refuse the TCP connect (ECONNREFUSED). */
  refuse?: boolean;
  /** The daemon has no vty password configured (`Vty password is not set.`). */
  noPassword?: boolean;
  /** Ms before the greeting is sent (a slow router or a slow bastion). */
  greetDelayMs?: number;
  /** Commands whose reply never comes. */
  hangOn?: readonly string[];
  /** Commands during which the daemon closes the connection. */
  closeOn?: readonly string[];
  /** Daemons this host runs (ports not listed refuse); default zebra and ospfd. */
  daemons?: readonly string[];
  /** Extra replies by exact command. */
  replies?: Record<string, string>;
}

export interface ScriptedFleet {
  factory: TransportFactory;
  /** Logins started per `address/port`. */
  logins: Map<string, number>;
  /** The most sessions that were in the login phase at once. */
  peakLoggingIn: number;
  /** Lines received per `address/port` (passwords shown as `<password>`). */
  received: Map<string, string[]>;
  /** Sessions open now. */
  open(): number;
}

const PORT_DAEMON: Record<number, string> = { 2601: 'zebra', 2604: 'ospfd', 2616: 'staticd', 2623: 'mgmtd' };

const GREETING = (suite: 'frr' | 'frr10' | 'quagga') =>
  Buffer.concat([
    Buffer.from(
      suite === 'quagga'
        ? '\r\nHello, this is Quagga (version 1.2.4).\r\nCopyright 1996-2005 Kunihiro Ishiguro, et al.\r\n\r\n\r\nUser Access Verification\r\n\r\n'
        : `\r\nHello, this is FRRouting (version ${suite === 'frr10' ? '10.7.0' : '8.4.4'}).\r\nCopyright 1996-2005 Kunihiro Ishiguro, et al.\r\n\r\n\r\nUser Access Verification\r\n\r\n`,
      'latin1',
    ),
    Buffer.from([0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03, 0xff, 0xfe, 0x22, 0xff, 0xfd, 0x1f]),
    Buffer.from('Password: ', 'latin1'),
  ]);

/** Modes a line enters, as FRR's prompts show them. */
function nextMode(mode: string, line: string): string {
  const w = line.trim().split(/\s+/);
  if (/^conf/.test(w[0] ?? '') && /^t/.test(w[1] ?? '')) return mode === 'enable' ? 'config' : mode;
  if (w[0] === 'end') return 'enable';
  if (w[0] === 'exit' || w[0] === 'quit') return mode.startsWith('config-') ? 'config' : mode === 'config' ? 'enable' : mode;
  if (mode.startsWith('config')) {
    if (w[0] === 'interface') return 'config-if';
    if (w[0] === 'router' && w[1] === 'ospf') return 'config-router';
  }
  return mode;
}

const promptOf = (hostname: string, mode: string) => (mode === 'view' ? `${hostname}> ` : mode === 'enable' ? `${hostname}# ` : `${hostname}(${mode})# `);

export function scriptedFleet(hosts: Record<string, ScriptedHost>): ScriptedFleet {
  const logins = new Map<string, number>();
  const received = new Map<string, string[]>();
  let loggingIn = 0;
  let openNow = 0;
  const fleet: ScriptedFleet = {
    logins,
    received,
    peakLoggingIn: 0,
    open: () => openNow,
    factory: (target, handlers: TransportHandlers): Transport => {
      const key = `${target.address}/${target.port}`;
      const h = hosts[target.address];
      const daemon = PORT_DAEMON[target.port] ?? `port${target.port}`;
      let closed = false;
      let phase: 'password' | 'view' | 'enable-password' | 'ready' = 'password';
      let mode = 'view';
      let inLogin = false;
      let buf = '';
      let hung = false;
      const timers = new Set<NodeJS.Timeout>();
      const later = (ms: number, fn: () => void) => {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!closed) fn();
        }, ms);
        timers.add(t);
      };
      const send = (s: string | Buffer) => later(0, () => handlers.onData(typeof s === 'string' ? Buffer.from(s, 'latin1') : s));
      const endLogin = () => {
        if (inLogin) loggingIn--;
        inLogin = false;
      };
      const hangup = () => {
        if (closed) return;
        endLogin();
        closed = true;
        openNow--;
        for (const t of timers) clearTimeout(t);
        handlers.onEnd();
      };
      const note = (line: string) => (received.get(key) ?? received.set(key, []).get(key)!).push(line);

      const onLine = (line: string) => {
        if (!h) return;
        if (phase === 'password') {
          note('<password>');
          if (line !== (h.password ?? 'pw')) return send('\r\nPassword: ');
          phase = 'view';
          mode = 'view';
          return send(`\r\n${promptOf(h.hostname, mode)}`);
        }
        if (phase === 'enable-password') {
          note('<password>');
          if (line !== (h.enablePassword ?? 'en')) return send('\r\nPassword: ');
          phase = 'ready';
          mode = 'enable';
          return send(`\r\n${promptOf(h.hostname, mode)}`);
        }
        note(line);
        if (line === 'enable' && mode === 'view') {
          phase = 'enable-password';
          return send(`${line}\r\nPassword: `);
        }
        if (line === 'terminal length 0') endLogin();
        if (h.closeOn?.includes(line)) return later(5, hangup);
        if (h.hangOn?.includes(line)) {
          // A vty runs one line at a time: what is typed after a hung line is never read.
          hung = true;
          return send(`${line}\r\n`);
        }
        let out = h.replies?.[line];
        if (out === undefined) {
          if (line === 'show version') out = h.suite === 'quagga' ? `Quagga 1.2.4 (${h.hostname}).\r\n` : `FRRouting 8.4.4 (${h.hostname}) on Linux.\r\n`;
          else if (line === 'who') out = '';
          else if (/^echo /.test(line)) out = `${line.slice(5)}\r\n`;
          else out = '';
        }
        mode = nextMode(mode, line);
        send(`${line}\r\n${out}${promptOf(h.hostname, mode)}`);
      };

      later(0, () => {
        if (!h || h.refuse || !(h.daemons ?? ['zebra', 'ospfd']).includes(daemon)) {
          closed = true;
          handlers.onError(new TransportError('connection refused (daemon not running, or its vty not bound to this address/port)', 'ECONNREFUSED', true));
          return;
        }
        openNow++;
        logins.set(key, (logins.get(key) ?? 0) + 1);
        loggingIn++;
        inLogin = true;
        fleet.peakLoggingIn = Math.max(fleet.peakLoggingIn, loggingIn);
        handlers.onConnect();
        later(h.greetDelayMs ?? 0, () => {
          if (h.noPassword) {
            send('Vty password is not set.\r\n');
            later(1, hangup);
            return;
          }
          send(GREETING(h.suite ?? 'frr'));
        });
      });

      return {
        write: (bytes: Buffer) => {
          if (closed) return;
          let text = '';
          for (let i = 0; i < bytes.length; i++) {
            if (bytes[i] === 0xff) {
              i += 2;
              continue;
            }
            if (bytes[i] === 0) continue; // NUL keepalive
            text += String.fromCharCode(bytes[i]!);
          }
          buf += text;
          let nl: number;
          while (!hung && (nl = buf.search(/[\r\n]/)) !== -1) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1).replace(/^[\n\0]/, '');
            onLine(line);
          }
        },
        close: () => {
          if (closed) return;
          endLogin();
          closed = true;
          openNow--;
          for (const t of timers) clearTimeout(t);
        },
      };
    },
  };
  return fleet;
}

/**
 * The scripted vty behind a wire that merges everything received after login into one chunk a
 * few ms later and hands it over in `size`-byte pieces: replies run together and boundaries fall
 * anywhere. Counts the writes the client makes.
 */
export function chunked(base: TransportFactory, size: number): { factory: TransportFactory; writes: string[] } {
  const writes: string[] = [];
  const factory: TransportFactory = (target, handlers) => {
    let held = Buffer.alloc(0);
    let timer: NodeJS.Timeout | null = null;
    let ready = false;
    const t = base(target, {
      ...handlers,
      onData: (bytes) => {
        if (!ready) return handlers.onData(bytes);
        held = Buffer.concat([held, bytes]);
        timer ??= setTimeout(() => {
          timer = null;
          const all = held;
          held = Buffer.alloc(0);
          for (let i = 0; i < all.length; i += size) handlers.onData(all.subarray(i, i + size));
        }, 5);
      },
    });
    return {
      write: (bytes) => {
        const text = bytes.toString('latin1');
        writes.push(text);
        if (text === 'terminal length 0\n') ready = true;
        t.write(bytes);
      },
      close: () => {
        if (timer) clearTimeout(timer);
        t.close();
      },
    };
  };
  return { factory, writes };
}
