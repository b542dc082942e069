// The raw floor: a minimal parallel raw-socket vty client written for the benchmark.
// Login, enable, `terminal length 0`, then the commands one at a time, each ended by the prompt;
// nothing else (no telnet negotiation answers, no pager handling, no result objects, no timers
// but one overall deadline). `terminal length 0` is not optional: without it FRR 8.4 stalls a
// reply at ~64 KB (FRR asks for NAWS and the client never answers), so `show running-config` of
// a big config never completes.
import net from 'node:net';

const IAC = 0xff;

/** Drops telnet IAC sequences (FRR sends WILL ECHO / WILL SGA / DONT LINEMODE at connect only). */
function stripIac(buf) {
  if (buf.indexOf(IAC) === -1) return buf.toString('latin1');
  const out = [];
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b !== IAC) { out.push(b); continue; }
    const cmd = buf[i + 1];
    if (cmd === 0xfa) { // subnegotiation: skip to IAC SE
      let j = i + 2;
      while (j < buf.length - 1 && !(buf[j] === IAC && buf[j + 1] === 0xf0)) j++;
      i = j + 1;
    } else if (cmd >= 0xfb) i += 2; else i += 1;
  }
  return Buffer.from(out).toString('latin1');
}

/**
 * One host: resolves { host, outputs: string[], error? }. `commands` are sent in order after
 * login+enable, each when the previous one's prompt arrived.
 */
export function rawHost(ep, commands, { password, enablePassword, timeoutMs = 30_000 }) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: ep.address, port: ep.port });
    sock.setNoDelay(true);
    let phase = 0; // 0 password, 1 login prompt, 2 enable password, 3 enable prompt, 5 terminal length, 4 commands
    let tail = '';
    let chunks = [];
    let host = null;
    let idx = 0;
    const outputs = [];
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(error ? { host: ep.name, outputs, error } : { host: ep.name, outputs });
    };
    const timer = setTimeout(() => finish(`timeout in phase ${phase}`), timeoutMs);
    const send = (line) => sock.write(line + '\n');
    const atPrompt = () => {
      // the prompt is the last line: HOST> , HOST# , HOST(node)#
      if (!(tail.endsWith('# ') || tail.endsWith('> '))) return false;
      const nl = tail.lastIndexOf('\n');
      const line = nl === -1 ? tail : tail.slice(nl + 1);
      if (host === null) {
        host = line.slice(0, -2);
        return true;
      }
      return line.startsWith(host) && (line.length === host.length + 2 || line.charCodeAt(host.length) === 40 /* ( */);
    };
    sock.on('data', (buf) => {
      const text = phase < 2 ? stripIac(buf) : buf.toString('latin1');
      tail = (tail + text).slice(-256);
      if (phase === 4) chunks.push(text);
      switch (phase) {
        case 0:
          if (tail.endsWith('Password: ')) { phase = 1; tail = ''; send(password); }
          return;
        case 1:
          if (tail.endsWith('Password: ')) return finish('password rejected');
          if (atPrompt()) { phase = 2; tail = ''; send('enable'); }
          return;
        case 2:
          if (tail.endsWith('Password: ')) { phase = 3; tail = ''; send(enablePassword); }
          else if (tail.endsWith('# ') && atPrompt()) { phase = 5; tail = ''; send('terminal length 0'); }
          return;
        case 3:
          if (tail.endsWith('Password: ')) return finish('enable password rejected');
          if (atPrompt()) { phase = 5; tail = ''; send('terminal length 0'); }
          return;
        case 5:
          if (atPrompt()) { phase = 4; tail = ''; next(); }
          return;
        case 4:
          if (atPrompt()) {
            const all = chunks.join('');
            const start = all.indexOf('\n') + 1; // after the echo line
            const end = all.lastIndexOf('\n') + 1; // before the prompt
            outputs.push(all.slice(start, Math.max(start, end)).replace(/\r\n/g, '\n').replace(/\n$/, ''));
            chunks = [];
            tail = '';
            next();
          }
          return;
      }
    });
    const next = () => {
      if (idx >= commands.length) return finish(null);
      send(commands[idx++]);
    };
    sock.on('error', (e) => finish(e.message));
    sock.on('close', () => finish(`closed in phase ${phase}`));
  });
}

/** Sliding window of `fanout` hosts; results in endpoint order. */
export async function rawFleet(endpoints, commands, opts) {
  const out = new Array(endpoints.length);
  let next = 0;
  const width = Math.max(1, Math.min(opts.fanout ?? 256, endpoints.length));
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < endpoints.length) {
        const i = next++;
        out[i] = await rawHost(endpoints[i], commands, opts);
      }
    }),
  );
  return out;
}

/**
 * Setup helper (not measured): pastes many config lines in one write, then waits for a marker
 * echoed back after them. Used to give daemons big configs quickly.
 */
export function rawPaste(ep, lines, { password, enablePassword, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    const marker = `bench-done-${Math.random().toString(36).slice(2)}`;
    const sock = net.connect({ host: ep.address, port: ep.port });
    let phase = 0;
    let tail = '';
    let errors = 0;
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`${ep.name}: paste timed out in phase ${phase}`)); }, timeoutMs);
    sock.on('data', (buf) => {
      const text = stripIac(buf);
      if (phase === 3) {
        // count vty errors as they stream past
        for (let at = text.indexOf('% '); at !== -1; at = text.indexOf('% ', at + 2)) errors++;
      }
      tail = (tail + text).slice(-512);
      if (phase === 0 && tail.endsWith('Password: ')) { phase = 1; tail = ''; sock.write(password + '\n'); }
      else if (phase === 1 && tail.endsWith('> ')) { phase = 2; tail = ''; sock.write('enable\n'); }
      else if (phase === 2 && tail.endsWith('Password: ')) { tail = ''; sock.write(enablePassword + '\n'); }
      else if (phase === 2 && tail.endsWith('# ')) {
        phase = 3; tail = '';
        // no `terminal length 0` needed: the paste's own output is only errors and the marker
        sock.write(['configure terminal', ...lines, 'end', `echo ${marker}`, ''].join('\n'));
      } else if (phase === 3 && tail.includes(`\n${marker}\r\n`) && tail.endsWith('# ')) {
        clearTimeout(timer);
        sock.destroy();
        resolve({ host: ep.name, errors });
      }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(new Error(`${ep.name}: ${e.message}`)); });
  });
}
