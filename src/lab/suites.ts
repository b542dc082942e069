// The routing suites the lab can run on its hosts, as data: where each one is installed, which
// daemons it has (in start order), their ports, and what each host's inventory calls it.

import { LabError } from './errors.js';

export type LabSuite = 'frr' | 'quagga' | 'frr10';
export type LabDaemon = 'zebra' | 'ospfd' | 'mgmtd' | 'staticd';

export const LAB_SUITES: readonly LabSuite[] = ['frr', 'quagga', 'frr10'];

/** The vty ports every suite uses for a daemon (FRR's and Quagga's compiled-in defaults). */
export const DAEMON_PORTS: Readonly<Record<LabDaemon, number>> = { zebra: 2601, ospfd: 2604, staticd: 2616, mgmtd: 2623 };

export interface SuiteSpec {
  suite: LabSuite;
  /** The inventory var `suite` (name-version). */
  label: string;
  title: string;
  /** Directory of the daemon binaries. */
  binDir: string;
  /** Daemons in start order; they stop in the reverse order. */
  daemons: readonly LabDaemon[];
  /** What the first line of `show version` says. */
  version: RegExp;
  /** How to get the suite when it is missing. */
  install: string;
}

export const SUITES: Readonly<Record<LabSuite, SuiteSpec>> = {
  frr: {
    suite: 'frr',
    label: 'frr-8.4.4',
    title: 'FRR 8.4.4 (Debian)',
    binDir: '/usr/lib/frr',
    daemons: ['zebra', 'ospfd'],
    version: /^FRRouting 8\.4\.4 /,
    install: 'apt-get install frr (or bash scripts/setup.sh)',
  },
  quagga: {
    suite: 'quagga',
    label: 'quagga-1.2.4',
    title: 'Quagga 1.2.4',
    binDir: '/opt/quagga-1.2.4/sbin',
    // zebra first: ospfd looks for its -z socket once, at start-up
    daemons: ['zebra', 'ospfd'],
    version: /^Quagga 1\.2\.4 /,
    install: 'bash scripts/setup.sh (builds it from ../shared/suites/quagga-1.2.4)',
  },
  frr10: {
    suite: 'frr10',
    label: 'frr-10.7.0',
    title: 'FRR 10.7.0',
    binDir: '/opt/frr-10/sbin',
    // FRR's own order (tools/frrcommon.sh): mgmtd is the backends' server, so it comes first
    daemons: ['mgmtd', 'zebra', 'ospfd', 'staticd'],
    version: /^FRRouting 10\.7\.0 /,
    install: 'bash scripts/setup.sh (builds it from ../shared/suites/frr-10.7.0)',
  },
};

/** FRR 10's install prefix: mgmtd's sockets and config files live under it whatever the argv says. */
export const FRR10_PREFIX = '/opt/frr-10';

/**
 * Parses `--suite`: one suite, or a comma list cycled over the LVS hosts (`quagga,frr10`).
 * The router r0 always runs Debian's FRR 8.4.4, whatever is asked here.
 */
export function parseSuites(value: string | readonly LabSuite[] | undefined): LabSuite[] {
  if (value === undefined) return ['frr'];
  const names = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [...value];
  if (names.length === 0 || names.some((n) => n.length === 0)) {
    throw new LabError('bad-option', `--suite '${String(value)}': empty suite name; use ${LAB_SUITES.join(', ')} or a comma list of them`);
  }
  for (const name of names) {
    if (!(LAB_SUITES as readonly string[]).includes(name)) {
      throw new LabError('bad-option', `--suite '${String(value)}': unknown suite '${name}'; use ${LAB_SUITES.join(', ')} or a comma list of them (cycled over the LVS hosts)`);
    }
  }
  return names as LabSuite[];
}

/** The suite of LVS host i (1-based): the list cycles. */
export function suiteOfLvs(suites: readonly LabSuite[], i: number): LabSuite {
  return suites[(i - 1) % suites.length] ?? 'frr';
}

export function suiteDaemons(suite: LabSuite): readonly LabDaemon[] {
  return SUITES[suite].daemons;
}

export function daemonPorts(suite: LabSuite): Partial<Record<LabDaemon, number>> {
  return Object.fromEntries(SUITES[suite].daemons.map((d) => [d, DAEMON_PORTS[d]]));
}

/** Every directory a lab daemon binary can come from (stale pid files are trusted only for these). */
export const SUITE_BIN_DIRS: readonly string[] = [...new Set(LAB_SUITES.map((s) => SUITES[s].binDir))];
