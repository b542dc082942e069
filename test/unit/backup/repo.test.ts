// The backup repository against the real system git: commits, no-change runs, owner-only files,
// history reads. No daemons: configs are given as text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitConfigs, diffConfigs, openRepo, readConfigsAt, readLog, resolveSince, revParse } from '../../../src/backup/repo.js';
import { renderFileDiffs, renderLog, foldChanges } from '../../../src/backup/history.js';

const root = mkdtempSync(join(tmpdir(), 'vtymux-backup-repo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const who = { name: 'Test Op', email: 'op@example.net' };
const msg = (paths: string[]) => `backup: ${paths.length} files\n`;
const ospf = (cost: number, name = 'x') => `hostname ${name}\n!\ninterface lan0\n ip ospf cost ${cost}\n!\nrouter ospf\n network 203.0.113.0/24 area 0\n!\nend\n`;
const count = (dir: string) => Number(execFileSync('git', ['-C', dir, 'rev-list', '--count', 'HEAD'], { encoding: 'utf8' }).trim());

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((d) => join(d.parentPath, d.name));
}

describe('backup repository', () => {
  const dir = join(root, 'new', 'repo');

  it('is created when missing; a run that changes nothing makes no commit', async () => {
    await openRepo(dir);
    const files = [
      { host: 'lvs01', daemon: 'ospfd', text: ospf(10, 'lvs01') },
      { host: 'lvs02', daemon: 'ospfd', text: ospf(10, 'lvs02') },
      { host: 'lvs01', daemon: 'zebra', text: 'hostname lvs01\n' },
    ];
    const first = await commitConfigs(dir, files, msg, who);
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(first.changed).toEqual(['lvs01/ospfd.conf', 'lvs01/zebra.conf', 'lvs02/ospfd.conf']);
    const again = await commitConfigs(dir, files, msg, who);
    expect(again).toEqual({ commit: null, changed: [] });
    expect(count(dir)).toBe(1);
    expect(execFileSync('git', ['-C', dir, 'log', '-1', '--format=%an <%ae>|%s'], { encoding: 'utf8' }).trim()).toBe('Test Op <op@example.net>|backup: 3 files');
  });

  it('a changed file makes a second commit whose diff is that line; identical diffs fold', async () => {
    const r = await commitConfigs(dir, [
      { host: 'lvs01', daemon: 'ospfd', text: ospf(77, 'lvs01') },
      { host: 'lvs02', daemon: 'ospfd', text: ospf(77, 'lvs02') },
    ], msg, who);
    expect(r.changed).toEqual(['lvs01/ospfd.conf', 'lvs02/ospfd.conf']);
    const head = (await revParse(dir, 'HEAD'))!;
    const prev = await revParse(dir, 'HEAD~1');
    const diffs = await diffConfigs(dir, prev, head);
    expect(diffs.map((d) => d.host)).toEqual(['lvs01', 'lvs02']);
    const changed = diffs[0]!.hunks.split('\n').filter((l) => /^[-+]/.test(l));
    expect(changed).toEqual([' ip ospf cost 10', ' ip ospf cost 77'].map((l, i) => (i === 0 ? '-' : '+') + l));
    const text = renderFileDiffs(diffs, 'a..b');
    expect(text.match(/^---------------- lvs\[01-02\] \(2\) ----------------$/gm)).toHaveLength(1);
    expect(text).toContain('==== 2 hosts changed (2 files) ====');
    // the hostname line in the context differs per host; it reads <host> so the change folds
    expect(text).toContain(' hostname <host>\n');
    expect((await diffConfigs(dir, prev, head, 'lvs02')).map((d) => d.host)).toEqual(['lvs02']);
  });

  it('log per host, newest first; files at a revision in one read', async () => {
    const all = await readLog(dir);
    expect(all).toHaveLength(2);
    expect(foldChanges(all[1]!.paths)).toBe('lvs01 (1): ospfd,zebra · lvs02 (1): ospfd');
    expect(foldChanges(all[0]!.paths)).toBe('lvs[01-02] (2): ospfd');
    expect(renderLog(all)).toMatch(/^[0-9a-f]{10} {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ {2}Test Op {2}lvs\[01-02\] \(2\): ospfd$/m);
    expect((await readLog(dir, 'lvs01')).length).toBe(2);
    const at = await readConfigsAt(dir, 'HEAD~1', ['lvs01/ospfd.conf', 'nope/ospfd.conf', 'lvs01/zebra.conf']);
    expect([...at.keys()]).toEqual(['lvs01/ospfd.conf', 'lvs01/zebra.conf']);
    expect(at.get('lvs01/ospfd.conf')).toBe(ospf(10, 'lvs01'));
    expect(await resolveSince(dir, '2000-01-01')).toBeNull();
    expect(await resolveSince(dir, 'HEAD~1')).toBe(await revParse(dir, 'HEAD~1'));
    await expect(resolveSince(dir, 'not-a-rev-or-date')).rejects.toThrow(/neither a revision .* nor a date/);
  });

  it('every file git and vtymux wrote is owner-only', () => {
    for (const f of filesUnder(dir)) expect(statSync(f).mode & 0o077, f).toBe(0);
  });

  it('refuses to take over a non-empty directory that is not a repository', async () => {
    const other = join(root, 'busy');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'x');
    await expect(openRepo(other)).rejects.toThrow(/not a git repository and not empty/);
  });
});
