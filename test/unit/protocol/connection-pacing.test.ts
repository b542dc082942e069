// The connection (fleet/connection.ts) over the core never writes a line before the previous reply
// is complete: not at login (password, enable, enable password, terminal length 0), and on mgmtd not
// before the commit marker. A scripted mgmtd-like peer answers late, in pieces, and flags any write
// that arrives while it still owes an answer: the real mgmtd aborts on exactly that.
import { describe, expect, it } from 'vitest';
import { VtyConnection } from '../../../src/fleet/connection.js';
import { secretOf } from '../../../src/protocol/session.js';
import type { TransportFactory } from '../../../src/transport/tcp.js';

const BANNER = '\r\nHello, this is FRRouting (version 10.7.0).\r\n\r\nUser Access Verification\r\n\r\n\xff\xfb\x01\xff\xfb\x03\xff\xfe\x22\xff\xfd\x1fPassword: ';

interface Peer {
  transport: TransportFactory;
  violations: string[];
  received: string[];
}

/** Answers each line in pieces spread over a few ms: echo, prompt, then (for commits) notes and marker. */
function scriptedMgmtd(): Peer {
  const violations: string[] = [];
  const received: string[] = [];
  const transport: TransportFactory = (_target, h) => {
    let busy = false;
    let mode = 'login';
    let prompt = 'q1> ';
    // the last piece frees the peer before it is delivered: the client may answer inside onData
    const later = (ms: number, text: string, done = false) =>
      setTimeout(() => {
        if (done) busy = false;
        h.onData(Buffer.from(text, 'latin1'));
      }, ms);
    setTimeout(() => {
      h.onConnect();
      later(1, BANNER, true);
    }, 1);
    return {
      write(bytes) {
        // telnet option replies travel in the same write as the password
        const text = bytes.toString('latin1').replace(/\xff[\xfb-\xfe][\s\S]/g, '');
        for (const line of text.split('\n').slice(0, -1)) {
          received.push(line);
          if (busy) violations.push(`"${line}" written while the previous reply was still owed`);
          busy = true;
          if (mode === 'login') {
            mode = 'view';
            later(2, '\r\n' + prompt, true);
          } else if (line === 'enable') {
            mode = 'enable-pw';
            later(2, 'enable\r\n');
            later(4, 'Password: ', true);
          } else if (mode === 'enable-pw') {
            mode = 'enable';
            prompt = 'q1# ';
            later(3, '\r\n' + prompt, true);
          } else if (line === 'configure terminal') {
            prompt = 'q1(config)# ';
            later(2, `${line}\r\n${prompt}`, true);
          } else if (line === 'interface lo') {
            prompt = 'q1(config-if)# ';
            later(2, `${line}\r\n`);
            later(3, prompt);
            later(12, '% Configuration applied with notes:\r\nNo changes found to be committed!\r\n\0\0\0\0', true);
          } else if (line.startsWith('ip address') || line.startsWith('description')) {
            later(2, `${line}\r\n`);
            later(3, prompt);
            later(10, '\0\0\0\0', true);
          } else if (line === 'end') {
            prompt = 'q1# ';
            later(2, `${line}\r\n${prompt}`, true);
          } else {
            later(2, `${line}\r\n${prompt}`, true);
          }
        }
      },
      close() {},
    };
  };
  return { transport, violations, received };
}

describe('connection pacing', () => {
  it('login steps and queued mgmtd lines go out one reply at a time', async () => {
    const peer = scriptedMgmtd();
    const pw = secretOf('zebra');
    const c = new VtyConnection({ host: 'f10', daemon: 'mgmtd', address: '127.0.0.1', port: 2623, transport: peer.transport, session: { password: pw, enablePassword: pw } });
    try {
      const lines = ['configure terminal', 'interface lo', 'ip address 192.0.2.200/32', 'description a', 'description b', 'end'];
      const results = await Promise.all(lines.map((l) => c.run(l)));
      expect(peer.violations).toEqual([]);
      expect(peer.received).toEqual(['zebra', 'enable', 'zebra', 'terminal length 0', ...lines]);
      expect(results.map((r) => `${r.command}:${r.status}:${r.mode}`)).toEqual([
        'configure terminal:ok:config', 'interface lo:ok:config-if', 'ip address 192.0.2.200/32:ok:config-if',
        'description a:ok:config-if', 'description b:ok:config-if', 'end:ok:enable',
      ]);
      expect(results[1]!.output).toBe('% Configuration applied with notes:\nNo changes found to be committed!');
    } finally {
      c.close();
    }
  });

  it('the same peer as zebra (no commit handling) would be written to early: the check can fail', async () => {
    const peer = scriptedMgmtd();
    const pw = secretOf('zebra');
    const c = new VtyConnection({ host: 'f10', daemon: 'zebra', address: '127.0.0.1', port: 2601, transport: peer.transport, session: { password: pw, enablePassword: pw, commandTimeoutMs: 200 } });
    try {
      await Promise.all(['configure terminal', 'interface lo', 'ip address 192.0.2.200/32'].map((l) => c.run(l)));
      expect({ received: peer.received, violations: peer.violations }).toMatchObject({ violations: [expect.any(String)] });
    } finally {
      c.close();
    }
  });
});
