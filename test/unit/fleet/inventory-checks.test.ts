// Inventory checks that are warnings or positions, not schema: one vty under two names, and a
// YAML syntax error reported on the line where the problem is.
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../../src/fleet/inventory.js';
import { InventoryError } from '../../../src/fleet/errors.js';
import { sharedEndpointWarnings } from '../../../src/cli/hosts-command.js';
import { yamlSyntaxIssues, openAt } from '../../../src/yaml/syntax.js';

function syntaxError(text: string): InventoryError {
  try {
    parseInventory(text, 'inv.yaml');
  } catch (e) {
    if (e instanceof InventoryError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('hosts with the same address', () => {
  it('are flagged when they name one vty (same address and port), once per set of hosts', () => {
    const inv = parseInventory(
      [
        'defaults: { ports: { zebra: 2601, ospfd: 2604 } }',
        'hosts:',
        '  lvs01: { address: 198.51.100.3 }',
        '  lvs02: { address: 198.51.100.4 }',
        '  lvs03: { address: 198.51.100.4 }',
        '  r0: { address: 198.51.100.9 }',
        '',
      ].join('\n'),
      'lab.yaml',
    );
    expect(sharedEndpointWarnings(inv)).toEqual([
      'lab.yaml: hosts lvs02, lvs03 have the same address 198.51.100.4 and port (zebra 2601, ospfd 2604): one vty under 2 names, so each command would reach it 2 times (a copied line?)',
    ]);
  });

  it('are fine on one address with different ports (a farm)', () => {
    const inv = parseInventory(['hosts:', '  f0001: { address: 203.0.113.2, ports: { ospfd: 10001 } }', '  f0002: { address: 203.0.113.2, ports: { ospfd: 10002 } }', ''].join('\n'), 'farm.yaml');
    expect(sharedEndpointWarnings(inv)).toEqual([]);
  });
});

describe('YAML syntax errors point at the line of the problem', () => {
  it('a flow map missing its } on line 5 is reported on line 5, not on line 6 where the parser gave up', () => {
    const text = [
      'defaults:',
      '  password_env: LAB_PW',
      'hosts:',
      '  lvs01: { address: 198.51.100.3 }',
      '  lvs02: { address: 198.51.100.4, ports: { ospfd: 2604 }',
      '  lvs03: { address: 198.51.100.5 }',
      '',
    ].join('\n');
    const e = syntaxError(text);
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ line: 5, column: 57 });
    expect(e.message).toMatch(/^inv\.yaml:5:57: YAML syntax: '\}' missing: the '\{' opened on line 5 is not closed by the end of this line/);
  });

  it('an unclosed flow sequence and quote: where they open; a stray } stays where it is', () => {
    expect(syntaxError('hosts:\n  lvs01: { groups: [a, b }\n  lvs02: {}\n').issues[0]!.line).toBe(2);
    const q = syntaxError('hosts:\n  lvs01: { address: "198.51.100.3 }\n  lvs02: {}\n');
    expect(q.issues[0]).toMatchObject({ line: 2, column: 21 });
    expect(q.message).toContain('the " opened here (line 2) is never closed');
    const stray = syntaxError('hosts:\n  lvs01: { address: 1 }}\n  lvs02: x\n');
    expect(stray.issues[0]).toMatchObject({ line: 2, column: 24 });
  });

  it('the scanner skips comments, escapes and apostrophes inside words', () => {
    expect(openAt('a: { b: "x\\" }", c: \'it\'\'s\' } # {\nd: don\'t [\n', 60).map((o) => o.ch)).toEqual(['[']);
    expect(yamlSyntaxIssues('x', [{ code: 'OTHER', message: 'odd\ncode frame', pos: [0, 1] }])).toEqual([{ offset: 0, message: 'odd' }]);
  });
});
