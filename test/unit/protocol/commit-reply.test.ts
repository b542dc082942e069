// mgmtd's commit replies (FRR 10): the end marker after the prompt, commit text after the prompt,
// and never a second line before the first one's marker. Chunks as seen from a live mgmtd 10.7.0
// (the byte-exact recordings are replayed in session-frr10.test.ts).
import { describe, expect, it } from 'vitest';
import { initialSession, secretOf, step, type SessionEffect, type SessionState } from '../../../src/protocol/session.js';
import { findMarker, findPromptStart, mayCommit } from '../../../src/protocol/commit-reply.js';

const pw = secretOf('zebra');
const BANNER = '\r\nHello, this is FRRouting (version 10.7.0).\r\n\r\nUser Access Verification\r\n\r\n\xff\xfb\x01\xff\xfb\x03\xff\xfe\x22\xff\xfd\x1fPassword: ';

type Result = Extract<SessionEffect, { type: 'result' }>;

class Driver {
  state: SessionState;
  effects: SessionEffect[] = [];
  constructor(commitReplies: boolean) {
    this.state = initialSession({ password: pw, enablePassword: pw, commitReplies });
    this.ev({ type: 'connected' });
  }
  ev(e: Parameters<typeof step>[1]): SessionEffect[] {
    const r = step(this.state, e);
    this.state = r.state;
    this.effects.push(...r.effects);
    return r.effects;
  }
  data(text: string): SessionEffect[] {
    return this.ev({ type: 'data', bytes: Buffer.from(text, 'latin1') });
  }
  login(): void {
    this.data(BANNER);
    this.data('\r\nf10> ');
    this.data('enable\r\nPassword: ');
    this.data('\r\nf10# ');
    this.data('terminal length 0\r\nf10# ');
    expect(this.state.phase).toBe('ready');
  }
  send(command: string): SessionEffect[] {
    return this.ev({ type: 'send', id: this.effects.length, command });
  }
  results(): Result[] {
    return this.effects.filter((e): e is Result => e.type === 'result');
  }
  last(): Result {
    return this.results().at(-1)!;
  }
}

function inConfig(commitReplies = true): Driver {
  const d = new Driver(commitReplies);
  d.login();
  d.send('configure terminal');
  d.data('configure terminal\r\nf10(config)# ');
  expect(d.state.mode).toBe('config');
  return d;
}

