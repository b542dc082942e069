// The fleet bridge batches events: 500 hosts going busy and answering cost a couple of dispatches, not thousands.
import { describe, expect, it } from 'vitest';
import { connectFleet } from '../../../src/ui/bridge.js';
import type { Action } from '../../../src/ui/state.js';
import { FakeFleet, member, result } from './helpers.js';

describe('connectFleet', () => {
  it('sends the initial members, then batches state and result events per flush', async () => {
    const hosts = Array.from({ length: 500 }, (_, i) => `h${i}`);
    const fleet = new FakeFleet(hosts.map((h) => member(h)));
    const got: Action[] = [];
    const stop = connectFleet(fleet, (a) => got.push(a), 20);
    expect(got).toHaveLength(1);
    for (const h of hosts) fleet.emit('state', member(h, 'ospfd', { kind: 'busy' }));
    for (const h of hosts) fleet.emit('state', member(h, 'ospfd', { kind: 'ready', mode: 'config' }));
    for (const h of hosts) fleet.emit('result', result(h, 'show x', 'y\n'));
    await new Promise((r) => setTimeout(r, 60));
    expect(got.map((a) => a.type)).toEqual(['members', 'members', 'run-progress']);
    const last = got[1];
    if (last?.type !== 'members') throw new Error('expected members');
    expect(last.members).toHaveLength(500);
    expect(last.members.every((m) => m.kind === 'ready' && m.mode === 'config')).toBe(true);
    stop();
    fleet.emit('state', member('h1'));
    await new Promise((r) => setTimeout(r, 40));
    expect(got).toHaveLength(3);
  });

  it('says so when sessions were reconnected, folded by daemon', async () => {
    const fleet = new FakeFleet([member('lvs01'), member('lvs02')]);
    const got: Action[] = [];
    const stop = connectFleet(fleet, (a) => got.push(a), 10);
    fleet.emit('reconnect', member('lvs01'));
    fleet.emit('reconnect', member('lvs02'));
    await new Promise((r) => setTimeout(r, 30));
    const msg = got.find((a) => a.type === 'message');
    if (msg?.type !== 'message') throw new Error('expected a message');
    expect(msg.message?.text).toMatch(/^reconnected lvs\[01-02\] ospfd: the daemon had closed the session/);
    stop();
  });

  it('says reconnected only when the session is back: a daemon still down is reported as not back, the panel agrees', async () => {
    const fleet = new FakeFleet([member('lvs01'), member('lvs03')]);
    const got: Action[] = [];
    const stop = connectFleet(fleet, (a) => got.push(a), 10);
    const messages = () => got.flatMap((a) => (a.type === 'message' && a.message ? [a.message.text] : []));
    // the pool starts a reconnect (new connection, idle), it is refused: ended unreachable
    fleet.emit('reconnect', member('lvs03', 'ospfd', { kind: 'idle', mode: null }));
    fleet.emit('state', member('lvs03', 'ospfd', { kind: 'connecting', mode: null }));
    fleet.emit('state', member('lvs03', 'ospfd', { kind: 'ended', status: 'unreachable', error: 'connection refused', mode: null }));
    await new Promise((r) => setTimeout(r, 30));
    expect(messages()).toEqual(['lvs03 ospfd: the daemon closed the session and is not back (unreachable: connection refused); it is retried']);
    expect(messages().some((m) => m.includes('reconnected'))).toBe(false);
    // the keepalive dials it again once the daemon is back: now it is reconnected, with no command typed
    fleet.emit('state', member('lvs03', 'ospfd', { kind: 'connecting', mode: null }));
    fleet.emit('state', member('lvs03', 'ospfd', { kind: 'ready', mode: 'enable' }));
    await new Promise((r) => setTimeout(r, 30));
    expect(messages()[1]).toMatch(/^reconnected lvs03 ospfd: the daemon had closed the session/);
    const last = got.filter((a) => a.type === 'members').pop();
    if (last?.type !== 'members') throw new Error('expected members');
    expect(last.members.find((m) => m.key === 'lvs03/ospfd')?.kind).toBe('ready');
    stop();
  });

  it('a session that failed to log in and is logged in later (:login) is not called reconnected', async () => {
    const fleet = new FakeFleet([member('lvs02', 'ospfd', { kind: 'ended', status: 'auth-failed', mode: null })]);
    const got: Action[] = [];
    const stop = connectFleet(fleet, (a) => got.push(a), 10);
    fleet.emit('state', member('lvs02', 'ospfd', { kind: 'connecting', mode: null }));
    fleet.emit('state', member('lvs02', 'ospfd', { kind: 'ready' }));
    await new Promise((r) => setTimeout(r, 30));
    expect(got.some((a) => a.type === 'message')).toBe(false);
    stop();
  });
});
