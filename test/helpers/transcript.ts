// Loads the recorded vty transcripts (jsonl + flows.json) of the Quagga and FRR fixture sets.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type TranscriptSuite = 'frr-8.4.4' | 'quagga-1.2.4' | 'quagga-1.2.4-live' | 'frr-10.7.0';

/** One recorded event: an `in` is one recv() chunk (server to client), an `out` one send(). */
export interface TranscriptEvent {
  dir: 'in' | 'out';
  /** Milliseconds since connect() began (concurrent sessions of one flow share an origin). */
  tMs: number;
  bytes: Buffer;
  /** Marker on an `in` event with no bytes: the server closed (recv returned 0). */
  eof?: boolean;
  /** Marker on an `out` event with no bytes: the client closed first. */
  close?: boolean;
}

/** One entry of a fixture set's flows.json. */
export interface FlowEntry {
  file: string;
  text: string;
  daemon: 'zebra' | 'ospfd' | 'mgmtd' | 'staticd';
  port: number;
  flow: string;
  config: string;
  what: string;
  client_steps: string[];
  bytes_in: number;
  bytes_out: number;
  server_closed: boolean;
}

/** A malformed fixture, named by file and line so the broken record can be found. */
export class TranscriptFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'TranscriptFormatError';
  }
}

// test/helpers/ -> repo root; shared/ sits beside the repo (CI clones the repo under another name).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function fixturesDir(suite: TranscriptSuite): string {
  // the seed's Quagga recordings live in shared/; every set recorded by scripts/record-transcripts.mjs is in the repo
  return suite === 'quagga-1.2.4'
    ? path.resolve(repoRoot, '..', 'shared', 'fixtures', 'quagga-1.2.4')
    : path.join(repoRoot, 'test', 'fixtures', suite);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function parseRecord(file: string, line: number, text: string): TranscriptEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new TranscriptFormatError(file, line, `not JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TranscriptFormatError(file, line, 'record is not an object');
  }
  const r = raw as Record<string, unknown>;
  if (r.dir !== 'in' && r.dir !== 'out') throw new TranscriptFormatError(file, line, `bad dir ${JSON.stringify(r.dir)}`);
  if (typeof r.t_ms !== 'number' || !Number.isFinite(r.t_ms) || r.t_ms < 0) {
    throw new TranscriptFormatError(file, line, `bad t_ms ${JSON.stringify(r.t_ms)}`);
  }
  if (typeof r.b64 !== 'string' || r.b64.length % 4 !== 0 || !BASE64.test(r.b64)) {
    throw new TranscriptFormatError(file, line, 'bad b64');
  }
  const event: TranscriptEvent = { dir: r.dir, tMs: r.t_ms, bytes: Buffer.from(r.b64, 'base64') };
  if (r.eof !== undefined) {
    if (r.eof !== true || r.dir !== 'in' || event.bytes.length) throw new TranscriptFormatError(file, line, 'eof marker must be an empty in record');
    event.eof = true;
  }
  if (r.close !== undefined) {
    if (r.close !== true || r.dir !== 'out' || event.bytes.length) throw new TranscriptFormatError(file, line, 'close marker must be an empty out record');
    event.close = true;
  }
  if (!event.eof && !event.close && event.bytes.length === 0) throw new TranscriptFormatError(file, line, 'empty data record');
  return event;
}

/** Parses one `<daemon>-<NN>-<flow>.jsonl` file; throws TranscriptFormatError on a bad record. */
export function loadTranscript(file: string): TranscriptEvent[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const events: TranscriptEvent[] = [];
  lines.forEach((text, i) => {
    if (text.trim() !== '') events.push(parseRecord(file, i + 1, text));
  });
  return events;
}

function isFlowEntry(v: unknown): v is FlowEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.file === 'string' && typeof e.text === 'string'
    && (e.daemon === 'zebra' || e.daemon === 'ospfd' || e.daemon === 'mgmtd' || e.daemon === 'staticd') && typeof e.port === 'number'
    && typeof e.flow === 'string' && typeof e.config === 'string' && typeof e.what === 'string'
    && Array.isArray(e.client_steps) && e.client_steps.every((s) => typeof s === 'string')
    && typeof e.bytes_in === 'number' && typeof e.bytes_out === 'number' && typeof e.server_closed === 'boolean';
}

/** Reads `<dir>/flows.json`, checking the shape of every entry. */
export function listFlows(dir: string): FlowEntry[] {
  const file = path.join(dir, 'flows.json');
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(raw)) throw new TranscriptFormatError(file, 1, 'flows.json is not an array');
  return raw.map((entry, i) => {
    if (!isFlowEntry(entry)) throw new TranscriptFormatError(file, 1, `entry ${i} is not a flow entry`);
    return entry;
  });
}

/** Concatenated bytes of one direction, markers excluded. */
export function bytesOf(events: TranscriptEvent[], dir: 'in' | 'out'): Buffer {
  return Buffer.concat(events.filter((e) => e.dir === dir).map((e) => e.bytes));
}
