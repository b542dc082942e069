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

describe('redaction needles', () => {
  it.each(redactData.patterns.map((p) => [p.name, p.pattern, p.needle, p.example] as const))(
    '%s: every match holds its needle',
    (_name, pattern, needle, example) => {
      // The literal scan passes text without a needle through untouched, so a pattern must not
      // match once its needle is gone: here, the example with the needle's first letter changed.
      expect(example).toContain(needle);
      expect(new RegExp(pattern, 'm').test(example)).toBe(true);
      const broken = example.split(needle).join(needle[0] === 'x' ? `y${needle.slice(1)}` : `x${needle.slice(1)}`);
      expect(new RegExp(pattern, 'm').test(broken)).toBe(false);
    },
  );

  it('text without a needle or a known secret comes back as the same string', () => {
    const big = ' neighbor 203.0.113.9 priority 1 poll-interval 60\r\n'.repeat(3000);
    expect(redactSecrets(big, ['s3cret-pw'])).toBe(big);
    expect(redactMessage(big, ['s3cret-pw'])).toBe(big);
  });

  it('a known secret alone is found and masked, with regex characters in it', () => {
    const known = ['a.b*c(d)[e]$'];
    expect(redactSecrets('x a.b*c(d)[e]$ y', known)).toBe('x [redacted] y');
    expect(redactSecrets('x aXb*c(d)[e]$ y', known)).toBe('x aXb*c(d)[e]$ y');
    expect(redactMessage('login with a.b*c(d)[e]$ failed', known)).toBe('login with [redacted] failed');
  });

  it('the same secrets array and a different one with the same values agree', () => {
    const a = ['pw-one', 'pw-two'];
    expect(redactSecrets('pw-two', a)).toBe('[redacted]');
    expect(redactSecrets('pw-one', [...a])).toBe('[redacted]');
    expect(redactSecrets('pw-three', ['pw-three'])).toBe('[redacted]');
    expect(redactSecrets('pw-three', a)).toBe('pw-three');
  });
});

describe('redaction by lines agrees with masking the whole text', () => {
  // The whole-text form it replaced: every known secret, then every rule over all of the text.
  function wholeText(text: string, known: readonly string[], scope: 'config' | 'any'): string {
    let out = text;
    for (const k of known) if (k.length >= 3) out = out.split(k).join('[redacted]');
    for (const p of redactData.patterns) {
      if (scope === 'any' && p.scope !== 'any') continue;
      out = out.replace(new RegExp(p.pattern, 'gm'), (whole: string, keep: string) => {
        const value = whole.slice(keep.length);
        return /^(?:[[<({]|[A-Z][A-Z0-9_:.-]*(?:\.\.\.)?[\]>)}]*$)/.test(value) ? whole : `${keep}[redacted]`;
      });
    }
    return out;
  }
  const pieces = [
    'hostname lvs01\r\n', 'password zebra\r\n', 'enable password 8 abcDEF\r\n', '!\r\n', '\r\n', ' ip ospf authentication-key s3cr\r\n',
    ' ip ospf message-digest-key 1 md5 k3y\r\n', '  key-string LINE...\r\n', '% [ZEBRA] Unknown command: password hunter2 x\n',
    'login as pw-0001 then pw-0001 again\n', ' network 203.0.113.0/24 area 0\n', 'no newline at the end: password last', 'pw-0001',
    '   \n', 'passwordless\n', 'key-string\n',
  ];
  it('on 300 texts pieced together from config lines, secrets and prose', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: 1 + rnd(12) }, () => pieces[rnd(pieces.length)]).join('');
      const known = rnd(2) ? ['pw-0001', 'zebra'] : [];
      expect(redactSecrets(text, known)).toBe(wholeText(text, known, 'config'));
      expect(redactMessage(text, known)).toBe(wholeText(text, known, 'any'));
    }
  });
});

describe('the scan of known secrets', () => {
  it('follows a secrets array changed in place', () => {
    const known = ['first-pw'];
    expect(redactSecrets('x first-pw', known)).toBe('x [redacted]');
    known[0] = 'second-pw';
    expect(redactSecrets('x second-pw', known)).toBe('x [redacted]');
    known.push('third-pw');
    expect(redactMessage('x third-pw', known)).toBe('x [redacted]');
  });
});