describe('mgmtd commit replies in the session core', () => {
  it('a committing line is complete at the marker, not at the prompt', () => {
    const d = inConfig();
    d.send('interface lo');
    d.data('interface lo\r\n');
    d.data('f10(config-if)# ');
    expect(d.state.phase).toBe('command'); // prompt seen, marker not yet: still busy
    expect(d.effects.at(-1)).toEqual({ type: 'set-timer', name: 'commit', ms: 3000 });
    d.data('\0\0\0\0');
    expect(d.state.phase).toBe('ready');
    expect(d.last()).toMatchObject({ command: 'interface lo', status: 'ok', output: '', mode: 'config-if' });
    expect(d.state.mode).toBe('config-if');
  });

  it('commit text after the prompt belongs to the line just run, and the marker is not output', () => {
    const d = inConfig();
    d.send('interface lo');
    d.data('interface lo\r\nf10(config-if)# % Configuration applied with notes:\r\nNo changes found to be committed!\r\n\0\0\0\0');
    expect(d.last()).toMatchObject({
      command: 'interface lo',
      status: 'ok',
      output: '% Configuration applied with notes:\nNo changes found to be committed!',
      warnings: ['% Configuration applied with notes:'],
      mode: 'config-if',
    });
    d.send('ip address 192.0.2.200/32');
    d.data('ip address 192.0.2.200/32\r\n');
    d.data('f10(config-if)# ');
    d.data('\0\0\0\0');
    expect(d.last()).toMatchObject({ command: 'ip address 192.0.2.200/32', status: 'ok', output: '' });
  });

  it('the same commit text split over chunks (prompt, then text and marker)', () => {
    const d = inConfig();
    d.send('interface lo');
    d.data('interface lo\r\n');
    d.data('f10(config-if)# ');
    d.data('% Configuration applied with notes:\r\nNo changes found to be committed!\r\n\0\0\0\0');
    expect(d.last().output).toBe('% Configuration applied with notes:\nNo changes found to be committed!');
  });

  it('a failed commit (code 13 after "% Configuration failed.") is an error', () => {
    const d = inConfig();
    d.send('mgmt commit check');
    d.data("mgmt commit check\r\nWarning: candidate datastore is not locked.\r\nf10(config)# % Configuration failed.\r\n\r\nsource not locked by session-id: 1008 on 'Unknown-FD-14'\r\n\0\0\0\r");
    expect(d.last()).toMatchObject({ status: 'error', error: '% Configuration failed.', mode: 'config' });
  });

  it('a non-zero marker code alone fails the line', () => {
    const d = inConfig();
    d.send('ip route 198.51.100.0/24 Null0');
    d.data('ip route 198.51.100.0/24 Null0\r\nf10(config)# \0\0\0\x01');
    expect(d.last()).toMatchObject({ status: 'error', error: 'mgmtd answered the commit with return code 1' });
  });

  it('an error before the prompt committed nothing: done at the prompt, no waiting', () => {
    const d = inConfig();
    d.send('no ip route 203.0.113.0/24 Null0');
    d.data('no ip route 203.0.113.0/24 Null0\r\n');
    d.data('% Refusing to remove a non-existent route\r\nf10(config)# ');
    expect(d.state.phase).toBe('ready');
    expect(d.last()).toMatchObject({ status: 'error', error: '% Refusing to remove a non-existent route' });
  });

  it('lines that never commit (exit, end, hostname, do …) end at the prompt', () => {
    const d = inConfig();
    for (const [cmd, reply] of [
      ['hostname f10', 'hostname f10\r\nf10(config)# '],
      ['do echo x', 'do echo x\r\nx\r\nf10(config)# '],
      ['line vty', 'line vty\r\nf10(config-line)# '],
      ['exit', 'exit\r\nf10(config)# '],
      ['end', 'end\r\nf10# '],
    ] as const) {
      d.send(cmd);
      d.data(reply);
      expect(d.state.phase, cmd).toBe('ready');
    }
    expect(d.results().map((r) => `${r.command}:${r.status}:${r.mode}`)).toEqual([
      'configure terminal:ok:config', 'hostname f10:ok:config', 'do echo x:ok:config', 'line vty:ok:config-line', 'exit:ok:config', 'end:ok:enable',
    ]);
  });

  it('no marker within commitWaitMs: the reply closes at the prompt, and commit text that comes later is not the next line\'s', () => {
    const d = inConfig();
    d.send('ip forwarding');
    d.data('ip forwarding\r\nf10(config)# ');
    expect(d.state.phase).toBe('command');
    d.ev({ type: 'timer', name: 'commit' });
    expect(d.last()).toMatchObject({ command: 'ip forwarding', status: 'ok', output: '' });
    expect(d.state.lateFor).toBe('ip forwarding');
    // the late text arrives after the next line went out, before its echo
    d.send('interface lo');
    const fx = d.data('% Configuration applied with notes:\r\nNo changes found to be committed!\r\n\0\0\0\0interface lo\r\nf10(config-if)# \0\0\0\0');
    expect(fx).toContainEqual({ type: 'late', command: 'ip forwarding', text: '% Configuration applied with notes:\nNo changes found to be committed!', code: 0 });
    expect(d.last()).toMatchObject({ command: 'interface lo', status: 'ok', output: '', mode: 'config-if' });
    expect(d.state.lateFor).toBeNull();
  });

  it('late commit text while idle is reported as late, then dropped', () => {
    const d = inConfig();
    d.send('log syslog');
    d.data('log syslog\r\nf10(config)# ');
    d.ev({ type: 'timer', name: 'commit' });
    const fx = d.data('\0\0\0\0');
    expect(fx).toContainEqual({ type: 'late', command: 'log syslog', text: '', code: 0 });
    expect(d.state.buffer).toBe('');
  });

  it('never writes the next line while the marker is outstanding (the driver waits for ready)', () => {
    const d = inConfig();
    d.send('interface lo');
    d.data('interface lo\r\nf10(config-if)# ');
    const refused = d.send('ip address 192.0.2.200/32');
    expect(refused.some((e) => e.type === 'write')).toBe(false);
    expect(refused).toContainEqual(expect.objectContaining({ type: 'result', status: 'error', error: 'session not ready (command)' }));
  });

  it('other daemons (commitReplies off) are done at the prompt, as before', () => {
    const d = inConfig(false);
    d.send('interface lo');
    d.data('interface lo\r\nf10(config-if)# ');
    expect(d.state.phase).toBe('ready');
    expect(d.last()).toMatchObject({ status: 'ok', mode: 'config-if' });
  });
});

describe('commit-reply helpers', () => {
  it('finds the marker, not a lone NUL', () => {
    expect(findMarker(' --More-- \0')).toBeNull();
    expect(findMarker('a\0\0\0\0b')).toEqual({ index: 1, end: 5, code: 0 });
    expect(findMarker('a\0\0\0')).toBeNull(); // code byte not here yet
  });

  it('finds a prompt at a line start even with text after it', () => {
    expect(findPromptStart('f10(config-if)# % Configuration applied', 'f10')).toMatchObject({ start: 0, end: 16, node: 'config-if', sigil: '#' });
    expect(findPromptStart('x\r\nf10(config)# ', 'f10')).toMatchObject({ start: 3, node: 'config' });
    expect(findPromptStart('description f10# x', 'f10')).toBeNull();
  });

  it('knows the lines that never commit', () => {
    for (const c of ['exit', 'end', 'do show version', 'hostname x', 'no hostname', 'password zebra', 'enable password zebra', 'line vty', 'configure terminal', 'show running-config', 'list']) expect(mayCommit(c), c).toBe(false);
    for (const c of ['interface lo', 'ip address 192.0.2.200/32', 'ip route 198.51.100.0/24 Null0', 'log syslog', 'mgmt commit apply', 'exit-vrf']) expect(mayCommit(c), c).toBe(true);
  });
});
