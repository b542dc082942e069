// completions/quagga-1.2.4 is learned from a live Quagga 1.2.4 (zebra + ospfd of a `--suite quagga`
// lab host): a fresh generation must equal the committed files, like FRR's drift tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogPath, COMPLETIONS_DIR, serializeCatalog } from '../../src/catalog/index.js';
import { generateLiveCatalogs } from '../../src/tools/catalog-generator.js';
import { secretOf } from '../../src/protocol/session.js';
import { withSuiteLab, type SuiteLab } from '../helpers/suite-lab.js';

let lab: SuiteLab;

beforeAll(async () => {
  lab = await withSuiteLab('quagga');
}, 300_000);

afterAll(async () => {
  await lab?.down();
});

describe('Quagga 1.2.4 catalogs', () => {
  it('regenerate from the live daemons exactly as committed (and leave their config as it was)', async () => {
    const host = lab.state.hosts.find((h) => h.role === 'lvs')!;
    const catalogs = await generateLiveCatalogs({ address: host.mgmtAddress, ports: host.ports, password: secretOf(lab.creds.password), enablePassword: secretOf(lab.creds.enablePassword) });
    expect(catalogs.map((c) => `${c.suite}-${c.version} ${c.daemon}`)).toEqual(['quagga-1.2.4 ospfd', 'quagga-1.2.4 zebra']);
    for (const c of catalogs) {
      const committed = readFileSync(path.join(COMPLETIONS_DIR, catalogPath(c)), 'utf8');
      expect(serializeCatalog(c), `completions/${catalogPath(c)} drifted: run npm run completions:generate -- --lab vmxq --host lvs01`).toBe(committed);
    }
  }, 120_000);
});
