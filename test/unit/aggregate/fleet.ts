// A ten-host fleet built from recorded FRR output, with hosts made deliberately different.
import type { CommandResult } from '../../../src/protocol/types.js';
import { failure, frr, result, withNeighborTimers } from './fixtures.js';

export const NEIGHBOR = 'show ip ospf neighbor';
export const OSPF = 'show ip ospf';

export const neighborBase = frr('ospfd', 'ip-ospf-neighbor', 'rA', 't1');
/** lvs04 sees one neighbour more than everybody else. */
export const extraNeighborRow =
  '192.0.2.3         1 Full/DROther    3m12s             33.908s 10.99.0.3       aggvA:10.99.0.1                      0     0     0';
export const neighborExtra = neighborBase.replace(/\n\n$/, `\n${extraNeighborRow}\n\n`);
export const notEnabled = '% OSPF is not enabled in vrf default\n';

/**
 * lvs01/lvs07: identical raw text; lvs02/lvs03: same state, other timers; lvs04: an extra
 * neighbour; lvs05: another router's view (Full/DR); lvs06: ospfd answers with an error;
 * lvs08-lvs10: no usable answer at all.
 */
export function neighborFleet(): CommandResult[] {
  return [
    result('lvs05', NEIGHBOR, frr('ospfd', 'ip-ospf-neighbor', 'rB', 't1')),
    result('lvs01', NEIGHBOR, neighborBase),
    result('lvs02', NEIGHBOR, frr('ospfd', 'ip-ospf-neighbor', 'rA', 't2')),
    result('lvs03', NEIGHBOR, withNeighborTimers(neighborBase, '1d02h03m', '35.123s')),
    result('lvs04', NEIGHBOR, neighborExtra),
    result('lvs06', NEIGHBOR, notEnabled, { status: 'error', error: 'OSPF is not enabled' }),
    result('lvs07', NEIGHBOR, neighborBase),
    failure('lvs08', NEIGHBOR, 'timeout', 'no reply within 10 s'),
    failure('lvs09', NEIGHBOR, 'auth-failed', 'password rejected'),
    failure('lvs10', NEIGHBOR, 'unreachable', 'connect ECONNREFUSED 198.51.100.10:2604'),
  ];
}

/** `show ip ospf` on lvs01-lvs04: lvs04 has another router-id. */
export function ospfFleet(): CommandResult[] {
  const a1 = frr('ospfd', 'ip-ospf', 'rA', 't1');
  const a2 = frr('ospfd', 'ip-ospf', 'rA', 't2');
  const otherId = a1.replace('Router ID: 192.0.2.1', 'Router ID: 192.0.2.99');
  return [
    result('lvs01', OSPF, a1),
    result('lvs02', OSPF, a2),
    result('lvs03', OSPF, a1),
    result('lvs04', OSPF, otherId),
  ];
}
