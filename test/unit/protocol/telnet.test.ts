import { describe, expect, it } from 'vitest';
import { feedTelnet, initialTelnetState, encodeLine, IAC, DO, WONT, WILL, SB, SE } from '../../../src/protocol/telnet.js';

// The first chunk FRR 8.4 and Quagga 1.2 send: banner, options mid-chunk, then `Password: `.
const greeting = Buffer.concat([
  Buffer.from('\r\nHello, this is FRRouting (version 8.4.4).\r\n\r\nUser Access Verification\r\n\r\n', 'latin1'),
  Buffer.from([IAC, WILL, 1, IAC, WILL, 3, IAC, 0xfe, 0x22, IAC, DO, 0x1f]),
  Buffer.from('Password: ', 'latin1'),
]);

describe('telnet option parser', () => {
  it('strips options from the middle of a chunk and answers all of them in one write', () => {
    const out = feedTelnet(initialTelnetState(), greeting);
    expect(out.data.toString('latin1')).toBe('\r\nHello, this is FRRouting (version 8.4.4).\r\n\r\nUser Access Verification\r\n\r\nPassword: ');
    // DO ECHO, DO SGA, WONT NAWS (so the daemon never pages); DONT LINEMODE needs no answer.
    expect([...out.reply]).toEqual([IAC, DO, 1, IAC, DO, 3, IAC, WONT, 0x1f]);
    expect(out.negotiated.map((n) => `${n.verb} ${n.option}`)).toEqual(['WILL 1', 'WILL 3', 'DONT 34', 'DO 31']);
  });

  it('gives the same data and replies at every split point of the chunk', () => {
    const whole = feedTelnet(initialTelnetState(), greeting);
    for (let cut = 1; cut < greeting.length; cut++) {
      const a = feedTelnet(initialTelnetState(), greeting.subarray(0, cut));
      const b = feedTelnet(a.state, greeting.subarray(cut));
      expect(Buffer.concat([a.data, b.data]).equals(whole.data), `cut at ${cut}`).toBe(true);
      expect(Buffer.concat([a.reply, b.reply]).equals(whole.reply), `cut at ${cut}`).toBe(true);
    }
  });

  it('turns IAC IAC into one 0xFF data byte, also across chunks', () => {
    const a = feedTelnet(initialTelnetState(), Buffer.from([0x41, IAC]));
    const b = feedTelnet(a.state, Buffer.from([IAC, 0x42]));
    expect([...a.data, ...b.data]).toEqual([0x41, 0xff, 0x42]);
    expect(a.reply.length + b.reply.length).toBe(0);
  });

  it('skips subnegotiations, including an escaped IAC inside them', () => {
    const chunk = Buffer.from([0x61, IAC, SB, 0x1f, 0, 80, IAC, IAC, 24, IAC, SE, 0x62]);
    const out = feedTelnet(initialTelnetState(), chunk);
    expect(out.data.toString('latin1')).toBe('ab');
  });

  it('drops single-byte commands like NOP and never answers with NOP or a lone IAC', () => {
    const out = feedTelnet(initialTelnetState(), Buffer.from([0x61, IAC, 0xf1, 0x62, IAC, DO, 0x18]));
    expect(out.data.toString('latin1')).toBe('ab');
    expect([...out.reply]).toEqual([IAC, WONT, 0x18]);
    expect(out.reply.includes(0xf1)).toBe(false);
  });

  it('answers a repeated request only once (no negotiation loop)', () => {
    const a = feedTelnet(initialTelnetState(), Buffer.from([IAC, DO, 0x1f]));
    const b = feedTelnet(a.state, Buffer.from([IAC, DO, 0x1f]));
    expect(a.reply.length).toBe(3);
    expect(b.reply.length).toBe(0);
  });

  it('ends lines with \\n and refuses to put 0xFF on the wire', () => {
    expect(encodeLine('show version').toString('latin1')).toBe('show version\n');
    expect(() => encodeLine('x\u00ff')).toThrow(/0xFF/);
  });

  it('matches a byte-at-a-time reading of random telnet streams, in one chunk or split anywhere', () => {
    // The reference: every byte through the state machine, as RFC 854 reads it.
    const reference = (bytes: number[]) => {
      const data: number[] = [];
      let mode = 'data';
      for (const b of bytes) {
        if (mode === 'data') b === IAC ? (mode = 'iac') : data.push(b);
        else if (mode === 'iac') mode = b === IAC ? (data.push(IAC), 'data') : b >= WILL && b <= 0xfe ? 'option' : b === SB ? 'sb' : 'data';
        else if (mode === 'option') mode = 'data';
        else if (mode === 'sb') mode = b === IAC ? 'sb-iac' : 'sb';
        else mode = b === SE ? 'data' : 'sb';
      }
      return data;
    };
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pieces = [[IAC, IAC], [IAC, WILL, 1], [IAC, DO, 0x1f], [IAC, 0xfe, 0x22], [IAC, 0xf1], [IAC, SB, 0x1f, 0, 80, IAC, IAC, 24, IAC, SE], [0x41], [0x0d, 0x0a], [0x50, 0x61, 0x73, 0x73]];
    for (let round = 0; round < 300; round++) {
      const bytes = Array.from({ length: 1 + rand(12) }, () => pieces[rand(pieces.length)]!).flat();
      const want = reference(bytes);
      const whole = feedTelnet(initialTelnetState(), Buffer.from(bytes));
      expect([...whole.data]).toEqual(want);
      const cut = rand(bytes.length + 1);
      const a = feedTelnet(initialTelnetState(), Buffer.from(bytes.slice(0, cut)));
      const b = feedTelnet(a.state, Buffer.from(bytes.slice(cut)));
      expect([...a.data, ...b.data], `split at ${cut} of ${bytes.join(',')}`).toEqual(want);
      expect(Buffer.concat([a.reply, b.reply]).equals(whole.reply)).toBe(true);
    }
  });
});
