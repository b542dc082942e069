// What the guard keeps across restarts, in the state dir (owner-only): maintenance holds set by
// `vtymux guard hold HOST`, and which hosts the guard itself drained per service (so a restart can
// tell its own drains from someone else's). Each file is written whole and renamed into place.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GuardError } from './errors.js';

export interface Hold {
  since: string;
  by: string;
  reason: string | null;
}

export interface GuardMark {
  vip: string;
  since: string;
}

interface HoldsFile {
  hosts: Record<string, Hold>;
}
interface MarksFile {
  services: Record<string, Record<string, GuardMark>>;
}

export class GuardStore {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'guard');
  }

  private ensure(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  private read<T>(name: string, empty: T): T {
    const file = join(this.dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return empty;
      throw new GuardError(`${file}: cannot read (${(e as Error).message})`);
    }
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new GuardError(`${file}: not valid JSON (${(e as Error).message}); fix or remove it`);
    }
  }

  private write(name: string, value: unknown): void {
    this.ensure();
    const file = join(this.dir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value, null, 1) + '\n', { mode: 0o600 });
    renameSync(tmp, file);
  }

  holds(): Record<string, Hold> {
    return this.read<HoldsFile>('holds.json', { hosts: {} }).hosts ?? {};
  }

  hold(host: string, by: string, reason: string | null, now = new Date()): boolean {
    const f = this.read<HoldsFile>('holds.json', { hosts: {} });
    const had = host in f.hosts;
    f.hosts[host] = { since: now.toISOString(), by, reason };
    this.write('holds.json', f);
    return !had;
  }

  release(host: string): boolean {
    const f = this.read<HoldsFile>('holds.json', { hosts: {} });
    if (!(host in f.hosts)) return false;
    delete f.hosts[host];
    this.write('holds.json', f);
    return true;
  }

  /** Hosts the guard drained for a service; a mark for another VIP (the config changed) does not count. */
  marks(service: string, vip: string): Set<string> {
    const f = this.read<MarksFile>('drained.json', { services: {} });
    return new Set(Object.entries(f.services?.[service] ?? {}).filter(([, m]) => m.vip === vip).map(([h]) => h));
  }

  setMark(service: string, vip: string, host: string, drained: boolean, now = new Date()): void {
    const f = this.read<MarksFile>('drained.json', { services: {} });
    f.services ??= {};
    const s = (f.services[service] ??= {});
    if (drained) s[host] = { vip, since: now.toISOString() };
    else delete s[host];
    if (!Object.keys(s).length) delete f.services[service];
    this.write('drained.json', f);
  }
}
