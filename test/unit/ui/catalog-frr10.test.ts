// The shell's `?` and routing on FRR 10.7.0 hosts come from the FRR 10 catalogs: under `interface`,
// mgmtd owns `ip address` (zebra has no interface node there), ospfd owns `ip ospf …`.
import { describe, expect, it } from 'vitest';
import { catalogPort } from '../../../src/ui/catalog-adapter.js';

describe('the shell catalog on FRR 10.7.0', () => {
  const port = catalogPort(() => [{ suite: 'frr', version: '10.7.0' }]);

  it('? under interface names mgmtd as the owner of ip address and ospfd of ip ospf', () => {
    expect(port.source).toMatch(/^frr-10\.7\.0 command catalog/);
    const help = port.help('config-if', 'ip ');
    expect(help.find((h) => h.word === 'address')?.help).toBe('mgmtd');
    expect(help.find((h) => h.word === 'ospf')?.help).toBe('ospfd');
  });

  it('routes the lines to those owners', () => {
    expect(port.owners('config-if', 'ip address 192.0.2.100/32')).toEqual(['mgmtd']);
    expect(port.owners('config-if', 'ip ospf cost 10')).toEqual(['ospfd']);
    expect(port.owners('config', 'interface lo')?.sort()).toEqual(['mgmtd', 'ospfd']);
  });

  it('on FRR 8.4.4 the same address belongs to zebra', () => {
    const old = catalogPort(() => [{ suite: 'frr', version: '8.4.4' }]);
    expect(old.owners('config-if', 'ip address 192.0.2.100/32')).toEqual(['zebra']);
  });
});
