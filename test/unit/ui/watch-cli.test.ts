// `vtymux watch` without a network: arguments are checked before anything is sent, and a round renders
// with the same marks as :watch (the round against real daemons is in test/integration/tui.test.ts).
import { describe, expect, it } from 'vitest';
import { renderRound, watchAction, type WatchOptions } from '../../../src/cli/watch-command.js';
import { UsageError } from '../../../src/cli/exec-command.js';
import { watchView } from '../../../src/ui/watch.js';
import { result } from './helpers.js';

const base: WatchOptions = { hosts: '127.0.0.1:1', daemon: 'ospfd', command: ['show ip ospf neighbor'], every: '2', enable: true };
const io = { out: () => undefined, err: () => undefined, tty: false };

describe('vtymux watch', () => {
  it('refuses commands that change something, bad intervals and counts, before connecting anywhere', async () => {
    await expect(watchAction({ ...base, command: [] }, io, {})).rejects.toThrow(/no command given/);
    await expect(watchAction({ ...base, command: ['clear ip ospf process'] }, io, {})).rejects.toThrow(/read-only commands only/);
    await expect(watchAction({ ...base, command: ['show ?'] }, io, {})).rejects.toBeInstanceOf(UsageError);
    await expect(watchAction({ ...base, every: '0.1' }, io, {})).rejects.toThrow(/--every must be a number from 0.5 to 3600/);
    await expect(watchAction({ ...base, count: '1.5' }, io, {})).rejects.toThrow(/--count must be a whole number/);
  });

  it('renders a round with a watch(1)-like header; -d adds the marks, coloured on a terminal', () => {
    const before = [result('lvs01', 'show x', 'a\nb\n'), result('lvs02', 'show x', 'a\nb\n')];
    const after = [result('lvs01', 'show x', 'a\n'), result('lvs02', 'show x', 'a\nb\n')];
    const v = watchView(before, after, { normalize: false });
    const plain = renderRound('Every 2 s: show x · round 2', v.lines, { differences: false, color: false });
    expect(plain.split('\n').slice(0, 3)).toEqual(['Every 2 s: show x · round 2', '', '==== show x · ospfd ====']);
    expect(plain).not.toMatch(/^[-+*] /m);
    const marked = renderRound('h', v.lines, { differences: true, color: false });
    expect(marked).toContain('* ---------------- lvs01 (1) · -lvs02 ----------------\n  a\n- b\n');
    expect(renderRound('h', v.lines, { differences: true, color: true })).toContain('\u001b[31m- b\u001b[0m');
  });
});
