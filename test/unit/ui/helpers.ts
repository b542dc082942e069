// Test doubles for the shell: a fake fleet with scripted answers, members and results builders.
import { EventEmitter } from 'node:events';
import type { FleetEvents, ShellFleetLike } from '../../../src/ui/fleet.js';
import type { MemberView } from '../../../src/ui/state.js';
import type { CommandResult } from '../../../src/protocol/types.js';

export function member(host: string, daemon = 'ospfd', over: Partial<MemberView> = {}): MemberView {
  return { key: `${host}/${daemon}`, host, daemon, kind: 'ready', status: null, error: null, mode: 'enable', hostname: host, command: null, ...over };
}

export function result(host: string, command: string, output: string, over: Partial<CommandResult> = {}): CommandResult {
  return { host, daemon: 'ospfd', command, status: 'ok', output, error: null, partial: false, mode: 'enable', elapsedMs: 1, ...over };
}

export class FakeFleet extends EventEmitter<FleetEvents> implements ShellFleetLike {
  closed = false;
  /** Set by a test to let `:login` log sessions in again. */
  relogin?: ShellFleetLike['relogin'];
  sent: Array<{ lines: string[]; keys: string[] }> = [];
  /** Answer for (member, line); return null to leave the member hanging until cancelled. */
  answer: (m: MemberView, line: string) => Partial<CommandResult> | null = (m, line) => ({ output: `${line} on ${m.daemon}\n` });

  constructor(public list: MemberView[]) {
    super();
  }
  members(): MemberView[] {
    return this.list;
  }
  async broadcast(lines: readonly string[], keys: readonly string[], signal: AbortSignal): Promise<CommandResult[]> {
    this.sent.push({ lines: [...lines], keys: [...keys] });
    const out: CommandResult[] = [];
    const hanging: Array<Promise<void>> = [];
    for (const k of keys) {
      const m = this.list.find((x) => x.key === k)!;
      for (const line of lines) {
        const a = this.answer(m, line);
        if (a === null) {
          hanging.push(new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })));
          continue;
        }
        const r: CommandResult = { host: m.host, daemon: m.daemon, command: line, status: 'ok', output: '', error: null, partial: false, mode: m.mode, elapsedMs: 1, ...a };
        out.push(r);
        this.emit('result', r);
      }
    }
    await Promise.all(hanging);
    return out;
  }
  async connect(): Promise<void> {}
  close(): void {
    this.closed = true;
  }
}
