import { describe, expect, it } from 'vitest';
import { matchPrompt, isConfigMode } from '../../../src/protocol/prompt.js';

describe('prompt recognition', () => {
  it.each([
    ['\r\nq1> ', 'q1', 'view'],
    ['\r\nq1# ', 'q1', 'enable'],
    ['x\r\nq1(config)# ', 'q1', 'config'],
    ['q1(config-router)# ', 'q1', 'config-router'],
    ['q1(config-if)# ', 'q1', 'config-if'],
    ['lvs-01.example(config-line)# ', 'lvs-01.example', 'config-line'],
    ['(null)(config)# ', '(null)', 'config'],
    ['a#b>c# ', 'a#b>c', 'enable'],
    ['a#b>c(config)# ', 'a#b>c', 'config'],
  ])('%j -> %s in %s', (text, host, mode) => {
    expect(matchPrompt(text, null)).toMatchObject({ hostname: host, mode });
  });

  it('only accepts prompts at the very end', () => {
    expect(matchPrompt('q1# \r\nmore output', null)).toBeNull();
    expect(matchPrompt('q1#', null)).toBeNull();
    expect(matchPrompt('', null)).toBeNull();
  });

  it('with a learned hostname, output that imitates a prompt does not end the reply', () => {
    expect(matchPrompt('Interface eth0 is up\r\n  Description: core# ', 'q1')).toBeNull();
    expect(matchPrompt('foo\r\nq1(config-router)# ', 'q1')).toMatchObject({ mode: 'config-router' });
    expect(matchPrompt('foo\r\nq2(config)# ', 'q1')).toBeNull();
  });

  it('knows config modes', () => {
    expect(isConfigMode('config-if')).toBe(true);
    expect(isConfigMode('enable')).toBe(false);
    expect(isConfigMode(null)).toBe(false);
  });
});
