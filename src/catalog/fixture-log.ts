// Reads a recorded vty transcript (jsonl of base64 chunks) back into an exchange log: how the Quagga catalogs are built.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { matchPrompt } from '../protocol/prompt.js';
import { buildCatalog, type Exchange } from './build.js';
import type { DaemonCatalog } from './types.js';

interface Chunk {
  dir: 'in' | 'out';
  text: string;
  eof: boolean;
}

function chunks(jsonl: string, file: string): Chunk[] {
  return jsonl
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = JSON.parse(l) as { dir?: unknown; b64?: unknown; eof?: unknown };
      if ((r.dir !== 'in' && r.dir !== 'out') || typeof r.b64 !== 'string') throw new Error(`${file}:${i + 1}: not a transcript record`);
      return { dir: r.dir, text: Buffer.from(r.b64, 'base64').toString('latin1'), eof: r.eof === true };
    });
}

// Option negotiation sits inside data chunks; a list reply has none, the banner does.
const stripTelnet = (s: string) => s.replace(/\xff\xfa[\s\S]*?\xff\xf0/g, '').replace(/\xff[\xfb-\xfe][\s\S]/g, '').replace(/\xff\xff/g, '\xff');

/** A reply without its first line (the echo) and, when a prompt ended it, the prompt line. */
export function bodyOf(reply: string, promptText: string | null): string {
  const lines = reply.replace(/\r\n/g, '\n').split('\n');
  lines.shift(); // the echo of the command
  if (promptText !== null) lines.pop();
  return lines.join('\n');
}

/** Replays a transcript's client steps: password steps are folded into the command that asked. */
export function exchangesFromTranscript(jsonl: string, file = 'transcript'): Exchange[] {
  const cs = chunks(jsonl, file);
  const steps: Array<{ sent: string; reply: string; eof: boolean }> = [];
  let greeting = '';
  for (const c of cs) {
    if (c.dir === 'out') steps.push({ sent: c.text, reply: '', eof: false });
    else if (steps.length) {
      const s = steps[steps.length - 1]!;
      s.reply += stripTelnet(c.text);
      if (c.eof) s.eof = true;
    } else greeting += stripTelnet(c.text);
  }
  const out: Exchange[] = [];
  let mode: string | null = null;
  let hostname: string | null = null;
  let awaitingPassword = greeting.endsWith('Password: ');
  let asked: Exchange | null = null;
  for (const s of steps) {
    const prompt = matchPrompt(s.reply.replace(/\r\n/g, '\n'), hostname);
    if (awaitingPassword) {
      awaitingPassword = false;
      if (prompt) {
        hostname = prompt.hostname;
        mode = prompt.mode;
        if (asked) asked.after = prompt.mode;
      }
      asked = null;
      continue;
    }
    if (mode === null) throw new Error(`${file}: a command was sent before the login finished`);
    const command = s.sent.replace(/\r?\n$/, '');
    const ex: Exchange = { command, before: mode, after: s.eof ? null : (prompt?.mode ?? mode), output: bodyOf(s.reply, prompt?.text ?? null) };
    out.push(ex);
    if (!prompt && s.reply.endsWith('Password: ')) {
      awaitingPassword = true;
      asked = ex;
      continue;
    }
    if (prompt) {
      hostname = prompt.hostname;
      mode = prompt.mode;
    }
  }
  return out;
}

/** Builds catalogs from a fixture set's flow 18 (`list` in view, enable, config and one sub-node). */
export function catalogsFromFixtures(dir: string): DaemonCatalog[] {
  const files = readdirSync(dir)
    .filter((f) => /^[a-z0-9]+-18-[a-z0-9-]+\.jsonl$/.test(f))
    .sort();
  if (!files.length) throw new Error(`${dir}: no flow 18 transcripts (<daemon>-18-*.jsonl)`);
  return files.map((f) => {
    const text = readFileSync(path.join(dir, f), 'utf8');
    const banner = /Hello, this is (Quagga|FRRouting) \(version ([0-9][0-9.]*)\)/.exec(Buffer.from(text.split('\n')[0] ? (JSON.parse(text.split('\n')[0]!) as { b64: string }).b64 : '', 'base64').toString('latin1'));
    if (!banner) throw new Error(`${f}: no version banner in the first chunk`);
    const suite = banner[1] === 'Quagga' ? 'quagga' : 'frr';
    return buildCatalog({
      suite,
      version: banner[2]!,
      daemon: f.split('-')[0]!,
      source: `recorded: \`list\` outputs of fixture ${f} (flow 18)`,
      exchanges: exchangesFromTranscript(text, f),
    });
  });
}
