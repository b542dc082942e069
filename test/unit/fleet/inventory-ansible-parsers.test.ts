// The small readers behind the Ansible INI format: shlex words, Python literals, host patterns.
import { describe, expect, it } from 'vitest';
import { parsePythonLiteral, parsePythonValue, shlexSplit } from '../../../src/fleet/ansible-ini.js';
import { expandHostPattern } from '../../../src/fleet/ansible-model.js';
import { parseAnsibleInventory } from '../../../src/fleet/inventory-ansible.js';

describe('shlex words (posix, comments)', () => {
  it('splits like Python shlex.split(line, comments=True)', () => {
    expect(shlexSplit(`h1 a=1 b="x y" c='q"r' d=e\\ f # tail`)).toEqual({ tokens: ['h1', 'a=1', 'b=x y', 'c=q"r', 'd=e f'] });
    expect(shlexSplit('h1 a=b#c')).toEqual({ tokens: ['h1', 'a=b'] });
    expect(shlexSplit(`h1 a="#not a comment"`)).toEqual({ tokens: ['h1', 'a=#not a comment'] });
    expect(shlexSplit(`h1 a="open`)).toEqual({ error: 'no closing quotation' });
  });
});

describe('Python literals (ast.literal_eval)', () => {
  it('numbers, strings, booleans, None, lists, tuples, dicts; anything else stays text', () => {
    expect(parsePythonLiteral(`{'zebra': 2601, "ospfd": 2604}`)).toEqual({ ok: true, value: { zebra: 2601, ospfd: 2604 } });
    expect(parsePythonLiteral('[1, 2.5, -3, (True, None)]')).toEqual({ ok: true, value: [1, 2.5, -3, [true, null]] });
    expect(parsePythonValue('010')).toBe('010'); // a leading zero is a SyntaxError in Python 3
    expect(parsePythonValue('192.0.2.1')).toBe('192.0.2.1');
    expect(parsePythonValue('Truest')).toBe('Truest');
    expect(parsePythonValue("'quoted'")).toBe('quoted');
    expect(parsePythonValue('{broken')).toBe('{broken');
  });
});

describe('host patterns', () => {
  it('ranges, letters, steps, ports, IPv6', () => {
    expect(expandHostPattern('web[1:3]')).toEqual({ names: ['web1', 'web2', 'web3'], port: null });
    expect(expandHostPattern('r[a:c]-[1:2]:2222')).toEqual({ names: ['ra-1', 'ra-2', 'rb-1', 'rb-2', 'rc-1', 'rc-2'], port: 2222 });
    expect(expandHostPattern('2001:db8::1')).toEqual({ names: ['2001:db8::1'], port: null });
    expect(expandHostPattern('[2001:db8::1]:22')).toEqual({ names: ['2001:db8::1'], port: 22 });
    expect(expandHostPattern('h[5:1]')).toEqual({ error: expect.stringMatching(/begins after it ends/) });
    expect(expandHostPattern('h:99999')).toEqual({ error: expect.stringMatching(/bad port/) });
  });
});

describe('INI odds and ends', () => {
  it('CRLF files, ; comments, spaces around = in vars, the same group in several sections', () => {
    const inv = parseAnsibleInventory('; comment\r\n[lvs]\r\nh1\r\n[lvs:vars]\r\nhas_java = True\r\n[lvs]\r\nh2\r\n', 'c.ini');
    expect([...inv.hosts.keys()]).toEqual(['h1', 'h2']);
    expect(inv.hosts.get('h2')!.vars).toEqual({ has_java: true });
    expect(inv.groups.get('lvs')).toEqual(['h1', 'h2']);
  });

  it('a bad host name or group name is refused at its line', () => {
    expect(() => parseAnsibleInventory('[lvs]\n_bad\n', 'n.ini')).toThrow(/^n\.ini:2:1: _bad: bad host name '_bad'/);
    expect(() => parseAnsibleInventory('[all]\nh1\n[_g]\nh1\n', 'n.ini')).toThrow(/^n\.ini:3:1: \[_g\]: bad group name '_g'/);
  });
});
