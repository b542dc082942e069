import { describe, expect, it } from 'vitest';
import { COOK_EXAMPLES, cookConfig } from '../../../src/backup/cook.js';

describe('cooked running-configs', () => {
  it.each(COOK_EXAMPLES.map((e) => [e.name, e] as const))('volatile.json example: %s', (_name, e) => {
    expect(cookConfig(e.in)).toBe(e.out);
  });

  it('masks secrets: pattern rules and every password the run used', () => {
    const raw = 'Current configuration:\n!\nhostname a\npassword s3cretpw\nenable password 0therpw\ninterface lan0\n ip ospf authentication-key k3y\n description s3cretpw in text\n!\nend\n';
    const out = cookConfig(raw, ['s3cretpw', '0therpw']);
    expect(out).not.toMatch(/s3cretpw|0therpw|k3y/);
    expect(out).toContain('password [redacted]\nenable password [redacted]\n');
    expect(out).toContain(' ip ospf authentication-key [redacted]\n');
  });

  it('cooking is stable: a cooked config cooks to itself', () => {
    for (const e of COOK_EXAMPLES) expect(cookConfig(cookConfig(e.in))).toBe(cookConfig(e.in));
  });

  it('keeps config content: blank lines inside, trailing spaces gone, CRLF normalised', () => {
    expect(cookConfig('!\r\nhostname x  \r\n\r\n\r\ninterface y\r\n!\r\n!\r\n')).toBe('hostname x\n\ninterface y\n');
  });
});
