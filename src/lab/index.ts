// The lab's public API: real FRR daemons in network namespaces for the demo, tests and benchmarks.

export { labUp, labDown, labRestart, labStatus, listLabs, readLabState, readLabCredentials, planLab, recoveryCommands, DEFAULT_LAB, LAB_VIP } from './lab.js';
export { LAB_SUITES, SUITES, DAEMON_PORTS, parseSuites, type LabSuite, type LabDaemon, type SuiteSpec } from './suites.js';
export { farmUp, farmDown, readFarmState, readFarmCredentials, DEFAULT_FARM } from './farm.js';
export { labHttpRequests, CLIENT_PREFIX, type HttpProbeOptions, type HttpProbeResult } from './client.js';
export { labInventoryYaml, farmInventoryYaml } from './inventory.js';
export { LabError, type LabErrorCode } from './errors.js';
export type {
  DaemonStatus,
  FarmEndpoint,
  FarmOptions,
  FarmState,
  HostStatus,
  LabClient,
  LabCredentials,
  LabHost,
  LabOptions,
  LabState,
  LabStatus,
} from './types.js';
