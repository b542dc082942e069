// Runs last (integration files run one at a time, in name order): greps everything vtymux wrote
// during the suite - settings, history, run records, transcripts - for the lab's passwords.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const creds = inject('labCredentials');

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.join(d.parentPath, d.name));
  } catch {
    return [];
  }
}

describe('secrets', () => {
  it('no file vtymux wrote during the suite contains a lab password, and they are owner-only', () => {
    const roots = [process.env.VTYMUX_STATE_DIR, process.env.VTYMUX_CONFIG_DIR].filter((d): d is string => !!d);
    expect(roots).toHaveLength(2);
    const files = roots.flatMap(filesUnder);
    // The fleet and fault tests ran the CLI with run records on: there must be something to check.
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const body = readFileSync(f, 'latin1');
      expect(body.includes(creds.password), `${f} holds the vty password`).toBe(false);
      expect(body.includes(creds.enablePassword), `${f} holds the enable password`).toBe(false);
      expect(statSync(f).mode & 0o077, `${f} is readable by group/others`).toBe(0);
    }
  });
});
