// Replays a recorded vty transcript through the pure session core and checks that the core
// writes what the recording client wrote, at the same points of the conversation.
import { initialSession, step, type SessionConfig, type SessionEffect, type SessionState } from '../../src/protocol/session.js';
import type { TranscriptEvent } from './transcript.js';

type ResultEffect = Extract<SessionEffect, { type: 'result' }>;

export interface ReplayOutcome {
  state: SessionState;
  effects: SessionEffect[];
  results: ResultEffect[];
  /** Non-telnet bytes the core wrote, in order. */
  writes: string[];
  /** Recorded client writes the core never made (because it stopped earlier, on purpose). */
  unsent: string[];
  ready: Extract<SessionEffect, { type: 'ready' }> | null;
  ended: Extract<SessionEffect, { type: 'ended' }> | null;
}

const isTelnetReply = (b: Buffer) => b.length > 0 && b[0] === 0xff;

/**
 * follow: every recorded client write must be produced by the core, either on its own (login,
 * enable, passwords) or as the command the harness sends when the core is ready.
 * Stops when the core disconnects; the recorded writes it never made are returned as `unsent`.
 */
export function replayFollow(events: TranscriptEvent[], config: Partial<SessionConfig>): ReplayOutcome {
  let state = initialSession(config);
  const all: SessionEffect[] = [];
  const writes: string[] = [];
  const pending: string[] = [];
  let nextId = 1;
  const apply = (ev: Parameters<typeof step>[1]) => {
    const r = step(state, ev);
    state = r.state;
    for (const e of r.effects) {
      all.push(e);
      if (e.type === 'write' && !isTelnetReply(e.bytes)) {
        writes.push(e.bytes.toString('latin1'));
        pending.push(e.bytes.toString('latin1'));
      }
    }
  };
  apply({ type: 'connected' });
  const unsent: string[] = [];
  for (const ev of events) {
    if (state.phase === 'closed') {
      if (ev.dir === 'out' && !ev.close) unsent.push(ev.bytes.toString('latin1'));
      continue;
    }
    if (ev.dir === 'in') {
      if (ev.eof) apply({ type: 'eof' });
      else apply({ type: 'data', bytes: ev.bytes });
      continue;
    }
    if (ev.close) break;
    const recorded = ev.bytes.toString('latin1');
    if (pending.length) {
      const mine = pending.shift()!;
      if (mine !== recorded) throw new Error(`core wrote ${JSON.stringify(mine)} where the recording has ${JSON.stringify(recorded)}`);
      continue;
    }
    if (recorded === '\0') {
      // The recording's keepalive: the core sends the same lone NUL on its idle tick.
      apply({ type: 'keepalive' });
      const mine = pending.shift();
      if (mine !== recorded) throw new Error(`core keepalive wrote ${JSON.stringify(mine)}, recording has a lone NUL`);
      continue;
    }
    if (state.phase !== 'ready') {
      throw new Error(`recording sends ${JSON.stringify(recorded)} but the core is in phase ${state.phase} and wrote nothing`);
    }
    apply({ type: 'send', id: nextId++, command: recorded.replace(/\n$/, '') });
    const mine = pending.shift();
    if (mine !== recorded) throw new Error(`core wrote ${JSON.stringify(mine)} for command ${JSON.stringify(recorded)}`);
  }
  return {
    state,
    effects: all,
    results: all.filter((e): e is ResultEffect => e.type === 'result'),
    writes,
    unsent,
    ready: (all.find((e) => e.type === 'ready') as ReplayOutcome['ready']) ?? null,
    ended: (all.find((e) => e.type === 'ended') as ReplayOutcome['ended']) ?? null,
  };
}

/** Feeds every received chunk, ignoring what the recording client sent; for flows whose client misbehaves on purpose. */
export function replayFeed(events: TranscriptEvent[], config: Partial<SessionConfig>): ReplayOutcome {
  let state = initialSession(config);
  const all: SessionEffect[] = [];
  const run = (ev: Parameters<typeof step>[1]) => {
    const r = step(state, ev);
    state = r.state;
    all.push(...r.effects);
  };
  run({ type: 'connected' });
  for (const ev of events) {
    if (ev.dir !== 'in' || state.phase === 'closed') continue;
    if (ev.eof) run({ type: 'eof' });
    else run({ type: 'data', bytes: ev.bytes });
  }
  const writes = all.filter((e): e is Extract<SessionEffect, { type: 'write' }> => e.type === 'write' && !isTelnetReply(e.bytes)).map((e) => e.bytes.toString('latin1'));
  return {
    state,
    effects: all,
    results: all.filter((e): e is ResultEffect => e.type === 'result'),
    writes,
    unsent: [],
    ready: (all.find((e) => e.type === 'ready') as ReplayOutcome['ready']) ?? null,
    ended: (all.find((e) => e.type === 'ended') as ReplayOutcome['ended']) ?? null,
  };
}
