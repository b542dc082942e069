// Telnet option handling as a byte-level state machine that survives arbitrary chunking.
//
// Why our own: FRR puts its option requests in the middle of a data chunk (after the banner,
// before `Password: `), and its own option parser is naive (it skips two bytes after any IAC
// but SB/SE). So we must parse across chunk boundaries, answer every option of a chunk in ONE
// write (a split reply leaks its last byte into the vty as input), never send NOP and never a
// lone 0xFF.

export const IAC = 0xff;
export const DONT = 0xfe;
export const DO = 0xfd;
export const WONT = 0xfc;
export const WILL = 0xfb;
export const SB = 0xfa;
export const SE = 0xf0;

export const OPT_ECHO = 0x01;
export const OPT_SGA = 0x03;
export const OPT_NAWS = 0x1f;
export const OPT_LINEMODE = 0x22;

type ParserState = 'data' | 'iac' | 'option' | 'sb' | 'sb-iac';

export interface TelnetState {
  readonly mode: ParserState;
  /** The verb (WILL/WONT/DO/DONT) waiting for its option byte. */
  readonly verb: number;
  /** Options we already answered, so a repeated request gets no second answer (RFC 854 loop rule). */
  readonly answered: ReadonlySet<string>;
}

export interface TelnetOutput {
  state: TelnetState;
  /** Application bytes with every telnet command removed and IAC IAC turned into 0xFF. */
  data: Buffer;
  /** Replies to send, already concatenated so the caller writes them in one call; empty if none. */
  reply: Buffer;
  /** Options the peer asked for in this chunk, for transcripts and tests. */
  negotiated: Array<{ verb: 'WILL' | 'WONT' | 'DO' | 'DONT'; option: number }>;
}

export function initialTelnetState(): TelnetState {
  return { mode: 'data', verb: 0, answered: new Set() };
}

const VERB_NAMES: Record<number, 'WILL' | 'WONT' | 'DO' | 'DONT'> = {
  [WILL]: 'WILL',
  [WONT]: 'WONT',
  [DO]: 'DO',
  [DONT]: 'DONT',
};

/**
 * Our policy: let the server echo and suppress go-ahead (that is how the vty works anyway),
 * refuse every option we would have to perform ourselves. WONT NAWS matters most: a window
 * size is what turns FRR's pager on.
 */
export function answerOption(verb: number, option: number): Buffer | null {
  if (verb === WILL) {
    return Buffer.from([IAC, option === OPT_ECHO || option === OPT_SGA ? DO : DONT, option]);
  }
  if (verb === DO) return Buffer.from([IAC, WONT, option]);
  // WONT/DONT describe a state we are already in (we enable nothing): no answer, no loop.
  return null;
}

/** Feeds one received chunk; returns the data bytes and the replies for this chunk. */
export function feedTelnet(state: TelnetState, chunk: Uint8Array): TelnetOutput {
  // Almost every chunk is plain data: hand it through without copying a byte.
  if (state.mode === 'data' && chunk.indexOf(IAC) === -1) {
    return { state, data: Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), reply: EMPTY, negotiated: NONE };
  }
  return feedCommands(state, chunk);
}

/**
 * A chunk with telnet commands in it (the greeting, mostly). Apart from the fast path above so
 * the function every chunk goes through stays small: V8 optimises it early in a fan-out, and its
 * compile time grows with everything inlined into it.
 */
function feedCommands(state: TelnetState, chunk: Uint8Array): TelnetOutput {
  let mode = state.mode;
  let verb = state.verb;
  let answered = state.answered;
  // The set is copied at most once per chunk (FRR asks for four options in its greeting).
  let own: Set<string> | null = null;
  // Data is collected as runs between telnet commands, found with a native scan for the next
  // IAC: the loop below only steps through the few bytes of the commands themselves (a greeting
  // is ~170 bytes of banner around 12 bytes of options).
  const runs: Uint8Array[] = [];
  const replies: Buffer[] = [];
  const negotiated: TelnetOutput['negotiated'] = [];

  let i = 0;
  while (i < chunk.length) {
    if (mode === 'data' || mode === 'sb') {
      const at = chunk.indexOf(IAC, i);
      const end = at === -1 ? chunk.length : at;
      if (mode === 'data' && end > i) runs.push(chunk.subarray(i, end));
      if (at === -1) break;
      mode = mode === 'data' ? 'iac' : 'sb-iac';
      i = at + 1;
      continue;
    }
    const b = chunk[i]!;
    i++;
    switch (mode) {
      case 'iac':
        if (b === IAC) {
          runs.push(LITERAL_IAC);
          mode = 'data';
        } else if (b === WILL || b === WONT || b === DO || b === DONT) {
          verb = b;
          mode = 'option';
        } else if (b === SB) {
          mode = 'sb';
        } else {
          // NOP, GA, AYT, …: single-byte commands carry no data; drop them.
          mode = 'data';
        }
        break;
      case 'option': {
        negotiated.push({ verb: VERB_NAMES[verb]!, option: b });
        const key = `${verb}:${b}`;
        if (!answered.has(key)) {
          const reply = answerOption(verb, b);
          if (reply) {
            replies.push(reply);
            if (!own) answered = own = new Set(answered);
            own.add(key);
          }
        }
        mode = 'data';
        break;
      }
      case 'sb-iac':
        // IAC SE ends the subnegotiation; IAC IAC inside it is an escaped data byte of the SB.
        mode = b === SE ? 'data' : 'sb';
        break;
    }
  }
  return {
    state: { mode, verb, answered },
    data: Buffer.concat(runs),
    reply: replies.length ? Buffer.concat(replies) : EMPTY,
    negotiated,
  };
}

const EMPTY = Buffer.alloc(0);
/** No option asked for (shared by every plain chunk; frozen, so no caller can add to it). */
const NONE = Object.freeze([]) as unknown as TelnetOutput['negotiated'];
const LITERAL_IAC = Uint8Array.of(IAC);

/**
 * Encodes a line for the vty. Commands are validated to printable ASCII before they get here,
 * so 0xFF can only come from a bug; refuse it rather than risk a lone IAC on the wire.
 */
export function encodeLine(line: string): Buffer {
  const buf = Buffer.from(line + '\n', 'latin1');
  if (buf.includes(IAC)) throw new Error('refusing to send byte 0xFF on a vty');
  return buf;
}
