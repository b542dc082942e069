// A lab whose LVS hosts run a chosen suite, for integration tests that must pass on every suite.
//
//   import { withSuiteLab, type SuiteLab } from '../helpers/suite-lab.js';
//   let lab: SuiteLab;
//   beforeAll(async () => { lab = await withSuiteLab('quagga'); }, 180_000);
//   afterAll(async () => { await lab?.down(); });
//   // lab.inventory: path of the lab's inventory file (`lab inventory`, 0600, private temp dir)
//   // lab.env: { VTYMUX_PASSWORD, VTYMUX_ENABLE_PASSWORD } for execAction(…, env) / a child's env
//   // lab.state.hosts: r0 (FRR 8.4.4, @routers) + lvs01..lvsNN (@lvs, on the suite), each with
//   //   .mgmtAddress, .lanAddress, .ports (FRR 10 hosts: zebra 2601, ospfd 2604, mgmtd 2623,
//   //   staticd 2616) and .suite; every LVS host has var vip 192.0.2.100 (shared), router_id,
//   //   lan_ip, lan_if, suite (frr-8.4.4 | quagga-1.2.4 | frr-10.7.0).
//
// suite: 'quagga' -> lab vmxq on 203.0.113.96/28, 'frr10' -> lab vmxf on 203.0.113.112/28 (the
// address plan's blocks), 3 LVS hosts, LAN 198.51.100.0/24 inside the lab's namespaces only (the
// default LAN 203.0.113.0/24 would contain the management /28, and OSPF `network` lines would
// catch mgmt0). 'frr' -> the shared test lab vmxt of the global setup (down() leaves it up).
// Mixed fleets ('quagga,frr10', cycled over the LVS hosts) need opts.name and opts.mgmt.
// One lab per name at a time, across processes: a second caller waits (up to 15 min) on a lock,
// so two test files (or two engineers' runs) asking for the same suite take turns. The lab is
// torn down by down() and, after a crash, by the next withSuiteLab of the same name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquireLock } from './lab-lock.js';
import { TEST_LAB } from './lab-global-setup.js';
import { labDown, labInventoryYaml, labUp, parseSuites, readLabCredentials, readLabState, type LabCredentials, type LabState } from '../../src/lab/index.js';

export interface SuiteLabOptions {
  /** Lab name (1-6 of [a-z0-9]); default by suite (vmxq, vmxf). */
  name?: string;
  /** Management prefix in the root namespace; default by suite (the address plan's block). */
  mgmt?: string;
  /** LAN inside the lab; default 198.51.100.0/24. */
  lan?: string;
  /** Number of LVS hosts, default 3. */
  lvs?: number;
  /** Also the client namespace behind r0 and an HTTP server on every LVS host (`lab requests`). */
  client?: boolean;
}

export interface SuiteLab {
  state: LabState;
  creds: LabCredentials;
  /** Path of the lab's inventory YAML (what `vtymux lab inventory` prints). */
  inventory: string;
  /** VTYMUX_PASSWORD and VTYMUX_ENABLE_PASSWORD of the lab. */
  env: { VTYMUX_PASSWORD: string; VTYMUX_ENABLE_PASSWORD: string };
  /** Private scratch dir (0700) holding the inventory; removed by down(). */
  scratch: string;
  /** Tears the lab down (not the shared vmxt) and releases the lock; safe to call twice. */
  down(): Promise<string[]>;
}

export const SUITE_LABS = {
  quagga: { name: 'vmxq', mgmt: '203.0.113.96/28' },
  frr10: { name: 'vmxf', mgmt: '203.0.113.112/28' },
} as const;
export const SUITE_LAB_LAN = '198.51.100.0/24';

function finish(state: LabState, creds: LabCredentials, down: (scratch: string) => Promise<string[]>): SuiteLab {
  const scratch = mkdtempSync(path.join(tmpdir(), `vtymux-${state.name}-`));
  const inventory = path.join(scratch, `${state.name}.yaml`);
  writeFileSync(inventory, labInventoryYaml(state), { mode: 0o600 });
  let done: Promise<string[]> | null = null;
  return {
    state,
    creds,
    inventory,
    scratch,
    env: { VTYMUX_PASSWORD: creds.password, VTYMUX_ENABLE_PASSWORD: creds.enablePassword },
    down: () => (done ??= down(scratch)),
  };
}

/** Brings up (or, for 'frr', borrows) a lab whose LVS hosts run `suite`. */
export async function withSuiteLab(suite: string, opts: SuiteLabOptions = {}): Promise<SuiteLab> {
  const suites = parseSuites(suite);
  if (suite === 'frr' && !opts.name && !opts.mgmt) {
    // the global setup's lab: already up for the whole integration run
    const state = await readLabState(TEST_LAB.name);
    return finish(state, await readLabCredentials(TEST_LAB.name), async (scratch) => {
      rmSync(scratch, { recursive: true, force: true });
      return [];
    });
  }
  const only = suites.length === 1 ? suites[0] : undefined;
  const defaults = only === 'quagga' || only === 'frr10' ? SUITE_LABS[only] : undefined;
  const name = opts.name ?? defaults?.name;
  const mgmt = opts.mgmt ?? defaults?.mgmt;
  if (!name || !mgmt) throw new Error(`withSuiteLab('${suite}'): a mixed or frr suite lab needs opts.name and opts.mgmt (a free block of the address plan)`);
  const release = await acquireLock(`/run/vtymux/test-lab-${name}.lock`, 15 * 60_000, (pid) =>
    process.stderr.write(`lab ${name}: waiting for the test run of pid ${pid} to finish\n`),
  );
  const down = async (scratch?: string): Promise<string[]> => {
    try {
      return await labDown(name);
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      release();
    }
  };
  try {
    await labDown(name); // leftovers of a crashed run
    const state = await labUp({ name, mgmt, lan: opts.lan ?? SUITE_LAB_LAN, lvs: opts.lvs ?? 3, suite, ...(opts.client ? { client: true } : {}) });
    return finish(state, await readLabCredentials(name), down);
  } catch (error) {
    await down();
    throw error;
  }
}
