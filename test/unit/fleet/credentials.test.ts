import { PassThrough } from 'node:stream';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PasswordPrompter, promptHidden, resolveCredentials, Secret } from '../../../src/fleet/credentials.js';
import { CredentialError } from '../../../src/fleet/errors.js';
import { builtinDefaults, hostFromDefaults } from '../../../src/fleet/inventory.js';

const PW = 'zebra-Pa55';
const host = (name = 'r1', passwordEnv = 'VTYMUX_PASSWORD') => ({
  ...hostFromDefaults(name, '10.0.0.1', builtinDefaults()),
  passwordEnv,
});

describe('Secret never prints its value', () => {
  it('through JSON, inspect, String and templates; reveal() gives it', async () => {
    const creds = await resolveCredentials(host(), { VTYMUX_PASSWORD: PW, VTYMUX_ENABLE_PASSWORD: 'en-S3cret' });
    const wrapper = { host: 'r1', creds, list: [creds.password] };
    for (const shown of [
      JSON.stringify(wrapper),
      inspect(wrapper, { depth: 10, showHidden: true }),
      String(creds.password),
      `${creds.password}`,
      'x' + creds.enablePassword,
      inspect(creds.password),
    ]) {
      expect(shown).not.toContain(PW);
      expect(shown).not.toContain('en-S3cret');
      expect(shown).toContain('[redacted]');
    }
    expect(creds.password!.reveal()).toBe(PW);
    expect(creds.enablePassword!.reveal()).toBe('en-S3cret');
  });
});

describe('resolveCredentials', () => {
  it('reads the env var names of the host; empty counts as unset', async () => {
    const c = await resolveCredentials(host('a', 'SITE_PW'), { SITE_PW: 'abc', VTYMUX_PASSWORD: 'wrong', VTYMUX_ENABLE_PASSWORD: '' });
    expect(c.password!.reveal()).toBe('abc');
    expect(c.enablePassword).toBeUndefined();
    expect(await resolveCredentials(host(), {})).toEqual({});
  });

  it('rejects non-printable bytes naming the env var and position, never the value', async () => {
    for (const bad of ['qz\u00e9wk', 'qz\twk', 'qz\u007fwk']) {
      const err = await resolveCredentials(host(), { VTYMUX_PASSWORD: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CredentialError);
      const e = err as CredentialError;
      expect(e.envName).toBe('VTYMUX_PASSWORD');
      expect(e.position).toBe(3);
      expect(e.message).toMatch(/VTYMUX_PASSWORD: character 3 is not printable ASCII/);
      expect(e.message).not.toContain('qz');
      expect(e.message).not.toContain('wk');
    }
  });

  it('prompts once per distinct env name, concurrently too, and only for what is missing', async () => {
    const asked: string[] = [];
    const ask = async (q: string) => {
      asked.push(q);
      return q.includes('OTHER_PW') ? 'other' : 'typed';
    };
    const env = { VTYMUX_ENABLE_PASSWORD: 'en' };
    const results = await Promise.all([
      resolveCredentials(host('a'), env, ask),
      resolveCredentials(host('b'), env, ask),
      resolveCredentials(host('c', 'OTHER_PW'), env, ask),
    ]);
    await resolveCredentials(host('d'), env, ask);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(/Password for a \(VTYMUX_PASSWORD is not set\)/);
    expect(results.map((r) => r.password!.reveal())).toEqual(['typed', 'typed', 'other']);
    expect(results[0]!.enablePassword!.reveal()).toBe('en');
  });

  it('asks for the enable password only when requested; empty answer means none', async () => {
    const asked: string[] = [];
    const p = new PasswordPrompter(async (q) => {
      asked.push(q);
      return '';
    });
    const c = await resolveCredentials(host(), { VTYMUX_PASSWORD: 'x' }, p);
    expect(asked).toEqual([]);
    const d = await resolveCredentials(host(), { VTYMUX_PASSWORD: 'x' }, p, { promptEnable: true });
    expect(asked).toHaveLength(1);
    expect(c.enablePassword).toBeUndefined();
    expect(d.enablePassword).toBeUndefined();
  });

  it('validates typed passwords too', async () => {
    const p = new PasswordPrompter(async () => 'caf\u00e9');
    await expect(resolveCredentials(host(), {}, p)).rejects.toThrow(/typed value for VTYMUX_PASSWORD: character 4/);
  });
});

describe('promptHidden', () => {
  function tty() {
    const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, modes: [] as boolean[] });
    const setRawMode = (m: boolean) => {
      input.modes.push(m);
      input.isRaw = m;
    };
    const output = new PassThrough();
    let written = '';
    output.on('data', (d: Buffer) => (written += d.toString()));
    return { io: { input: Object.assign(input, { setRawMode }), output }, input, written: () => written };
  }

  it('reads without echo in raw mode, handles backspace, restores the mode', async () => {
    const t = tty();
    const p = promptHidden('Password: ', t.io);
    t.input.write('s3x\u007fcr');
    t.input.write('et\r');
    expect(await p).toBe('s3cret');
    expect(t.input.modes).toEqual([true, false]);
    expect(t.written()).toBe('Password: \n');
  });
  it('Ctrl-C cancels', async () => {
    const t = tty();
    const p = promptHidden('Password: ', t.io);
    t.input.write('ab\u0003');
    await expect(p).rejects.toThrow(/cancelled/);
    expect(t.input.isRaw).toBe(false);
  });
  it('refuses a non-TTY stdin', async () => {
    await expect(promptHidden('Password: ', { input: new PassThrough(), output: new PassThrough() })).rejects.toThrow(/not a terminal/);
  });
});

it('Secret is a plain redacted value object', () => {
  const s = new Secret('abc');
  expect(Object.keys(s)).toEqual([]);
  expect(JSON.stringify({ s })).toBe('{"s":"[redacted]"}');
});
