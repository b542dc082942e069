// Contract: what `vtymux lab inventory` / `lab farm inventory` generate must load in the fleet parser.
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../../src/fleet/inventory.js';
import { farmInventoryYaml, labInventoryYaml } from '../../../src/lab/index.js';
import { resolveTargets } from '../../../src/fleet/targets.js';

describe('lab-generated inventories', () => {
  it('lab: routers and LVS hosts with vars', () => {
    const text = labInventoryYaml({
      name: 'lab',
      mgmt: '10.99.0.0/24',
      lan: '10.98.0.0/24',
      stateDir: '/tmp/x',
      createdAt: '2024-01-01T00:00:00Z',
      hosts: [
        { name: 'r1', role: 'router', namespace: 'ns-r1', mgmtAddress: '10.99.0.2', lanAddress: '10.98.0.1', lanInterface: 'lan0', ports: { zebra: 2601, ospfd: 2604 } },
        { name: 'lvs01', role: 'lvs', namespace: 'ns-l1', mgmtAddress: '10.99.0.3', lanAddress: '10.98.0.11', lanInterface: 'lan0', ports: { zebra: 2601, ospfd: 2604 }, vip: '192.0.2.11/32' },
      ],
    });
    const inv = parseInventory(text, 'lab.yaml');
    const l = inv.hosts.get('lvs01')!;
    expect(l).toMatchObject({ address: '10.99.0.3', groups: ['lvs'], ports: { zebra: 2601, ospfd: 2604 } });
    expect(l.vars).toMatchObject({ role: 'lvs', vip: '192.0.2.11', area: 0 });
    expect(resolveTargets('@routers', inv).map((h) => h.name)).toEqual(['r1']);
  });

  it('farm: ospfd-only endpoints on their own ports', () => {
    const text = farmInventoryYaml({
      name: 'farm',
      namespace: 'ns-farm',
      prefix: '10.97.0.0/24',
      rootAddress: '10.97.0.1',
      address: '10.97.0.2',
      stateDir: '/tmp/x',
      createdAt: '2024-01-01T00:00:00Z',
      endpoints: [
        { name: 'ospf001', address: '10.97.0.2', port: 3001 },
        { name: 'ospf002', address: '10.97.0.2', port: 3002 },
      ],
    });
    const inv = parseInventory(text, 'farm.yaml');
    expect(inv.hosts.get('ospf002')!.ports).toEqual({ ospfd: 3002 });
    expect(resolveTargets('@farm', inv)).toHaveLength(2);
  });
});
