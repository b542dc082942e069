// Facts about routing daemons and inventory values that every layer may use without the fleet:
// FRR's standard vty ports and the scalar type of an inventory var.

/** A host var's value (inventory `vars:`); recipes and templates render these. */
export type VarValue = string | number | boolean;

/** FRR's standard vty ports; keys of `ports:` must be one of these daemons. */
export const DAEMON_PORTS: Readonly<Record<string, number>> = {
  zebra: 2601,
  ripd: 2602,
  ripngd: 2603,
  ospfd: 2604,
  bgpd: 2605,
  ospf6d: 2606,
  isisd: 2608,
  babeld: 2609,
  nhrpd: 2610,
  pimd: 2611,
  ldpd: 2612,
  eigrpd: 2613,
  pbrd: 2615,
  staticd: 2616,
  bfdd: 2617,
  fabricd: 2618,
  vrrpd: 2619,
  pathd: 2620,
  mgmtd: 2623,
};
