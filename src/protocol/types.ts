// Shared result and status types: the vocabulary every layer (core, fleet, aggregation, UI) speaks.

/** Final status of one command on one host×daemon. `--json` prints these words. */
export type Status =
  | 'ok'
  | 'error'
  | 'auth-failed'
  | 'no-password'
  | 'unreachable'
  | 'timeout'
  | 'closed'
  // The user cancelled (Ctrl-C): the command never ran, or its session was closed mid-command.
  | 'cancelled'
  // SSH transports: the vty was never reached because SSH itself failed.
  | 'ssh-unreachable'
  | 'ssh-auth-failed'
  | 'host-key';

export const STATUSES: readonly Status[] = [
  'ok',
  'error',
  'auth-failed',
  'no-password',
  'unreachable',
  'timeout',
  'closed',
  'cancelled',
  'ssh-unreachable',
  'ssh-auth-failed',
  'host-key',
];

export type DaemonName = 'zebra' | 'ospfd' | 'ripd' | 'ripngd' | 'bgpd' | 'ospf6d' | 'isisd' | 'staticd' | 'mgmtd';

/** Which routing suite answered, from the banner or `show version`. */
export interface SuiteInfo {
  suite: 'frr' | 'quagga' | 'unknown';
  version: string | null;
}

/** One command's outcome on one host×daemon. A host's failure is data, never an exception. */
export interface CommandResult {
  host: string;
  daemon: string;
  command: string;
  status: Status;
  /** The reply text without the echo and the trailing prompt; `\r\n` turned into `\n`. */
  output: string;
  /** Human-readable reason when status is not ok; never contains a password. */
  error: string | null;
  /** True when the output was cut short (timeout, close) and is only what arrived. */
  partial: boolean;
  /** Mode after the command ran (view, enable, config, config-router, …), if known. */
  mode: string | null;
  elapsedMs: number;
  /** Messages that did not fail the command (the router-id notice, another vty in config mode…). */
  warnings?: string[];
}
