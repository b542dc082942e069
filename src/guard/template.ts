// Filling a service's check template for one host: the host's address, name, the service's VIP and
// name, and the host's inventory vars (host → groups → defaults, as the inventory folded them).
import type { VarValue } from '../base/daemons.js';
import { closest } from '../base/text.js';
import { fillTemplate } from '../recipe/schema.js';
import type { CheckKind, ServiceConfig } from './config.js';
import { GuardTemplateError } from './errors.js';

export interface TemplateHost {
  name: string;
  address: string;
  vars: Record<string, VarValue>;
}

/** A check ready to run against one host: every template filled. */
export interface RenderedCheck {
  service: string;
  host: string;
  kind: CheckKind;
  /** URL, host:port, the remote command (ssh), or the command line shown in events. */
  target: string;
  argv: string[];
  expectStatus: number[];
  timeoutMs: number;
}

export function renderCheck(service: ServiceConfig, host: TemplateHost): RenderedCheck {
  const builtins: Record<string, string> = { address: host.address, name: host.name, host: host.name, vip: service.vip, service: service.name };
  const lookup = (n: string): string | null => builtins[n] ?? (n in host.vars ? String(host.vars[n]) : null);
  const missing = (n: string): never => {
    const hint = closest(n, [...Object.keys(builtins), ...Object.keys(host.vars)]);
    throw new GuardTemplateError(service.name, host.name, n, `no such name: not address, name, vip or service, and the host has no inventory var '${n}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
  };
  const fill = (s: string) => fillTemplate(s, lookup, missing);
  const c = service.check;
  const argv = c.kind === 'command' ? c.argv.map(fill) : [];
  return {
    service: service.name,
    host: host.name,
    kind: c.kind,
    target: c.kind === 'command' ? argv.join(' ') : fill(c.template),
    argv,
    expectStatus: c.expectStatus,
    timeoutMs: c.timeoutMs,
  };
}
