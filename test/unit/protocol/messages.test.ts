import { describe, expect, it } from 'vitest';
import data from '../../../src/data/vty-messages.json' with { type: 'json' };
import redactData from '../../../src/data/redact.json' with { type: 'json' };
import { classifyLine, classifyOutput } from '../../../src/protocol/messages.js';
import { redactMessage, redactSecrets } from '../../../src/protocol/redact.js';

describe('vty message data', () => {
  it.each(data.messages.map((m) => [m.id, m.example, m.kind] as const))('%s: its example classifies as itself', (id, example, kind) => {
    expect(classifyLine(example)).toEqual({ id, kind, line: example });
  });

  it('ordinary output is not an error', () => {
    for (const line of ['hostname q1', ' network 203.0.113.0/24 area 0', 'Neighbor ID     Pri State', '']) {
      expect(classifyLine(line)).toBeNull();
    }
  });

  it('finds the error line inside a multi-line reply and keeps warnings apart', () => {
    const out = 'For this router-id change to take effect, use "clear ip ospf process" command\n% [OSPF] Unknown command: ip ospf cost 70000';
    expect(classifyOutput(out).map((c) => c.id)).toEqual(['router-id-clear', 'unknown-command']);
  });
});

describe('redaction data', () => {
  it.each(redactData.patterns.map((p) => [p.name, p.example, p.expect] as const))('%s', (_name, example, expected) => {
    expect(redactSecrets(example)).toBe(expected);
  });

  it.each(redactData.messagesMustSurvive)('leaves prose in our own messages alone: %s', (text) => {
    expect(redactMessage(text)).toBe(text);
  });

  it('still masks an echoed password command in a message', () => {
    expect(redactMessage('% [ZEBRA] Unknown command: enable password hunter2')).toBe('% [ZEBRA] Unknown command: enable password [redacted]');
  });

  it('masks password lines inside a whole running-config', () => {
    const run = 'hostname q1\npassword zebra\nenable password zebra2\n!\nline vty\n';
    expect(redactSecrets(run)).toBe('hostname q1\npassword [redacted]\nenable password [redacted]\n!\nline vty\n');
  });

  it('keeps command syntax from list and ? output readable', () => {
    for (const line of ['  ip ospf authentication-key AUTH_KEY', '  password [(8-8)] WORD', '  ip ospf message-digest-key (1-255) md5 KEY', '  key-string LINE...']) {
      expect(redactSecrets(line)).toBe(line);
    }
  });

  it('masks known secrets wherever they appear', () => {
    expect(redactSecrets('% [ZEBRA] Unknown command: s3cret-pw', ['s3cret-pw'])).toBe('% [ZEBRA] Unknown command: [redacted]');
  });
});
