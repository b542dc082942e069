// Per-lab random vty secrets: generated at `up`, stored owner-only, read back by tools and tests.

import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { LabError } from './errors.js';
import type { LabCredentials } from './types.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** Letters and digits only: a vty password must be printable, contain no '?', and survive a shell `export '…'`. */
export function randomSecret(length = 20): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const byte of bytes) {
    // rejection sampling keeps the distribution uniform
    if (byte < 256 - (256 % ALPHABET.length)) out += ALPHABET[byte % ALPHABET.length];
    if (out.length === length) return out;
  }
  return out + randomSecret(length - out.length);
}

export function generateCredentials(): LabCredentials {
  return { password: randomSecret(), enablePassword: randomSecret() };
}

export async function writeCredentials(path: string, credentials: LabCredentials): Promise<void> {
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}

export async function readCredentialsFile(path: string, what: string): Promise<LabCredentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new LabError('not-up', `${what} is not up (no ${path})`);
  }
  const parsed = JSON.parse(text) as Partial<LabCredentials>;
  if (typeof parsed.password !== 'string' || typeof parsed.enablePassword !== 'string') {
    throw new LabError('not-up', `${path} is damaged: it needs string fields password and enablePassword`);
  }
  return { password: parsed.password, enablePassword: parsed.enablePassword };
}
