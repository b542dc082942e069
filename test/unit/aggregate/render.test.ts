import { describe, expect, it } from 'vitest';
import { gather } from '../../../src/aggregate/gather.js';
import { renderGathered, renderLines, toJsonDocument } from '../../../src/aggregate/render.js';
import { failure, result } from './fixtures.js';
import { extraNeighborRow, NEIGHBOR, neighborFleet, OSPF } from './fleet.js';

const SGR = /\u001b\[[0-9;]*m/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('renderGathered', () => {
  it('prints each distinct output once under its folded host set, then failures and totals', () => {
    const text = renderGathered(gather(neighborFleet(), { normalize: true }));
    const lines = text.split('\n');
    expect(lines[0]).toBe('==== show ip ospf neighbor · ospfd ====');
    expect(lines[1]).toBe('---------------- lvs[01-03,07] (4) · 3 raw variants ----------------');
    const headers = lines.filter((l) => l.startsWith('----------------'));
    expect(headers).toEqual([
      '---------------- lvs[01-03,07] (4) · 3 raw variants ----------------',
      '---------------- lvs04 (1) · differs from majority ----------------',
      '---------------- lvs05 (1) · differs from majority ----------------',
      '---------------- lvs06 (1) · error ----------------',
    ]);
    expect(text).toContain('% OSPF is not enabled in vrf default\n');
    expect(text.endsWith(
      [
        '==== failures (3) ====',
        'timeout (1): lvs08 - no reply within 10 s',
        'auth-failed (1): lvs09 - password rejected',
        'unreachable (1): lvs10 - connect ECONNREFUSED 198.51.100.10:2604',
        '==== 10 hosts: 6 ok, 1 error, 3 failed ====',
        '',
      ].join('\n'),
    )).toBe(true);
  });

  it('shows minority groups as diffs against the majority with --diff', () => {
    const text = renderGathered(gather(neighborFleet(), { normalize: true }), { diff: true });
    const afterHeader = text.split('---------------- lvs04 (1) · differs from majority ----------------\n')[1]!;
    expect(afterHeader.startsWith('--- lvs[01-03,07] (4)\n+++ lvs04 (1)\n@@ ')).toBe(true);
    expect(text).toContain(`\n+${extraNeighborRow.replace('3m12s', '<time>').replace('33.908s', '<time>')}\n`);
    // The majority itself is printed in full.
    expect(text).toContain('\nNeighbor ID     Pri State');
  });

  it('neutralises escape sequences from hosts, also in labels, diffs and errors', () => {
    const evil = '\u001b]0;PWN\u0007\u001b[2J';
    const rs = [
      result('lvs01', 'show interface brief', `Interface       Status  VRF             Addresses\nlo              up      default\n`),
      result('lvs02', 'show interface brief', `Interface       Status  VRF             Addresses\n${evil}  up      default\n`),
      result(`bad${evil}`, 'show interface brief', 'x\n'),
      failure('lvs03', 'show interface brief', 'closed', `peer said ${evil}`),
    ];
    const view = gather(rs);
    for (const opts of [{}, { diff: true }]) {
      const text = renderGathered(view, opts);
      expect(CONTROL.test(text)).toBe(false);
      expect(text).toContain('\\x1b]0;PWN\\x07\\x1b[2J');
    }
    const colored = renderGathered(view, { color: true, diff: true });
    expect(colored).toMatch(SGR);
    expect(CONTROL.test(colored.replace(SGR, ''))).toBe(false);
  });

  it('styles headers only when asked', () => {
    const view = gather(neighborFleet());
    expect(renderGathered(view)).not.toMatch(SGR);
    const colored = renderGathered(view, { color: true });
    for (const line of colored.split('\n')) {
      if (line.match(SGR)) expect(line.replace(SGR, '')).toMatch(/^(====|----------------|\()/);
    }
    expect(colored.replace(SGR, '')).toBe(renderGathered(view));
  });

  it('notes masking, empty outputs, partial groups and per-command failures', () => {
    const rs = [
      result('r1', 'configure terminal', ''),
      result('r2', 'configure terminal', ''),
      result('r1', OSPF, 'a\n', { partial: true }),
      failure('r2', OSPF, 'timeout', 'no reply within 10 s'),
    ];
    const text = renderGathered(gather(rs, { normalize: true }), { showRawNote: true });
    expect(text.split('\n')[0]).toMatch(/^note: volatile fields masked/);
    expect(text).toContain('---------------- r[1-2] (2) ----------------\n(no output)\n');
    expect(text).toContain('---------------- r1 (1) · partial ----------------\na\n');
    expect(text).toContain('timeout (1): r2 - no reply within 10 s [show ip ospf]\n');
    expect(text).toContain('==== 2 hosts: 1 ok, 0 error, 1 failed ====\n');
  });
});

describe('renderLines', () => {
  it('prefixes every line with the host, optionally the daemon', () => {
    const r = result('lvs01', NEIGHBOR, 'l1\nl2\n');
    expect(renderLines(r)).toBe('lvs01 ospfd: l1\nlvs01 ospfd: l2\n');
    expect(renderLines(r, { showDaemon: false })).toBe('lvs01: l1\nlvs01: l2\n');
    expect(renderLines(result('lvs01', 'end', ''))).toBe('');
  });

  it('reports failures and partial output on their own line, sanitized', () => {
    expect(renderLines(failure('lvs09', NEIGHBOR, 'timeout', 'no reply within 10 s'))).toBe(
      'lvs09 ospfd: [timeout] no reply within 10 s\n',
    );
    expect(renderLines({ ...failure('lvs09', NEIGHBOR, 'closed', null), output: 'half', partial: true })).toBe(
      'lvs09 ospfd: half\nlvs09 ospfd: [closed]\nlvs09 ospfd: [partial]\n',
    );
    expect(renderLines(result('lvs06', NEIGHBOR, '% Unknown command\n', { status: 'error' }))).toBe(
      'lvs06 ospfd: % Unknown command\n',
    );
    expect(renderLines(result('lvs01', NEIGHBOR, 'a\u001b[2Jb\r\n'))).toBe('lvs01 ospfd: a\\x1b[2Jb\\x0d\n');
  });
});

describe('toJsonDocument', () => {
  it('keeps raw results and the gathered groups, unsanitized', () => {
    const rs = [...neighborFleet(), result('lvs11', NEIGHBOR, 'e\u001b[2J\n')];
    const view = gather(rs, { normalize: true });
    const doc = JSON.parse(JSON.stringify(toJsonDocument(rs, view))) as ReturnType<typeof toJsonDocument>;
    expect(doc.results).toHaveLength(11);
    expect(Object.keys(doc.results[0]!).sort()).toEqual(
      ['command', 'daemon', 'elapsedMs', 'error', 'host', 'mode', 'output', 'partial', 'status', 'warnings'].sort(),
    );
    expect(doc.results[10]!.output).toBe('e\u001b[2J\n');
    expect(doc.results[1]!.output).toBe(rs[1]!.output);
    expect(doc.groups[0]!.groups[0]).toMatchObject({ label: 'lvs[01-03,07]', count: 4, variants: 3 });
    expect(doc.failures.map((f) => f.status)).toEqual(['timeout', 'auth-failed', 'unreachable']);
    expect(doc.totals).toEqual(view.totals);
    expect(doc.normalized).toBe(true);
    expect(JSON.stringify(toJsonDocument(rs, view))).not.toMatch(CONTROL);
  });
});
