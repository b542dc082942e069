// A deliberately tiny raw vty client for lab tests, independent of the product's session engine.

import { connect, type Socket } from 'node:net';

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;

/** Minimal telnet filter: drops option sequences (FRR echoes input itself, so answering nothing is fine). */
class TelnetFilter {
  private state: 'data' | 'iac' | 'opt' | 'sb' | 'sb-iac' = 'data';

  feed(chunk: Buffer): string {
    const out: number[] = [];
    for (const byte of chunk) {
      switch (this.state) {
        case 'data':
          if (byte === IAC) this.state = 'iac';
          else out.push(byte);
          break;
        case 'iac':
          if (byte === IAC) {
            out.push(IAC);
            this.state = 'data';
          } else if (byte === SB) this.state = 'sb';
          else if (byte >= 0xfb) this.state = 'opt';
          else this.state = 'data';
          break;
        case 'opt':
          this.state = 'data';
          break;
        case 'sb':
          if (byte === IAC) this.state = 'sb-iac';
          break;
        case 'sb-iac':
          this.state = byte === SE ? 'data' : 'sb';
          break;
      }
    }
    return Buffer.from(out).toString('latin1');
  }
}

export interface LabVtyOptions {
  address: string;
  port: number;
  password: string;
  enablePassword?: string;
  timeoutMs?: number;
}

export class LabVty {
  private buffer = '';
  private closed = false;
  private waiter: (() => void) | null = null;
  hostname = '';

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    const filter = new TelnetFilter();
    socket.on('data', (chunk: Buffer) => {
      this.buffer += filter.feed(chunk);
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  static connect(address: string, port: number, timeoutMs = 5000): Promise<LabVty> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: address, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect ${address}:${port} timed out`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new LabVty(socket, timeoutMs));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`connect ${address}:${port}: ${error.message}`));
      });
    });
  }

  /** Resolves with everything up to and including the first match of `pattern` at the end of the buffer. */
  private expect(pattern: RegExp, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.buffer.slice(-200))}`));
      }, this.timeoutMs);
      const check = (): void => {
        const match = pattern.exec(this.buffer);
        if (match) {
          clearTimeout(timer);
          this.waiter = null;
          const upTo = match.index + match[0].length;
          const text = this.buffer.slice(0, upTo);
          this.buffer = this.buffer.slice(upTo);
          resolve(text);
        } else if (this.closed) {
          clearTimeout(timer);
          this.waiter = null;
          reject(new Error(`connection closed while waiting for ${what}; got ${JSON.stringify(this.buffer.slice(-200))}`));
        }
      };
      this.waiter = check;
      check();
    });
  }

  private async expectPrompt(): Promise<string> {
    // once the hostname is known, insist on it so a `# ` at the end of an output chunk is not mistaken for a prompt
    const name = this.hostname ? this.hostname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '[^\r\n]*?';
    const text = await this.expect(new RegExp(`(?:^|\n)${name}(\\([a-z0-9-]+\\))?[>#] $`), 'a prompt');
    const match = /([^\r\n]*?)(\([a-z0-9-]+\))?[>#] $/.exec(text);
    this.hostname = match?.[1] ?? '';
    return text;
  }

  /** Logs in; returns 'ok' or 'auth-failed' (wrong password gets a second `Password: ` prompt). */
  async login(password: string): Promise<'ok' | 'auth-failed'> {
    await this.expect(/Password: $/, 'the password prompt');
    this.socket.write(`${password}\n`);
    const reply = await this.expect(/(Password: |[>#] )$/, 'a prompt after the password');
    if (reply.endsWith('Password: ')) return 'auth-failed';
    const match = /([^\r\n]*?)(\([a-z0-9-]+\))?[>#] $/.exec(reply);
    this.hostname = match?.[1] ?? '';
    return 'ok';
  }

  async enable(enablePassword: string): Promise<void> {
    this.socket.write('enable\n');
    const reply = await this.expect(/(Password: |[>#] )$/, 'enable reply');
    if (reply.endsWith('Password: ')) {
      this.socket.write(`${enablePassword}\n`);
      const after = await this.expectPrompt();
      if (!after.endsWith('# ')) throw new Error('enable password refused');
    }
  }

  /** Runs one command and returns its output without echo and prompt. */
  async command(line: string): Promise<string> {
    this.socket.write(`${line}\n`);
    const text = await this.expectPrompt();
    const lines = text.split('\r\n');
    return lines.slice(1, -1).join('\n');
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}

/** Connects, logs in, optionally enables, turns the pager off: ready for `command`. */
export async function openLabVty(opts: LabVtyOptions): Promise<LabVty> {
  const vty = await LabVty.connect(opts.address, opts.port, opts.timeoutMs);
  try {
    if ((await vty.login(opts.password)) !== 'ok') throw new Error(`password refused by ${opts.address}:${opts.port}`);
    if (opts.enablePassword !== undefined) await vty.enable(opts.enablePassword);
    await vty.command('terminal length 0');
    return vty;
  } catch (error) {
    vty.close();
    throw error;
  }
}
